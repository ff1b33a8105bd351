import type { Rec, WindowBounds } from './record.js';
import { keyString } from '../state/key-codec.js';
import { decodeValue, encodeValue } from '../state/level-store.js';

/** One current row of a table: its key, value columns, window and timestamp. */
export interface MaterializedRow {
  readonly key: readonly unknown[];
  readonly value: readonly unknown[];
  readonly window: WindowBounds | null;
  readonly ts: number;
}

/**
 * Decodes the records of a table's topic for its view (the table's key and value
 * formats): the key columns and window of a record's key bytes, and its value
 * columns; both throw on bytes that are not a row of the table, and a null key is
 * no row either.
 */
export interface TopicRowDecoder {
  key(keyBytes: Buffer): { readonly key: readonly unknown[]; readonly window: WindowBounds | null } | null;
  value(valueBytes: Buffer): readonly unknown[] | null;
}

/**
 * The current contents of a table a persistent query writes, kept as its sink
 * emits them (upserts, tombstones delete), so pull queries read state instead of
 * re-reading the table's topic. A new table's view costs nothing until the first
 * pull query on it, which fills it from the topic (`complete` becomes true); after a
 * restart a durable engine fills it in the background (query/view-rebuild.ts). From
 * then on the sink keeps it current.
 *
 * Each row is one string, decoded when a pull query reads it: a row the rebuild
 * read from the topic keeps the record's key and value bytes (`r<ts> <key length>
 * <key><value>`, latin1), one the sink applied is encoded by the state stores'
 * value codec (`[key, value, ts(, windowStart, windowEnd)]`). A table of a million
 * keys then costs a string per key rather than a row object, two arrays and their
 * values, and a rebuild decodes only the keys, once per record.
 */
export class MaterializedTable {
  private rows = new Map<string, string>();
  /** While a rebuild reads the topic, the records the sink applies meanwhile (re-applied after it). */
  private pending: Rec[] | undefined;
  /** Decodes the rows a rebuild stored as topic bytes. */
  private decoder: TopicRowDecoder | undefined;

  /** True once filled from the topic; the sink then keeps it current. */
  complete = false;

  /** The rebuild in progress, if any: later pull queries wait for it instead of starting another. */
  rebuilding: Promise<void> | undefined;

  /** Applies one record the sink wrote (key and value in the sink's column order). */
  apply(rec: Rec): void {
    if (this.pending) this.pending.push(rec);
    else if (!this.complete) return; // not in use yet: nothing to keep
    applyTo(this.rows, rec);
  }

  /**
   * Starts a rebuild: from now on applied records are also kept to replay. The
   * caller adds the table's topic records to the returned rebuild (oldest first,
   * partition by partition) and finishes it.
   */
  beginRebuild(decoder: TopicRowDecoder): ViewRebuild {
    this.pending ??= [];
    return new ViewRebuild(decoder, (rows) => {
      for (const r of this.pending ?? []) applyTo(rows, r);
      this.rows = rows;
      this.decoder = decoder;
      this.pending = undefined;
      this.complete = true;
    });
  }

  /** Gives up a rebuild that failed or was stopped: the view stays unfilled, the next pull query tries again. */
  abortRebuild(): void {
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
    const text = this.rows.get(rowKey(key, null));
    return text === undefined ? undefined : this.decode(text);
  }

  /** Every row, decoded one at a time as the caller iterates. */
  *values(): IterableIterator<MaterializedRow> {
    for (const text of this.rows.values()) {
      const row = this.decode(text);
      if (row) yield row;
    }
  }

  /** Number of keys held (a key whose latest topic record does not decode counts until read). */
  get size(): number {
    return this.rows.size;
  }

  /** The row a stored string holds; undefined when its topic bytes are not a row of the table. */
  private decode(text: string): MaterializedRow | undefined {
    if (text.charCodeAt(0) !== 0x72 /* r */) {
      const r = decodeValue(text) as EncodedRow;
      return { key: r[0], value: r[1], ts: r[2], window: r.length === 5 ? { start: r[3], end: r[4] } : null };
    }
    const sp1 = text.indexOf(' ');
    const sp2 = text.indexOf(' ', sp1 + 1);
    const keyEnd = sp2 + 1 + Number(text.slice(sp1 + 1, sp2));
    try {
      const k = this.decoder!.key(Buffer.from(text.slice(sp2 + 1, keyEnd), 'latin1'));
      const value = this.decoder!.value(Buffer.from(text.slice(keyEnd), 'latin1'));
      return k === null || value === null ? undefined : { key: k.key, value, window: k.window, ts: Number(text.slice(1, sp1)) };
    } catch {
      return undefined; // an undecodable record was never a row of the table
    }
  }
}

/**
 * One rebuild of a view in progress: {@link add} keeps each key's latest record
 * as its bytes (an undecodable key is skipped, a tombstone deletes), and
 * {@link finish} re-applies what the sink wrote meanwhile, so nothing newer is
 * lost, and makes the view complete.
 */
export class ViewRebuild {
  private readonly rows = new Map<string, string>();

  /** @internal Use {@link MaterializedTable.beginRebuild}. */
  constructor(
    private readonly decoder: TopicRowDecoder,
    private readonly done: (rows: Map<string, string>) => void,
  ) {}

  /** Adds one record of the table's topic (its bytes are copied). */
  add(keyBytes: Buffer, value: Buffer | null, ts: number): void {
    let k: string;
    try {
      const d = this.decoder.key(keyBytes);
      if (d === null) return;
      k = rowKey(d.key, d.window);
    } catch {
      return; // an undecodable key was never a row of the table
    }
    if (value === null) {
      this.rows.delete(k);
      return;
    }
    // One flat string (a template literal would leave a rope of five strings per row).
    const head = `r${ts} ${keyBytes.length} `;
    const buf = Buffer.allocUnsafe(head.length + keyBytes.length + value.length);
    buf.write(head, 0, 'latin1');
    keyBytes.copy(buf, head.length);
    value.copy(buf, head.length + keyBytes.length);
    this.rows.set(k, buf.toString('latin1'));
  }

  finish(): void {
    this.done(this.rows);
  }
}

/** A row the sink applied: `[key, value, ts]`, plus `windowStart, windowEnd` for a windowed row. */
type EncodedRow = [readonly unknown[], readonly unknown[], number] | [readonly unknown[], readonly unknown[], number, number, number];

function applyTo(rows: Map<string, string>, rec: Rec): void {
  if (rec.key === null) return;
  const k = rowKey(rec.key, rec.window);
  if (rec.row === null) rows.delete(k);
  else {
    const w = rec.window;
    const encoded: EncodedRow = w ? [rec.key, rec.row, rec.ts, w.start, w.end] : [rec.key, rec.row, rec.ts];
    rows.set(k, encodeValue(encoded));
  }
}

function rowKey(key: readonly unknown[], window: WindowBounds | null): string {
  return window ? `${keyString(key as unknown[])}@${window.start}` : keyString(key as unknown[]);
}
