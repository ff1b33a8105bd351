import { h, replace } from '../dom.js';

/** A secondary button beside an item (a topic's Print). */
export interface ItemAction {
  readonly label: string;
  /** The button's accessible name (says which item it acts on). */
  readonly name: string;
  readonly run: () => void;
}

/** One entry of a {@link ListSection}: a button opening it, with optional note, live figures and action. */
export interface ListItem {
  /** Identifies the item across refreshes (keeps focus on it when the list is redrawn). */
  readonly key: string;
  readonly label: string;
  /** Short text after the label (a query's state). */
  readonly note?: string;
  /** The system's rather than the user's: drawn dimmed (and listed last by the caller). */
  readonly system?: boolean;
  readonly open: () => void;
  readonly action?: ItemAction;
  /** An element its owner keeps up to date (a query's figures); the same element may be passed on every refresh. */
  readonly extra?: HTMLElement;
}

/** What decides whether the list must be redrawn: everything shown except the live `extra` elements. */
function signature(items: readonly ListItem[]): string {
  return JSON.stringify(items.map((i) => [i.key, i.label, i.note ?? '', i.system === true, i.action?.label ?? '']));
}

/**
 * A collapsible section of the browser: a heading whose button shows the
 * title and item count and toggles the list (`aria-expanded`), and the list
 * of item buttons. {@link update} redraws only when the items changed, and
 * keeps keyboard focus on the item that had it.
 */
export class ListSection {
  readonly element: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly count: HTMLElement;
  private readonly list: HTMLUListElement;
  private shown = '';

  constructor(
    readonly id: string,
    readonly title: string,
  ) {
    const listId = `browser-${id}`;
    this.count = h('span', { class: 'section-count' }, '');
    this.toggle = h(
      'button',
      { type: 'button', class: 'section-toggle', 'aria-expanded': 'true', 'aria-controls': listId, onclick: () => this.setExpanded(!this.expanded) },
      h('span', { class: 'chevron', 'aria-hidden': 'true' }),
      h('span', { class: 'section-title' }, title),
      ' ',
      this.count,
    );
    this.list = h('ul', { id: listId, class: 'browser-list', 'aria-label': title });
    this.element = h('section', { class: `browser-section section-${id}` }, h('h2', {}, this.toggle), this.list);
  }

  /** Is the list shown? */
  get expanded(): boolean {
    return this.toggle.getAttribute('aria-expanded') === 'true';
  }

  /** Shows or hides the list. */
  setExpanded(on: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(on));
    this.list.hidden = !on;
  }

  /** Shows `items` (in the order given). */
  update(items: readonly ListItem[]): void {
    this.count.textContent = String(items.length);
    const sig = signature(items);
    if (sig === this.shown) return;
    this.shown = sig;
    const focused = this.list.contains(document.activeElement) ? (document.activeElement as HTMLElement) : undefined;
    const focusKey = focused?.closest('li')?.dataset['key'];
    const focusAction = focused?.classList.contains('item-action') ?? false;
    if (items.length === 0) {
      replace(this.list, h('li', { class: 'browser-empty' }, 'None'));
    } else {
      replace(this.list, ...items.map((item) => this.row(item)));
    }
    if (focusKey !== undefined) {
      for (const li of this.list.children) {
        if ((li as HTMLElement).dataset['key'] !== focusKey) continue;
        li.querySelector<HTMLButtonElement>(focusAction ? '.item-action' : '.item-open')?.focus();
      }
    }
  }

  private row(item: ListItem): HTMLLIElement {
    const open = h(
      'button',
      { type: 'button', class: 'item-open', title: item.label, onclick: () => item.open() },
      h('span', { class: 'item-label' }, item.label),
      item.note ? ' ' : null,
      item.note ? h('span', { class: 'item-note' }, item.note) : null,
    );
    const action = item.action;
    return h(
      'li',
      { class: item.system ? 'browser-item system' : 'browser-item', 'data-key': item.key },
      h(
        'div',
        { class: 'item-line' },
        open,
        action ? h('button', { type: 'button', class: 'item-action', 'aria-label': action.name, onclick: () => action.run() }, action.label) : null,
      ),
      item.extra,
    );
  }
}
