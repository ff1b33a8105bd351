import { KsqlError } from '../api.js';
import { type Child, h } from '../dom.js';

/** One line of a details view's facts: a label and its value (text, or nodes such as link buttons). */
export type Fact = readonly [label: string, value: Child | readonly Child[]];

/** A definition list of facts; empty values read "none". */
export function factList(facts: readonly Fact[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...facts.flatMap(([label, value]) => {
      const children = Array.isArray(value) ? (value as readonly Child[]) : [value as Child];
      const empty = children.every((c) => c === null || c === undefined || c === false || c === '');
      return [h('dt', {}, label), h('dd', {}, ...(empty ? ['none'] : children))];
    }),
  );
}

/** Buttons opening each of `names` (sources, sinks, queries), in a row. */
export function linkButtons(names: readonly string[], open: (name: string) => void, describe: (name: string) => string): HTMLElement[] {
  return names.map((n) => h('button', { type: 'button', class: 'link', 'aria-label': describe(n), onclick: () => open(n) }, n));
}

/** A titled block of preformatted text (a statement, a plan), or "none" when empty. */
export function textBlock(title: string, text: string | undefined | null, testId: string): HTMLElement {
  return h(
    'section',
    { class: 'details-block', 'aria-label': title },
    h('h3', {}, title),
    text ? h('pre', { class: 'details-text', 'data-testid': testId }, text) : h('p', { class: 'muted' }, 'none'),
  );
}

/** What a details view shows while its request is under way. */
export function loadingView(what: string): HTMLElement {
  return h('article', { class: 'browser-details', 'aria-busy': 'true' }, h('p', { class: 'muted', role: 'status' }, `Loading ${what}…`));
}

/** What a details view shows when its request failed. */
export function errorView(what: string, e: unknown): HTMLElement {
  const message = e instanceof KsqlError || e instanceof Error ? e.message : String(e);
  return h('article', { class: 'browser-details' }, h('h2', {}, what), h('pre', { class: 'error', role: 'alert' }, message));
}
