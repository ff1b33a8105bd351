import { ErrorCode, SluiceError } from '../../common/errors.js';

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
    /** The server-side failure (code 50000 and up) behind this answer, for the request's log. */
    readonly failure?: ServerFailure,
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
export const QUERY_ENDPOINT_MESSAGE = "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

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

/** {@link errorMessage}, after logging a server-side failure to the request's log (for errors told in a stream, not an error response). */
export function reportedMessage(log: ErrorLog, err: unknown, sql?: string): string {
  const failure = serverFailure(err, sql);
  if (failure) logServerError(log, failure);
  return errorMessage(err, sql);
}

/** The ksqlDB error code for an error raised while serving a statement. */
export function errorCode(err: unknown): number {
  if (err instanceof SluiceError) return err.errorCode;
  if (err instanceof HttpError) return err.body.error_code;
  return ErrorCode.SERVER_ERROR;
}

/** A server-side failure to log: the error and the statement it ran, if any. */
export interface ServerFailure {
  readonly error: unknown;
  readonly statementText?: string;
}

/** Where a request logs a server-side failure: its pino logger (fastify's `request.log`, which carries `reqId`). */
export interface ErrorLog {
  error(fields: Record<string, unknown>, msg: string): void;
}

/** Longest part of a statement quoted in the server log. */
const LOGGED_STATEMENT_MAX = 500;

/** The failure behind an error, when its code says the server failed (50000 and up: a bug or a broken environment). */
function serverFailure(err: unknown, statementText?: string): ServerFailure | undefined {
  return errorCode(err) < ErrorCode.SERVER_ERROR ? undefined : { error: err, ...(statementText !== undefined ? { statementText } : {}) };
}

/**
 * Writes a server-side failure to the request's log at error level with its
 * stack, since the client is only told "Internal server error" or the bare
 * message.
 */
export function logServerError(log: ErrorLog, failure: ServerFailure): void {
  const { error, statementText } = failure;
  const fields: Record<string, unknown> = {
    errorCode: errorCode(error),
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : undefined,
  };
  if (statementText !== undefined)
    fields['statement'] = statementText.length > LOGGED_STATEMENT_MAX ? `${statementText.slice(0, LOGGED_STATEMENT_MAX)}...` : statementText;
  log.error(fields, 'server error');
}

/**
 * Maps any error to an HttpError tied to a statement (for `/ksql`, `/query`).
 * `sql` is the text the error's position refers to (default: `statementText`).
 */
export function toStatementError(err: unknown, statementText: string, entities: readonly unknown[] = [], sql: string = statementText): HttpError {
  if (err instanceof HttpError) return err;
  return new HttpError(statementError(errorCode(err), errorMessage(err, sql), statementText, entities), {}, serverFailure(err, statementText));
}

/** Maps any error to a generic HttpError. */
export function toGenericError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  return new HttpError(genericError(errorCode(err), errorMessage(err)), {}, serverFailure(err));
}

/**
 * The raw HTTP/1.1 response for a request Node's parser refused before any
 * handler saw it (headers too large, malformed request, request timeout), in
 * ksqlDB's error shape instead of Node's empty-bodied default. Undefined when
 * the connection is already gone and nothing should be written.
 */
export function clientErrorResponse(err: Error & { code?: string }): string | undefined {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return undefined;
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are larger than the server accepts.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request was not received in time.']
        : [400, 'Bad Request', `Malformed HTTP request${err.code ? ` (${err.code})` : ''}.`];
  const body = JSON.stringify(genericError(status * 100, message));
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
