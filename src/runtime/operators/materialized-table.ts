import type { Rec, WindowBounds } from './record.js';
import { keyString } from '../state/key-codec.js';

/** One current row of a table: its key, value columns, window and timestamp. */
export interface MaterializedRow {
  readonly key: readonly unknown[];
  readonly value: readonly unknown[];
  readonly window: WindowBounds | null;
  readonly ts: number;
}

/**
 * The current contents of a table a persistent query writes, kept as its sink
 * emits them (upserts, tombstones delete), so pull queries read state instead of
 * re-reading the table's topic. A new table's view costs nothing until the first
 * pull query on it, which fills it from the topic (`complete` becomes true); after a
 * restart a durable engine fills it in the background (query/view-rebuild.ts). From
 * then on the sink keeps it current.
 */
export class MaterializedTable {
  private rows = new Map<string, MaterializedRow>();
  /** While a rebuild reads the topic, the records the sink applies meanwhile (re-applied after it). */
  private pending: Rec[] | undefined;

  /** True once filled from the topic; the sink then keeps it current. */
  complete = false;

  /** Applies one record the sink wrote (key and value in the sink's column order). */
  apply(rec: Rec): void {
    if (this.pending) this.pending.push(rec);
    else if (!this.complete) return; // not in use yet: nothing to keep
    applyTo(this.rows, rec);
  }

  /** The rebuild in progress, if any: later pull queries wait for it instead of starting another. */
  rebuilding: Promise<void> | undefined;
  /** The rows a rebuild in progress has read from the topic so far. */
  private next: Map<string, MaterializedRow> | undefined;

  /** Starts a rebuild: from now on applied records are also kept to replay. */
  beginRebuild(): void {
    this.pending ??= [];
    this.next = new Map();
  }

  /** Adds records read from the table's topic (oldest first) to the rebuild in progress. */
  addRebuilt(records: Iterable<Rec>): void {
    const next = this.next!;
    for (const r of records) applyTo(next, r);
  }

  /**
   * Finishes a rebuild: re-applies what the sink wrote meanwhile over the records
   * added from the topic, so nothing newer is lost, and serves the result.
   */
  finishRebuild(): void {
    const rows = this.next ?? new Map<string, MaterializedRow>();
    for (const r of this.pending ?? []) applyTo(rows, r);
    this.rows = rows;
    this.next = undefined;
    this.pending = undefined;
    this.complete = true;
  }

  /** Gives up a rebuild that failed: the view stays unfilled, the next pull query tries again. */
  abortRebuild(): void {
    this.next = undefined;
    this.pending = undefined;
  }

  /**
   * Forgets the contents: the next pull query refills the view from the topic (after
   * this server took partitions over, rows other servers wrote meanwhile are missing).
   */
  invalidate(): void {
    if (this.pending) return; // a rebuild in progress reads the topic anyway
    this.complete = false;
    this.rows = new Map();
  }

  /** The row of one (unwindowed) key, if present. */
  get(key: readonly unknown[]): MaterializedRow | undefined {
    return this.rows.get(rowKey(key, null));
  }

  values(): IterableIterator<MaterializedRow> {
    return this.rows.values();
  }

  get size(): number {
    return this.rows.size;
  }
}

function applyTo(rows: Map<string, MaterializedRow>, rec: Rec): void {
  if (rec.key === null) return;
  const k = rowKey(rec.key, rec.window);
  if (rec.row === null) rows.delete(k);
  else rows.set(k, { key: rec.key, value: rec.row, window: rec.window, ts: rec.ts });
}

function rowKey(key: readonly unknown[], window: WindowBounds | null): string {
  return window ? `${keyString(key as unknown[])}@${window.start}` : keyString(key as unknown[]);
}
