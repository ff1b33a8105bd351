/**
 * What the engine reports as it works, for operators to see (logs, metrics):
 * the narrow port through which the runtime tells the server what happened
 * without importing a logger. Events are rare (per statement, per query start
 * or stop, per processing-log change): never per record.
 */

/** A statement the engine executed, or refused. */
export interface StatementEvent {
  readonly kind: 'statement';
  /** The statement text, secrets redacted and cut to a few hundred characters. */
  readonly text: string;
  /** The AST kind of the statement (e.g. `CreateAsSelect`). */
  readonly statement: string;
  readonly durationMs: number;
  /** ksqlDB error code when it failed; absent when it succeeded. */
  readonly errorCode?: number;
  readonly error?: string;
  /** An internal error's stack (a failure that is not the statement's fault). */
  readonly stack?: string;
  /** Replayed from the command log at start-up rather than sent by a client. */
  readonly replayed: boolean;
}

/** A query started: persistent (CSAS/CTAS/INSERT INTO) or transient (push, pull, PRINT). */
export interface QueryStartedEvent {
  readonly kind: 'query-started';
  readonly queryId: string;
  readonly type: 'persistent' | 'push' | 'pull' | 'print';
  readonly text?: string;
  /** Transient queries: time to plan and set the query up, in ms. */
  readonly durationMs?: number;
}

/** A query stopped (terminated, closed, completed) or failed. */
export interface QueryStoppedEvent {
  readonly kind: 'query-stopped';
  readonly queryId: string;
  readonly type: 'persistent' | 'push' | 'pull' | 'print';
  /** Why: `terminated`, `completed`, `closed`, or `failed`. */
  readonly reason: 'terminated' | 'completed' | 'closed' | 'failed';
  /** The failure's message when `reason` is `failed`. */
  readonly error?: string;
  /** An internal failure's stack (not a SQL or data error). */
  readonly stack?: string;
  /** Time since the query started, in ms. */
  readonly durationMs: number;
}

/** Processing-log entries a query reported since the last such event (at most one per pump round). */
export interface ProcessingErrorsEvent {
  readonly kind: 'processing-errors';
  readonly queryId: string;
  /** Entries since the previous event for this query. */
  readonly count: number;
  /** Entries since the query started. */
  readonly total: number;
  /** The latest entry's message. */
  readonly lastMessage: string;
}

/** Everything an {@link EngineEvents} listener may be told. */
export type EngineEvent = StatementEvent | QueryStartedEvent | QueryStoppedEvent | ProcessingErrorsEvent;

/** Receives engine events; must not throw and must return quickly. */
export interface EngineEvents {
  emit(event: EngineEvent): void;
}

/** The default listener: tells no one. */
export const NO_EVENTS: EngineEvents = { emit: () => undefined };
