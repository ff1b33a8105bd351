import { h, replace } from '../dom.js';
import type { StatementHistory } from './history.js';
import { popupDialog } from './popup.js';

/**
 * The header's History button and the dialog it opens: the statements run
 * before, most recent first, as a listbox. Arrow keys, Home and End move
 * through it, Enter (or a click) puts the chosen statement into the editor
 * at the cursor (in place of the selection), Escape closes it.
 */
export class HistoryDialog {
  readonly button: HTMLButtonElement;
  readonly dialog: HTMLDialogElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private options: HTMLElement[] = [];
  private active = 0;

  /** `insert` puts a statement into the editor (and focuses it). */
  constructor(
    private readonly history: StatementHistory,
    private readonly insert: (sql: string) => void,
  ) {
    this.button = h('button', { type: 'button', class: 'history-open', 'aria-haspopup': 'dialog', onclick: () => this.open() }, 'History');
    this.list = h('ul', {
      class: 'history-list',
      role: 'listbox',
      tabindex: 0,
      'aria-labelledby': 'history-title',
      onkeydown: (e) => this.key(e as KeyboardEvent),
    });
    this.empty = h('p', { class: 'placeholder' }, 'No statements run yet.');
    this.dialog = popupDialog(
      { titleId: 'history-title', title: 'History', className: 'history-dialog', hint: '↑↓ choose · Enter inserts · Esc closes' },
      this.empty,
      this.list,
    );
  }

  /** Opens the dialog on the most recent statement. */
  open(): void {
    const entries = this.history.entries();
    this.options = entries.map((sql, i) =>
      h('li', { id: `history-option-${i}`, role: 'option', class: 'history-option', 'aria-selected': 'false', onclick: () => this.choose(i) }, sql),
    );
    replace(this.list, ...this.options);
    this.empty.hidden = entries.length > 0;
    this.list.hidden = entries.length === 0;
    this.dialog.showModal();
    this.select(0);
    if (entries.length > 0) this.list.focus();
  }

  private select(i: number): void {
    if (this.options.length === 0) {
      this.list.removeAttribute('aria-activedescendant');
      return;
    }
    this.active = Math.max(0, Math.min(i, this.options.length - 1));
    for (let j = 0; j < this.options.length; j++) this.options[j]!.setAttribute('aria-selected', String(j === this.active));
    const el = this.options[this.active]!;
    this.list.setAttribute('aria-activedescendant', el.id);
    el.scrollIntoView({ block: 'nearest' });
  }

  private choose(i: number): void {
    const sql = this.history.entries()[i];
    this.dialog.close();
    if (sql !== undefined) this.insert(sql);
  }

  private key(e: KeyboardEvent): void {
    const page = 10;
    switch (e.key) {
      case 'ArrowDown':
        this.select(this.active + 1);
        break;
      case 'ArrowUp':
        this.select(this.active - 1);
        break;
      case 'PageDown':
        this.select(this.active + page);
        break;
      case 'PageUp':
        this.select(this.active - page);
        break;
      case 'Home':
        this.select(0);
        break;
      case 'End':
        this.select(this.options.length - 1);
        break;
      case 'Enter':
        this.choose(this.active);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
