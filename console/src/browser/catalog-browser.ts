import { h } from '../dom.js';
import type { ConsoleShell } from '../shell.js';
import { type CatalogSnapshot, isSystemSource, isSystemTopic, loadCatalog, PROCESSING_LOG_STREAM, type SourceSummary } from './catalog.js';
import { sqlString } from '../sql-names.js';
import { loadingView } from './details-parts.js';
import { figuresLine } from './figures-view.js';
import { type ListItem, ListSection } from './list-section.js';
import { LiveFigures } from './live-figures.js';
import type { BrowserNavigation } from './navigation.js';
import { queryDetails } from './query-details.js';
import { sourceDetails } from './source-details.js';
import { topicDetails } from './topic-details.js';

/** How often the browser re-reads the lists and `/metrics`. */
export interface BrowserTiming {
  readonly refreshMs: number;
  readonly metricsMs: number;
}

const TIMING: BrowserTiming = { refreshMs: 5000, metricsMs: 2000 };

const EMPTY: CatalogSnapshot = { streams: [], tables: [], topics: [], queries: [], processingLogTopic: undefined };

/** The sidebar's focusable controls, in order, for arrow-key moves. */
const FOCUSABLE = '.browser-tools button, .section-toggle, .browser-list:not([hidden]) button';

/**
 * The sidebar's browser: Streams, Tables, Topics and Queries as collapsible
 * lists (re-read after every statement and every few seconds), each item
 * opening its details in the Details tab; live figures beside each query;
 * buttons for the processing log and for printing topics. Up and Down arrows
 * move between its buttons.
 */
export class CatalogBrowser implements BrowserNavigation {
  readonly element: HTMLElement;
  private readonly streams = new ListSection('streams', 'Streams');
  private readonly tables = new ListSection('tables', 'Tables');
  private readonly topics = new ListSection('topics', 'Topics');
  private readonly queries = new ListSection('queries', 'Queries');
  private readonly status: HTMLElement;
  private readonly figures: LiveFigures;
  /** Each listed query's figures line (kept across redraws of the list). */
  private readonly figureLines = new Map<string, HTMLElement>();
  private snapshot = EMPTY;
  private loading: Promise<void> | undefined;
  private again = false;
  /** Counts details requests, so only the latest one's answer is shown. */
  private detailsSeq = 0;
  private timer = 0;

  constructor(
    private readonly shell: ConsoleShell,
    private readonly timing: BrowserTiming = TIMING,
  ) {
    this.figures = new LiveFigures(shell.api, timing.metricsMs);
    this.status = h('p', { class: 'browser-status', role: 'status' });
    this.element = h(
      'nav',
      { class: 'catalog-browser', 'aria-label': 'Streams, tables, topics and queries' },
      h(
        'div',
        { class: 'browser-tools' },
        h('button', { type: 'button', class: 'processing-log', onclick: () => this.openProcessingLog() }, 'Processing log'),
        h('button', { type: 'button', class: 'refresh', 'aria-label': 'Refresh the lists', onclick: () => this.refresh() }, 'Refresh'),
      ),
      this.status,
      this.streams.element,
      this.tables.element,
      this.topics.element,
      this.queries.element,
    );
    this.element.addEventListener('keydown', (e) => this.arrow(e));
  }

  /** Reads the lists now and then periodically, after every statement, and starts the live figures. */
  start(): void {
    if (this.timer) return;
    this.shell.onStatement(() => this.refresh());
    this.timer = window.setInterval(() => {
      if (!document.hidden) this.refresh();
    }, this.timing.refreshMs);
    this.figures.start();
    this.figures.watch(this.element, () => this.showFigureLines());
    this.refresh();
  }

  /** Re-reads the lists (once more after the current read, if one is under way). */
  refresh(): void {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async load(): Promise<void> {
    try {
      this.snapshot = await loadCatalog(this.shell.api);
      this.status.textContent = '';
    } catch (e) {
      this.status.textContent = `Could not read the lists: ${(e as Error).message}`;
      return;
    }
    this.draw();
  }

  private draw(): void {
    const s = this.snapshot;
    this.streams.update(s.streams.map((x) => this.sourceItem(x)));
    this.tables.update(s.tables.map((x) => this.sourceItem(x)));
    this.topics.update(
      s.topics.map((t) => ({
        key: t.name,
        label: t.name,
        system: isSystemTopic(t.name, s.processingLogTopic),
        open: () => this.showTopic(t.name),
        action: { label: 'Print', name: `Print topic ${t.name}`, run: () => this.printTopic(t.name) },
      })),
    );
    const ids = new Set(s.queries.map((q) => q.id));
    for (const id of this.figureLines.keys()) if (!ids.has(id)) this.figureLines.delete(id);
    this.queries.update(
      s.queries.map((q) => ({
        key: q.id,
        label: q.id,
        note: q.state,
        system: q.queryType === 'PUSH',
        open: () => this.showQuery(q.id),
        extra: this.figureLine(q.id),
      })),
    );
    this.showFigureLines();
  }

  private sourceItem(x: SourceSummary): ListItem {
    return { key: x.name, label: x.name, note: x.isWindowed ? 'windowed' : undefined, system: isSystemSource(x.name), open: () => this.showSource(x.name) };
  }

  private figureLine(id: string): HTMLElement {
    let el = this.figureLines.get(id);
    if (!el) {
      el = h('span', { class: 'item-figures', 'data-testid': `figures-${id}` });
      this.figureLines.set(id, el);
    }
    return el;
  }

  private showFigureLines(): void {
    for (const [id, el] of this.figureLines) el.textContent = figuresLine(this.figures.figures(id));
  }

  /** Shows `what` loading in the Details tab, then `load`'s view unless another details request came after it. */
  private async details(what: string, load: () => Promise<HTMLElement>): Promise<void> {
    const seq = ++this.detailsSeq;
    this.shell.showDetails(loadingView(what));
    const view = await load();
    if (seq === this.detailsSeq) this.shell.showDetails(view);
  }

  showSource(name: string): void {
    void this.details(name, () => sourceDetails(this.shell.api, this, name));
  }

  showQuery(id: string): void {
    void this.details(id, () => queryDetails({ api: this.shell.api, nav: this, figures: this.figures, openTopology: (q) => this.shell.openTopology(q) }, id));
  }

  showTopic(name: string): void {
    ++this.detailsSeq;
    this.shell.showDetails(topicDetails(this.snapshot, this, name));
  }

  printTopic(name: string): void {
    void this.shell.run(`PRINT ${sqlString(name)} FROM BEGINNING;`);
  }

  /** Streams the processing log from its start into the Results tab. */
  openProcessingLog(): void {
    void this.shell.run(`SELECT * FROM ${PROCESSING_LOG_STREAM} EMIT CHANGES;`, { 'auto.offset.reset': 'earliest' });
  }

  private arrow(e: KeyboardEvent): void {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0 && e.key !== 'Home' && e.key !== 'End') return;
    const all = [...this.element.querySelectorAll<HTMLButtonElement>(FOCUSABLE)];
    if (all.length === 0) return;
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : Math.min(Math.max(at + step, 0), all.length - 1);
    all[next]?.focus();
    e.preventDefault();
  }
}
