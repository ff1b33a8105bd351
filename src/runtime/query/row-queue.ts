import { partitionFor } from '../log/murmur2.js';
import type { ResultColumn, TransientQuery } from './transient-query.js';
import type { Operator, Rec } from '../operators/record.js';
import { keyString } from '../state/key-codec.js';

/** The server property bounding the rows buffered per push query, in bytes. */
export const PUSH_BUFFER_PROPERTY = 'sluice.push.query.buffer.bytes';

/** Rows a push query or PRINT may hold for a client that is not reading, by default (see {@link RowQueue}). */
export const DEFAULT_PUSH_BUFFER_BYTES = 4 * 1024 * 1024;

/** Rough bytes of memory a value of a row holds (strings 2 per char, numbers 8, collections summed). */
export function valueBytes(v: unknown): number {
  if (v === null || v === undefined) return 8;
  switch (typeof v) {
    case 'string':
      return 16 + 2 * v.length;
    case 'number':
    case 'boolean':
      return 8;
    case 'bigint':
      return 16;
    case 'object':
      break;
    default:
      return 16;
  }
  if (Buffer.isBuffer(v)) return 16 + v.length;
  let n = 16;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += valueBytes(v[i]);
  } else if (v instanceof Map) {
    for (const [k, x] of v) n += valueBytes(k) + valueBytes(x);
  } else if (v instanceof Date) {
    n += 8;
  } else {
    for (const k in v as Record<string, unknown>) n += 16 + 2 * k.length + valueBytes((v as Record<string, unknown>)[k]);
  }
  return n;
}

/**
 * A queue rows are pushed into synchronously (from operators) and pulled from
 * asynchronously (by the HTTP layer). Ends once, with or without error.
 * Backpressure: once the rows held reach half of `maxBytes` the queue is
 * {@link full} and its query stops being run; when the client has taken them
 * down to a quarter, `onDrained` is called so the query runs again (the rows
 * wait in the log meanwhile, nothing is lost). Invariant, as a safety net for
 * one run that yields more than the rest: the rows held never add up to more
 * than `maxBytes` (by {@link valueBytes}); the push that would pass it drops
 * every row held, ends the queue and calls `onOverflow` instead.
 */
export class RowQueue implements AsyncIterable<readonly unknown[]> {
  private rows: (readonly unknown[])[] = [];
  private sizes: number[] = [];
  private head = 0;
  private held = 0;
  private waiter: (() => void) | undefined;
  private ended = false;
  /** Largest total size of the rows held; Infinity: unbounded (pull queries). */
  maxBytes = Infinity;
  /** Called when a full queue has been drained to a quarter of `maxBytes` (its query may run again). */
  onDrained: (() => void) | undefined;
  private paused = false;

  constructor(private readonly onOverflow: (bytes: number) => void = () => undefined) {}

  /** Bytes of the rows held now (an estimate, see {@link valueBytes}). */
  get bufferedBytes(): number {
    return this.held;
  }

  /** Whether the client lags by half the bound or more: its query should not run until it catches up. */
  get full(): boolean {
    if (this.held * 2 >= this.maxBytes) this.paused = true;
    return this.paused;
  }

  push(row: readonly unknown[]): void {
    if (this.ended) return;
    if (this.maxBytes !== Infinity) {
      let size = 16;
      for (let i = 0; i < row.length; i++) size += valueBytes(row[i]);
      if (this.held + size > this.maxBytes) {
        const held = this.held + size;
        this.end(true);
        this.onOverflow(held);
        return;
      }
      this.held += size;
      this.sizes.push(size);
    } else this.sizes.push(0);
    this.rows.push(row);
    this.wake();
  }

  /** Ends the queue; `drop` also lets go of the rows not yet taken. */
  end(drop = false): void {
    this.ended = true;
    if (drop) {
      this.rows = [];
      this.sizes = [];
      this.head = 0;
      this.held = 0;
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private take(): readonly unknown[] {
    const row = this.rows[this.head]!;
    this.held -= this.sizes[this.head]!;
    this.head++;
    if (this.paused && this.held * 4 <= this.maxBytes) {
      this.paused = false;
      this.onDrained?.();
    }
    if (this.head === this.rows.length) {
      this.rows = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return row;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly unknown[]> {
    for (;;) {
      while (this.head < this.rows.length) yield this.take();
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}

/** The TransientQuery handed to clients; the engine drives it through `queue` and `finish`. */
export class TransientHandle implements TransientQuery {
  readonly queue = new RowQueue((bytes) => this.overflow(bytes));
  readonly done: Promise<void>;
  error: string | undefined;
  finalMessage: string | undefined;
  private resolveDone!: () => void;
  private closed = false;

  constructor(
    readonly id: string,
    readonly kind: 'push' | 'pull' | 'print',
    readonly columns: readonly ResultColumn[],
    readonly keyColumns: readonly string[],
    private readonly onClose: () => void,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (kind !== 'pull') this.queue.maxBytes = DEFAULT_PUSH_BUFFER_BYTES;
  }

  get rows(): AsyncIterable<readonly unknown[]> {
    return this.queue;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get bufferedBytes(): number {
    return this.queue.bufferedBytes;
  }

  /** A push query whose client lags behind (see {@link RowQueue.full}): the engine does not run it meanwhile. */
  get backpressured(): boolean {
    return this.queue.full;
  }

  limitBuffer(maxBytes: number): void {
    if (this.kind !== 'pull') this.queue.maxBytes = maxBytes > 0 ? maxBytes : Infinity;
  }

  /** Ends the query: no more rows; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.end();
    this.onClose();
    this.resolveDone();
  }

  fail(message: string): void {
    this.error = message;
    this.close();
  }

  private overflow(bytes: number): void {
    const limit = this.queue.maxBytes;
    this.fail(
      `Push query ${this.id} was closed because its client is not reading its results: ${bytes} bytes of rows were waiting to be sent, more than the limit of ${limit} bytes (server property ${PUSH_BUFFER_PROPERTY}).`,
    );
  }
}

/**
 * The last operator of a push query: hands each row to the client, stopping after
 * `limit` rows. Tombstones of table queries are not rows and are skipped.
 */
export class PushTerminal implements Operator {
  private count = 0;
  /** `dropNullKeys` (a keyed source): records whose key is null are not rows (ksqlDB's scalable push queries). */
  constructor(
    private readonly handle: TransientHandle,
    private readonly limit: number | undefined,
    private readonly dropNullKeys = false,
  ) {}

  process(rec: Rec): void {
    if (rec.row === null || this.handle.isClosed) return;
    if (this.dropNullKeys && (rec.key === null || rec.key.every((k) => k === null))) return;
    this.handle.queue.push(rec.row);
    if (this.limit !== undefined && ++this.count >= this.limit) this.handle.close();
  }
}

/**
 * The last operator of a pull query: keeps the latest row per key (and window);
 * tombstones delete. `rows()` is the state once the input is exhausted.
 */
export class PullCollector implements Operator {
  private readonly latest = new Map<string, { readonly rec: Rec; readonly row: readonly unknown[] }>();
  private readonly all: (readonly unknown[])[] = [];
  /**
   * `keyOrder`: a table's rows come out in the order of these bytes of their
   * keys (then window start); see {@link tableScanOrder}.
   */
  constructor(
    private readonly isTable: boolean,
    private readonly keyOrder?: (key: readonly unknown[]) => Buffer,
  ) {}

  process(rec: Rec): void {
    if (!this.isTable) {
      if (rec.row !== null) this.all.push(rec.row);
      return;
    }
    const k = rec.window ? `${keyString(rec.key)}@${rec.window.start}` : keyString(rec.key);
    if (rec.row === null) this.latest.delete(k);
    else this.latest.set(k, { rec, row: rec.row });
  }

  rows(): readonly (readonly unknown[])[] {
    if (!this.isTable) return this.all;
    const entries = [...this.latest.values()];
    const order = this.keyOrder;
    if (order && entries.length > 1) {
      const keyed = entries.map((e) => ({ e, k: e.rec.key ? order(e.rec.key) : EMPTY }));
      keyed.sort((a, b) => Buffer.compare(a.k, b.k) || (a.e.rec.window?.start ?? 0) - (b.e.rec.window?.start ?? 0));
      return keyed.map((x) => x.e.row);
    }
    return entries.map((e) => e.row);
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * The order ksqlDB's table scans return rows in: partition by partition (the
 * murmur2 partition of the serialized key among `partitions`), and within one
 * by the serialized key's bytes (its state store's order). As a sort key.
 */
export function tableScanOrder(serializeKey: (key: readonly unknown[]) => Buffer | null, partitions: number): (key: readonly unknown[]) => Buffer {
  return (key) => {
    const bytes = serializeKey(key) ?? EMPTY;
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(partitions > 1 && bytes.length > 0 ? partitionFor(bytes, partitions) : 0);
    return Buffer.concat([prefix, bytes]);
  };
}
