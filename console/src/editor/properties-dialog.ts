import { h, replace } from '../dom.js';
import { OFFSET_RESET, type PropertyEntry, type SessionProperties } from './session-properties.js';
import { popupDialog } from './popup.js';

/** One row of the editor: its element and inputs. */
interface PropertyRow {
  readonly element: HTMLElement;
  readonly name: HTMLInputElement;
  readonly value: HTMLInputElement;
}

/**
 * The header's Properties button (with a badge counting the extra properties
 * set) and the dialog it opens: rows of name = value, added and removed with
 * buttons, applied as they are typed. They go with every statement besides
 * auto.offset.reset, which keeps its own select.
 */
export class PropertiesDialog {
  readonly button: HTMLButtonElement;
  readonly dialog: HTMLDialogElement;
  private readonly badge: HTMLElement;
  private readonly rowsHost: HTMLElement;
  private rows: PropertyRow[] = [];
  /** Numbers rows for their labels' ids; only grows. */
  private made = 0;

  constructor(private readonly session: SessionProperties) {
    this.badge = h('span', { class: 'badge', 'data-testid': 'properties-count' });
    this.button = h('button', { type: 'button', class: 'properties-open', 'aria-haspopup': 'dialog', onclick: () => this.open() }, 'Properties', this.badge);
    this.rowsHost = h('div', { class: 'property-rows', role: 'group', 'aria-label': 'Properties' });
    this.dialog = popupDialog(
      { titleId: 'properties-title', title: 'Properties', className: 'properties-dialog' },
      h(
        'p',
        { class: 'popup-hint' },
        `Sent with every statement, with ${OFFSET_RESET} (chosen in the header). SET 'name'='value'; in the editor sets one too.`,
      ),
      this.rowsHost,
      h('button', { type: 'button', class: 'property-add', onclick: () => this.add({ name: '', value: '' }, true) }, 'Add property'),
    );
    session.onChange(() => this.showCount());
    this.showCount();
  }

  /** Opens the editor on the properties set now. */
  open(): void {
    this.rows = [];
    replace(this.rowsHost);
    for (const e of this.session.extras()) this.add(e, false);
    this.dialog.showModal();
    if (this.rows.length === 0) this.add({ name: '', value: '' }, true);
    else this.rows[0]!.name.focus();
  }

  private add(entry: PropertyEntry, focus: boolean): void {
    const n = ++this.made;
    const name = h('input', {
      type: 'text',
      id: `property-name-${n}`,
      class: 'property-name',
      value: entry.name,
      spellcheck: 'false',
      oninput: () => this.commit(),
    });
    const value = h('input', {
      type: 'text',
      id: `property-value-${n}`,
      class: 'property-value',
      value: entry.value,
      spellcheck: 'false',
      oninput: () => this.commit(),
    });
    const row: PropertyRow = {
      name,
      value,
      element: h(
        'div',
        { class: 'property-row' },
        h('label', { for: name.id, class: 'visually-hidden' }, `Name of property ${n}`),
        name,
        h('span', { 'aria-hidden': 'true' }, '='),
        h('label', { for: value.id, class: 'visually-hidden' }, `Value of property ${n}`),
        value,
        h('button', { type: 'button', class: 'property-remove', 'aria-label': `Remove property ${n}`, onclick: () => this.remove(row) }, 'Remove'),
      ),
    };
    this.rows.push(row);
    this.rowsHost.appendChild(row.element);
    if (focus) name.focus();
  }

  private remove(row: PropertyRow): void {
    const i = this.rows.indexOf(row);
    this.rows.splice(i, 1);
    row.element.remove();
    this.commit();
    const next = this.rows[Math.min(i, this.rows.length - 1)];
    if (next) next.name.focus();
    else this.dialog.querySelector<HTMLButtonElement>('.property-add')?.focus();
  }

  private commit(): void {
    this.session.setExtras(this.rows.map((r) => ({ name: r.name.value, value: r.value.value })));
  }

  private showCount(): void {
    const count = this.session.extras().length;
    this.badge.textContent = count > 0 ? String(count) : '';
    this.badge.hidden = count === 0;
    this.button.setAttribute('aria-label', count > 0 ? `Properties, ${count} set` : 'Properties');
    this.button.title = count > 0 ? `${count} ${count === 1 ? 'property' : 'properties'} sent with every statement` : 'No extra properties';
  }
}
