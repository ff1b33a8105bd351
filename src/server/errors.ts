import { ErrorCode, SluiceError } from '../common/errors.js';

/** ksqlDB's error code for too many concurrent push queries. */
export const MAX_PUSH_QUERIES_EXCEEDED = 40003;

/** ksqlDB's `KsqlErrorMessage` JSON. */
export interface GenericErrorBody {
  readonly '@type': 'generic_error';
  readonly error_code: number;
  readonly message: string;
}

/** ksqlDB's `KsqlStatementErrorMessage` JSON: an error tied to one statement of a request. */
export interface StatementErrorBody {
  readonly '@type': 'statement_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText: string;
  readonly entities: readonly unknown[];
}

export type ErrorBody = GenericErrorBody | StatementErrorBody;

/**
 * An error the REST layer answers with: an HTTP status and ksqlDB's JSON body.
 * The HTTP status is always `error_code / 100`, as in ksqlDB.
 */
export class HttpError extends Error {
  constructor(
    readonly body: ErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
  }
  get status(): number {
    return Math.floor(this.body.error_code / 100);
  }
}

/** A `generic_error` body. */
export function genericError(code: number, message: string): GenericErrorBody {
  return { '@type': 'generic_error', error_code: code, message };
}

/** A `statement_error` body. */
export function statementError(code: number, message: string, statementText: string, entities: readonly unknown[] = []): StatementErrorBody {
  return { '@type': 'statement_error', error_code: code, message, statementText, entities };
}

/** 40000: the request itself is malformed (bad JSON, missing or unknown fields). */
export function badRequest(message: string): HttpError {
  return new HttpError(genericError(ErrorCode.BAD_REQUEST, message));
}

/** 40400. */
export function notFound(message: string): HttpError {
  return new HttpError(genericError(ErrorCode.NOT_FOUND, message));
}

/** ksqlDB's 40002 message for SELECT / PRINT sent to `/ksql`. */
export const QUERY_ENDPOINT_MESSAGE =
  "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

/**
 * The message of an error to show a client: SluiceErrors are described with
 * their position (`line:col`) when the SQL is known; anything else is a
 * server error whose details stay in the server log (never a stack trace).
 */
export function errorMessage(err: unknown, sql?: string): string {
  if (err instanceof SluiceError) return err.describe(sql);
  if (err instanceof HttpError) return err.message;
  return 'Internal server error';
}

/** The ksqlDB error code for an error raised while serving a statement. */
export function errorCode(err: unknown): number {
  if (err instanceof SluiceError) return err.errorCode;
  if (err instanceof HttpError) return err.body.error_code;
  return ErrorCode.SERVER_ERROR;
}

/**
 * Maps any error to an HttpError tied to a statement (for `/ksql`, `/query`).
 * `sql` is the text the error's position refers to (default: `statementText`).
 */
export function toStatementError(err: unknown, statementText: string, entities: readonly unknown[] = [], sql: string = statementText): HttpError {
  if (err instanceof HttpError) return err;
  return new HttpError(statementError(errorCode(err), errorMessage(err, sql), statementText, entities));
}

/** Maps any error to a generic HttpError. */
export function toGenericError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  return new HttpError(genericError(errorCode(err), errorMessage(err)));
}
