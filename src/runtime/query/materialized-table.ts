import type { Rec, WindowBounds } from '../operators/record.js';
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
 * re-reading the table's topic. `complete` is false when the topic held records
 * this view never saw (e.g. after a restart); pull queries then read the topic.
 */
export class MaterializedTable {
  private readonly rows = new Map<string, MaterializedRow>();

  constructor(readonly complete: boolean) {}

  /** Applies one record the sink wrote (key and value in the sink's column order). */
  apply(rec: Rec): void {
    if (rec.key === null) return;
    const k = rowKey(rec.key, rec.window);
    if (rec.row === null) this.rows.delete(k);
    else this.rows.set(k, { key: rec.key, value: rec.row, window: rec.window, ts: rec.ts });
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

function rowKey(key: readonly unknown[], window: WindowBounds | null): string {
  return window ? `${keyString(key as unknown[])}@${window.start}` : keyString(key as unknown[]);
}
