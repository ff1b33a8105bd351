import { h } from './dom.js';

/** The bottom panel's tabs. */
export type TabId = 'results' | 'details' | 'topology';

const LABELS: Readonly<Record<TabId, string>> = { results: 'Results', details: 'Details', topology: 'Topology' };

/**
 * Tabs over one area (WAI-ARIA tabs: arrow keys move between them). Each tab's
 * panel is a slot its owner fills; {@link select} brings one to the front.
 */
export class Tabs {
  readonly element: HTMLElement;
  private readonly buttons = new Map<TabId, HTMLButtonElement>();
  private readonly panels = new Map<TabId, HTMLElement>();

  constructor(ids: readonly TabId[]) {
    const list = h('div', { class: 'tab-list', role: 'tablist', 'aria-label': 'Output' });
    const body = h('div', { class: 'tab-panels' });
    for (const id of ids) {
      const button = h(
        'button',
        { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}`, class: 'tab', onclick: () => this.select(id) },
        LABELS[id],
      );
      button.addEventListener('keydown', (e) => this.arrow(e, ids, id));
      const panel = h('div', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, class: 'tab-panel' });
      this.buttons.set(id, button);
      this.panels.set(id, panel);
      list.appendChild(button);
      body.appendChild(panel);
    }
    this.element = h('div', { class: 'tabs' }, list, body);
    this.select(ids[0]!);
  }

  /** The slot of tab `id`. */
  panel(id: TabId): HTMLElement {
    return this.panels.get(id)!;
  }

  /** Shows tab `id`. */
  select(id: TabId): void {
    for (const [k, b] of this.buttons) {
      const on = k === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      this.panels.get(k)!.hidden = !on;
    }
  }

  private arrow(e: KeyboardEvent, ids: readonly TabId[], id: TabId): void {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = ids[(ids.indexOf(id) + step + ids.length) % ids.length]!;
    this.select(next);
    this.buttons.get(next)!.focus();
    e.preventDefault();
  }
}
