import type { SqlType } from '../../common/types.js';

/** A column of a transient query's result. */
export interface ResultColumn {
  readonly name: string;
  readonly type: SqlType;
}

/**
 * A running transient query: a push query (`EMIT CHANGES`, streams rows until
 * LIMIT, close() or the engine stops), a pull query (rows of the current state,
 * then done), or a PRINT of a topic (each row is one line of text in `columns`
 * `[{name:'ROW'…}]`).
 *
 * Rows hold SQL values in the runtime representation (see common/types.ts), in
 * `columns` order; the REST layer turns them into JSON. Consumers iterate `rows`
 * once; iteration ends when the query completes or is closed. Invariant: after
 * close(), no further rows are yielded and `done` resolves.
 */
export interface TransientQuery {
  /** ksqlDB-style id, e.g. `transient_PAGEVIEWS_123` (pull queries: a fresh uuid-like id). */
  readonly id: string;
  readonly kind: 'push' | 'pull' | 'print';
  readonly columns: readonly ResultColumn[];
  /** Key columns of the result, by name: a table pull query's keys (and window bounds) in its projection, else empty. */
  readonly keyColumns: readonly string[];
  /**
   * Pull queries: what ksqlDB's `/query` writes after the rows, once finished: a
   * stream's `Query Completed`, or `Limit Reached` when its LIMIT cut it short;
   * undefined for a table's (and a stream's whose LIMIT was not reached).
   */
  readonly finalMessage?: string;
  readonly rows: AsyncIterable<readonly unknown[]>;
  /** Stops the query (idempotent). */
  close(): void;
  /** Resolves when the query has finished (LIMIT reached, pull done, closed, or failed). */
  readonly done: Promise<void>;
  /** Set when the query failed while running. */
  readonly error?: string;
  /** Rows waiting to be taken from `rows`, in (estimated) bytes. */
  readonly bufferedBytes?: number;
  /**
   * Push queries and PRINT: bounds the rows waiting to be taken from `rows` to
   * `maxBytes` (0: unbounded); past it the query fails with an error saying so.
   */
  limitBuffer?(maxBytes: number): void;
}

/** Per-request options for executing statements or starting queries over HTTP. */
export interface RequestOptions {
  /** `streamsProperties` of the request: overrides for this request only. */
  readonly properties?: Readonly<Record<string, string>>;
  /** `sessionVariables` of the request: `${name}` substitutions. */
  readonly variables?: Readonly<Record<string, string>>;
}
