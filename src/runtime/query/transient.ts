import type { ResultColumn, TransientQuery } from '../transient-query.js';
import type { Operator, Rec } from '../operators/record.js';
import { keyString } from '../state/key-codec.js';

/**
 * An unbounded queue rows are pushed into synchronously (from operators) and
 * pulled from asynchronously (by the HTTP layer). Ends once, with or without error.
 */
export class RowQueue implements AsyncIterable<readonly unknown[]> {
  private readonly rows: (readonly unknown[])[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;

  push(row: readonly unknown[]): void {
    if (this.ended) return;
    this.rows.push(row);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly unknown[]> {
    for (;;) {
      while (this.rows.length > 0) yield this.rows.shift()!;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}

/** The TransientQuery handed to clients; the engine drives it through `queue` and `finish`. */
export class TransientHandle implements TransientQuery {
  readonly queue = new RowQueue();
  readonly done: Promise<void>;
  error: string | undefined;
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
  }

  get rows(): AsyncIterable<readonly unknown[]> {
    return this.queue;
  }

  get isClosed(): boolean {
    return this.closed;
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
}

/**
 * The last operator of a push query: hands each row to the client, stopping after
 * `limit` rows. Tombstones of table queries are not rows and are skipped.
 */
export class PushTerminal implements Operator {
  private count = 0;
  constructor(
    private readonly handle: TransientHandle,
    private readonly limit: number | undefined,
  ) {}

  process(rec: Rec): void {
    if (rec.row === null || this.handle.isClosed) return;
    this.handle.queue.push(rec.row);
    if (this.limit !== undefined && ++this.count >= this.limit) this.handle.close();
  }
}

/**
 * The last operator of a pull query: keeps the latest row per key (and window);
 * tombstones delete. `rows()` is the state once the input is exhausted.
 */
export class PullCollector implements Operator {
  private readonly latest = new Map<string, readonly unknown[]>();
  private readonly all: (readonly unknown[])[] = [];
  constructor(private readonly isTable: boolean) {}

  process(rec: Rec): void {
    if (!this.isTable) {
      if (rec.row !== null) this.all.push(rec.row);
      return;
    }
    const k = rec.window ? `${keyString(rec.key)}@${rec.window.start}` : keyString(rec.key);
    if (rec.row === null) this.latest.delete(k);
    else this.latest.set(k, rec.row);
  }

  rows(): readonly (readonly unknown[])[] {
    return this.isTable ? [...this.latest.values()] : this.all;
  }
}
