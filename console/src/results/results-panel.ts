import { type KsqlApi, KsqlError, type KsqlEntity, type QueryHeader, type StatementProperties } from '../api.js';
import { h, replace } from '../dom.js';
import { statementKind } from '../statements.js';
import { entityView } from './entity-view.js';
import { toCsv, toJson } from './format.js';
import { VirtualTable } from './virtual-table.js';

/** How a run ended, for whoever ran it (to mark an error in the editor). */
export type RunOutcome = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly error: KsqlError } | { readonly kind: 'stopped' };

/**
 * Runs statements and shows what they return: `/ksql` entities, pull query
 * rows, and push queries streaming into a {@link VirtualTable} with their row
 * count and rate, pause, stop and export.
 */
export class ResultsPanel {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly rate: HTMLElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly content: HTMLElement;
  private readonly table = new VirtualTable();
  private abort: AbortController | undefined;
  private queryId: string | undefined;
  private paused = false;
  private held: unknown[][] = [];
  private received = 0;
  private rateTimer = 0;
  private lastCount = 0;
  private lastTime = 0;

  constructor(private readonly api: KsqlApi) {
    this.status = h('span', { class: 'run-status', role: 'status', 'aria-live': 'polite' }, 'Ready');
    this.counter = h('span', { class: 'row-count', 'data-testid': 'row-count' }, '');
    this.rate = h('span', { class: 'row-rate', 'data-testid': 'row-rate' }, '');
    this.pauseButton = h('button', { type: 'button', class: 'pause', disabled: true, onclick: () => this.togglePause() }, 'Pause');
    this.stopButton = h('button', { type: 'button', class: 'stop', disabled: true, onclick: () => void this.stop() }, 'Stop');
    const exportCsv = h('button', { type: 'button', class: 'export-csv', onclick: () => this.download('csv') }, 'CSV');
    const exportJson = h('button', { type: 'button', class: 'export-json', onclick: () => this.download('json') }, 'JSON');
    this.content = h('div', { class: 'results-content' });
    this.element = h(
      'section',
      { class: 'results', 'aria-label': 'Results' },
      h(
        'div',
        { class: 'results-bar' },
        this.status,
        this.counter,
        this.rate,
        h('span', { class: 'spacer' }),
        this.pauseButton,
        this.stopButton,
        h('span', { class: 'export-label' }, 'Export'),
        exportCsv,
        exportJson,
      ),
      this.content,
    );
  }

  /** Runs one statement, ending whatever query was running. */
  async run(sql: string, properties: StatementProperties): Promise<RunOutcome> {
    await this.stop();
    const kind = statementKind(sql);
    this.setStatus('Running…');
    try {
      if (kind === 'other') {
        const entities = await this.api.ksql(sql, properties);
        this.showEntities(entities);
        this.setStatus('Done');
        return { kind: 'ok' };
      }
      return await this.stream(sql, properties, kind === 'print');
    } catch (e) {
      const err = e instanceof KsqlError ? e : new KsqlError(0, (e as Error).message);
      this.showError(err);
      return { kind: 'error', error: err };
    }
  }

  /** Shows entities of a `/ksql` response. */
  showEntities(entities: readonly KsqlEntity[]): void {
    replace(this.content, ...entities.map((e) => entityView(e)));
    this.counter.textContent = '';
    this.rate.textContent = '';
  }

  private showError(err: KsqlError): void {
    this.setStatus(`Error ${err.errorCode}`);
    replace(this.content, h('pre', { class: 'error', role: 'alert' }, err.message));
  }

  private async stream(sql: string, properties: StatementProperties, print: boolean): Promise<RunOutcome> {
    const abort = new AbortController();
    this.abort = abort;
    this.queryId = undefined;
    this.paused = false;
    this.held = [];
    this.received = 0;
    this.pauseButton.disabled = false;
    this.pauseButton.textContent = 'Pause';
    this.stopButton.disabled = false;
    this.table.reset(print ? ['MESSAGE'] : []);
    replace(this.content, this.table.element);
    this.startRate();
    const sink = {
      header: (hd: QueryHeader) => {
        this.queryId = hd.queryId;
        this.table.reset(hd.columnNames, hd.columnTypes);
        this.setStatus(hd.queryId ? 'Streaming' : 'Running');
      },
      rows: (rows: unknown[][]) => this.add(rows),
      // PRINT sends no header: its first line starts the stream.
      message: (m: string) => {
        if (this.received === 0) this.setStatus('Streaming');
        this.add([[m]]);
      },
    };
    try {
      if (print) await this.api.print(sql, properties, sink, abort.signal);
      else await this.api.query(sql, properties, sink, abort.signal);
      this.finish(abort, 'Done');
      return { kind: 'ok' };
    } catch (e) {
      if (abort.signal.aborted) {
        this.finish(abort, 'Stopped');
        return { kind: 'stopped' };
      }
      this.finish(abort, 'Failed');
      throw e;
    }
  }

  private add(rows: unknown[][]): void {
    this.received += rows.length;
    if (this.paused) for (const r of rows) this.held.push(r);
    else this.table.append(rows);
    this.counter.textContent = `${this.received.toLocaleString('en')} rows`;
  }

  private finish(abort: AbortController, status: string): void {
    if (this.abort !== abort) return;
    if (this.held.length > 0) this.table.append(this.held);
    this.held = [];
    this.abort = undefined;
    this.pauseButton.disabled = true;
    this.stopButton.disabled = true;
    this.stopRate();
    this.setStatus(status);
  }

  /** Pauses or resumes the display of arriving rows (the query keeps running; rows are held). */
  togglePause(): void {
    this.paused = !this.paused;
    this.pauseButton.textContent = this.paused ? 'Resume' : 'Pause';
    this.setStatus(this.paused ? 'Paused' : 'Streaming');
    if (!this.paused && this.held.length > 0) {
      this.table.append(this.held);
      this.held = [];
    }
  }

  /** Ends the running query, if any (closes it on the server, then drops the connection). */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    const id = this.queryId;
    if (id) await this.api.closeQuery(id).catch(() => undefined);
    abort.abort();
  }

  private startRate(): void {
    this.stopRate();
    this.lastCount = 0;
    this.lastTime = performance.now();
    this.rateTimer = window.setInterval(() => {
      const now = performance.now();
      const perSec = ((this.received - this.lastCount) * 1000) / Math.max(now - this.lastTime, 1);
      this.rate.textContent = `${Math.round(perSec).toLocaleString('en')} rows/s`;
      this.lastCount = this.received;
      this.lastTime = now;
    }, 1000);
  }

  private stopRate(): void {
    if (this.rateTimer) window.clearInterval(this.rateTimer);
    this.rateTimer = 0;
  }

  private setStatus(s: string): void {
    this.status.textContent = s;
  }

  private download(format: 'csv' | 'json'): void {
    const cols = this.table.columnNames;
    const text = format === 'csv' ? toCsv(cols, this.table.allRows()) : toJson(cols, this.table.allRows());
    const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `results.${format}` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}
