/**
 * The Topology tab: a picker of persistent queries (SHOW QUERIES) and the
 * chosen one's plan (EXPLAIN) drawn as a graph with zoom controls, its text
 * alternative, and the query's statement, sources, sinks and plan steps.
 */
import { type KsqlApi, KsqlError } from '../api.js';
import { h, replace } from '../dom.js';
import type { RunOutcome } from '../results/results-panel.js';
import { type GraphLayout, layoutTopology } from './layout.js';
import { parseExecutionPlan } from './parse-plan.js';
import { parseTopology } from './parse-topology.js';
import { queryDescriptionOf } from '../query-description.js';
import { queryDetails } from './query-details.js';
import { topologySvg, zoomSvg } from './topology-svg.js';
import { topologySummary, topologyTextList } from './topology-text.js';

/** A persistent query as SHOW QUERIES lists it. */
interface ListedQuery {
  readonly id: string;
  readonly state: string;
  readonly queryString: string;
}

const ZOOM_STEP = 1.25;
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 3;
/** Statements after which the list of persistent queries may have changed. */
const CHANGES_QUERIES = /^\s*(CREATE|DROP|TERMINATE|INSERT|PAUSE|RESUME)\b/i;

/** The graph being shown and how it is scaled. */
interface Shown {
  readonly svg: SVGSVGElement;
  readonly layout: GraphLayout;
}

/** See the module description. `element` is the tab's content; {@link show} fills it with one query. */
export class TopologyView {
  readonly element: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly canvas: HTMLElement;
  private readonly below: HTMLElement;
  private readonly zoomLabel: HTMLOutputElement;
  private readonly zoomButtons: HTMLButtonElement[];
  private shown: Shown | undefined;
  private zoom = 1;
  /** Bumped by each {@link show} and list refresh so a late answer never overwrites a newer one. */
  private showSeq = 0;
  private listSeq = 0;

  constructor(private readonly api: KsqlApi) {
    this.picker = h('select', { id: 'topology-query', onchange: () => void this.show(this.picker.value) });
    this.zoomLabel = h('output', { class: 'topology-zoom', 'aria-live': 'polite', 'aria-label': 'Zoom' }, '100%');
    this.zoomButtons = [
      h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out (-)', onclick: () => this.setZoom(this.zoom / ZOOM_STEP) }, '−'),
      h('button', { type: 'button', title: 'Fit the graph to the width (0)', onclick: () => this.setZoom(this.fitZoom()) }, 'Fit'),
      h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in (+)', onclick: () => this.setZoom(this.zoom * ZOOM_STEP) }, '+'),
    ];
    this.canvas = h('div', {
      class: 'topology-canvas',
      tabindex: 0,
      role: 'group',
      'aria-label': 'Topology graph (scrolls; + and - zoom, 0 fits)',
      onkeydown: (e) => this.zoomKey(e as KeyboardEvent),
    });
    this.below = h('div', { class: 'topology-below' });
    this.element = h(
      'section',
      { class: 'topology', 'aria-label': 'Topology' },
      h(
        'div',
        { class: 'topology-bar' },
        h('label', { for: 'topology-query' }, 'Query'),
        this.picker,
        h('button', { type: 'button', onclick: () => void this.refreshList() }, 'Refresh'),
        h('span', { class: 'spacer' }),
        ...this.zoomButtons,
        this.zoomLabel,
      ),
      this.canvas,
      this.below,
    );
    this.clear('Choose a persistent query to see its topology.');
    void this.refreshList();
  }

  /** Refreshes the query list after a statement that may have started or ended queries. */
  statementRan(sql: string, outcome: RunOutcome): void {
    if (outcome.kind === 'ok' && CHANGES_QUERIES.test(sql)) void this.refreshList();
  }

  /** Reloads the picker's list of persistent queries (SHOW QUERIES), keeping the current choice. */
  async refreshList(): Promise<void> {
    const seq = ++this.listSeq;
    let queries: ListedQuery[];
    try {
      queries = listed(await this.api.ksql('SHOW QUERIES;'));
    } catch {
      return; // the list stays as it was; showing a query reports errors
    }
    if (seq !== this.listSeq) return;
    this.fillPicker(queries, this.picker.value);
  }

  /** Shows query `queryId`: selects it in the picker, then draws its topology from EXPLAIN. */
  async show(queryId: string): Promise<void> {
    const seq = ++this.showSeq;
    if (queryId === '') {
      this.clear('Choose a persistent query to see its topology.');
      return;
    }
    if (!Array.from(this.picker.options).some((o) => o.value === queryId)) this.picker.appendChild(h('option', { value: queryId }, queryId));
    this.picker.value = queryId;
    this.clear(`Loading ${queryId}…`);
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(queryId)) throw new KsqlError(40001, `Not a query id: ${queryId}`);
      const description = queryDescriptionOf(await this.api.ksql(`EXPLAIN ${queryId};`));
      if (seq !== this.showSeq) return;
      if (!description) throw new KsqlError(50000, `EXPLAIN ${queryId} gave no query description`);
      const graph = parseTopology(description.topology);
      const layout = layoutTopology(graph);
      const summary = topologySummary(description.id || queryId, graph);
      const svg = topologySvg(graph, layout, summary, 1);
      this.shown = { svg, layout };
      replace(this.canvas, svg, topologyTextList(graph));
      replace(this.below, queryDetails(description, parseExecutionPlan(description.executionPlan)));
      this.setZoom(this.fitZoom());
      this.canvas.dataset['queryId'] = queryId;
    } catch (e) {
      if (seq !== this.showSeq) return;
      this.clear();
      replace(this.below, h('pre', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
    }
  }

  private fillPicker(queries: readonly ListedQuery[], keep: string): void {
    const options = [h('option', { value: '' }, queries.length === 0 ? 'No persistent queries' : 'Choose a query…')];
    for (const q of queries)
      options.push(h('option', { value: q.id, title: q.queryString }, q.state === 'RUNNING' || q.state === '' ? q.id : `${q.id} (${q.state})`));
    if (keep !== '' && !queries.some((q) => q.id === keep)) options.push(h('option', { value: keep }, `${keep} (gone)`));
    replace(this.picker, ...options);
    this.picker.value = keep;
  }

  /** Empties the graph area, showing `message` in it when given. */
  private clear(message?: string): void {
    this.shown = undefined;
    delete this.canvas.dataset['queryId'];
    replace(this.canvas, message === undefined ? null : h('p', { class: 'placeholder' }, message));
    replace(this.below);
    for (const b of this.zoomButtons) b.disabled = true;
    this.zoomLabel.textContent = '';
  }

  /** The zoom that fits the graph to the canvas's width (never above 100%; 100% while the tab is hidden). */
  private fitZoom(): number {
    const available = this.canvas.clientWidth - 4;
    if (!this.shown || available <= 0) return 1;
    return Math.max(MIN_ZOOM, Math.min(1, available / this.shown.layout.width));
  }

  private setZoom(zoom: number): void {
    if (!this.shown) return;
    this.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom));
    zoomSvg(this.shown.svg, this.shown.layout, this.zoom);
    this.zoomLabel.textContent = `${Math.round(this.zoom * 100)}%`;
    for (const b of this.zoomButtons) b.disabled = false;
  }

  private zoomKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') this.setZoom(this.zoom * ZOOM_STEP);
    else if (e.key === '-') this.setZoom(this.zoom / ZOOM_STEP);
    else if (e.key === '0') this.setZoom(this.fitZoom());
    else return;
    e.preventDefault();
  }
}

/** The persistent queries of a SHOW QUERIES answer. */
function listed(entities: readonly { readonly [k: string]: unknown }[]): ListedQuery[] {
  const out: ListedQuery[] = [];
  for (const e of entities) {
    const queries = e['queries'];
    if (!Array.isArray(queries)) continue;
    for (const q of queries as Readonly<Record<string, unknown>>[]) {
      if (typeof q['id'] !== 'string' || (q['queryType'] !== undefined && q['queryType'] !== 'PERSISTENT')) continue;
      out.push({
        id: q['id'],
        state: typeof q['state'] === 'string' ? q['state'] : '',
        queryString: typeof q['queryString'] === 'string' ? q['queryString'] : '',
      });
    }
  }
  return out;
}
