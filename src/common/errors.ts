import { type Position, caretSnippet } from './position.js';

/**
 * Stable ksqlDB REST error codes. Values are ksqlDB's own so that clients can
 * switch on them unchanged.
 */
export const ErrorCode = {
  BAD_REQUEST: 40000,
  BAD_STATEMENT: 40001,
  QUERY_ENDPOINT: 40002,
  UNAUTHORIZED: 40100,
  FORBIDDEN: 40300,
  NOT_FOUND: 40400,
  /** A name already taken (Kafka Connect's 409: a connector of that name exists). */
  CONFLICT: 40900,
  /** ASSERT TOPIC / ASSERT SCHEMA did not hold within its timeout (HTTP 417). */
  ASSERTION_FAILED: 41700,
  SERVER_ERROR: 50000,
  SERVER_SHUTTING_DOWN: 50300,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Base of every error Sluice raises on purpose. Subclasses say who is at
 * fault: the user's SQL (ParseError, PlanError), the data or environment at run
 * time (ExecutionError), a feature not built yet (NotImplementedError), or
 * Sluice itself (InternalError).
 */
export abstract class SluiceError extends Error {
  abstract readonly errorCode: ErrorCode;
  /** Where in the SQL the problem is, when it is tied to SQL text. */
  readonly position: Position | undefined;
  constructor(message: string, position?: Position) {
    super(message);
    this.name = new.target.name;
    this.position = position;
  }
  /** The message with `line:column` prefix and a caret snippet when the source is known. */
  describe(source?: string): string {
    if (!this.position) return this.message;
    const at = `line ${this.position.line}:${this.position.column}`;
    const snippet = source !== undefined ? `\n${caretSnippet(source, this.position)}` : '';
    return `${at}: ${this.message}${snippet}`;
  }
}

/** The SQL text does not follow the grammar. */
export class ParseError extends SluiceError {
  readonly errorCode = ErrorCode.BAD_STATEMENT;
}

/** The SQL parses but cannot be planned: unknown names, type mismatches, bad options. */
export class PlanError extends SluiceError {
  readonly errorCode = ErrorCode.BAD_STATEMENT;
}

/** The statement or request asks for more than a configured bound allows (partitions, sizes). */
export class LimitError extends SluiceError {
  readonly errorCode = ErrorCode.BAD_STATEMENT;
}

/** Something failed while running a statement or processing data. */
export class ExecutionError extends SluiceError {
  readonly errorCode = ErrorCode.SERVER_ERROR;
}

/** A valid ksqlDB feature that Sluice does not support yet. */
export class NotImplementedError extends SluiceError {
  readonly errorCode = ErrorCode.BAD_STATEMENT;
}

/** An `ASSERT TOPIC` / `ASSERT SCHEMA` statement whose condition did not hold within its timeout. */
export class AssertionFailedError extends SluiceError {
  readonly errorCode = ErrorCode.ASSERTION_FAILED;
}

/** A broken invariant inside Sluice: a bug, never the user's fault. */
export class InternalError extends SluiceError {
  readonly errorCode = ErrorCode.SERVER_ERROR;
}

/**
 * A file of the data directory is damaged in a way that cannot be repaired
 * without losing data silently (e.g. a corrupt record with intact records after
 * it): start-up stops and the message names the file, the position and the
 * recovery path (`sluice repair`).
 */
export class DamagedDataError extends SluiceError {
  readonly errorCode = ErrorCode.SERVER_ERROR;
  constructor(
    message: string,
    /** The damaged file. */
    readonly path: string,
  ) {
    super(message);
  }
}
