import type { KsqlApi } from '../api.js';
import { h, replace } from '../dom.js';
import { type QueryDescription, queryDescriptionOf } from '../query-description.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { errorView, factList, linkButtons, textBlock } from './details-parts.js';
import { showFigures } from './figures-view.js';
import type { LiveFigures } from './live-figures.js';
import type { BrowserNavigation } from './navigation.js';

/** What a query's details need besides the description. */
export interface QueryDetailsContext {
  readonly api: KsqlApi;
  readonly nav: BrowserNavigation;
  readonly figures: LiveFigures;
  /** Shows the query's topology (the shell's Topology tab). */
  readonly openTopology: (id: string) => void;
}

/** Runs TERMINATE, reporting in `status` and re-reading the lists when it worked. */
async function terminate(ctx: QueryDetailsContext, id: string, status: HTMLElement, actions: HTMLElement): Promise<void> {
  status.textContent = `Terminating ${id}…`;
  try {
    await ctx.api.ksql(`TERMINATE ${id};`);
    status.textContent = `Query ${id} terminated.`;
    for (const b of actions.querySelectorAll('button')) b.disabled = true;
  } catch (e) {
    status.textContent = '';
    replace(status, h('span', { class: 'error', role: 'alert' }, (e as Error).message));
  }
  ctx.nav.refresh();
}

/** The view of a query's description: facts, live figures, statement and plan, with Topology and Terminate. */
function queryView(d: QueryDescription, ctx: QueryDetailsContext): HTMLElement {
  const status = h('p', { class: 'details-status', role: 'status' });
  const actions = h('div', { class: 'details-actions' });
  const dialog = new ConfirmDialog({
    title: `Terminate ${d.id}?`,
    message: `The query stops for good and its sink stops receiving records. This cannot be undone.`,
    confirmLabel: 'Terminate',
    onConfirm: () => void terminate(ctx, d.id, status, actions),
  });
  actions.append(
    h('button', { type: 'button', class: 'open-topology', onclick: () => ctx.openTopology(d.id) }, 'Topology'),
    h('button', { type: 'button', class: 'terminate danger', onclick: () => dialog.open() }, 'Terminate'),
  );
  const figures = h('dl', { class: 'facts figures', 'aria-label': `Figures of ${d.id}` });
  const errors = d.errors;
  const view = h(
    'article',
    { class: 'browser-details query-details', 'aria-label': `Query ${d.id}` },
    h('div', { class: 'details-head' }, h('h2', {}, h('span', { class: 'details-kind' }, 'QUERY'), ' ', d.id), actions),
    status,
    factList([
      ['State', h('span', { 'data-testid': 'query-state' }, d.state)],
      ['Type', d.queryType],
      [
        'Sources',
        linkButtons(
          d.sources,
          (n) => ctx.nav.showSource(n),
          (n) => `Source ${n}`,
        ),
      ],
      [
        'Sinks',
        linkButtons(
          d.sinks,
          (n) => ctx.nav.showSource(n),
          (n) => `Sink ${n}`,
        ),
      ],
    ]),
    h('section', { class: 'details-block', 'aria-label': 'Figures' }, h('h3', {}, 'Figures'), figures),
    textBlock('Statement', d.statementText, 'statement'),
    textBlock('Execution plan', d.executionPlan, 'execution-plan'),
    errors.length > 0 ? textBlock('Errors', errors.join('\n'), 'query-errors') : null,
    dialog.element,
  );
  ctx.figures.watch(figures, (all) => showFigures(figures, all.get(d.id)));
  return view;
}

/** Loads `EXPLAIN <id>` and builds its details view (an error view when it fails). */
export async function queryDetails(ctx: QueryDetailsContext, id: string): Promise<HTMLElement> {
  try {
    const d = queryDescriptionOf(await ctx.api.ksql(`EXPLAIN ${id};`));
    if (!d) throw new Error(`EXPLAIN ${id} returned no description`);
    return queryView(d, ctx);
  } catch (e) {
    return errorView(id, e);
  }
}
