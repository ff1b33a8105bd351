/**
 * Bounds on what one `/ksql` request may ask for: how many statements it holds
 * and how large its answer may grow. Both are server properties (`--config`).
 */
import { ErrorCode } from '../../common/errors.js';
import type { StatementSlice } from '../../parser/index.js';
import type { ServerSettings } from './context.js';
import { HttpError, statementError } from './errors.js';

/** Default of `sluice.server.max.statements.per.request`. */
export const DEFAULT_MAX_STATEMENTS_PER_REQUEST = 1000;
/** Default of `sluice.server.response.limit.bytes` (16 MiB). */
export const DEFAULT_RESPONSE_LIMIT_BYTES = 16 * 1024 * 1024;

/** The request bounds of a server, from its properties. */
export interface RequestLimits {
  readonly maxStatements: number;
  readonly maxResponseBytes: number;
}

function positiveInt(properties: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const raw = properties[name];
  const n = raw === undefined ? fallback : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The bounds in force for `settings` (invalid values fall back to the defaults). */
export function requestLimits(settings: ServerSettings): RequestLimits {
  return {
    maxStatements: positiveInt(settings.properties, 'sluice.server.max.statements.per.request', DEFAULT_MAX_STATEMENTS_PER_REQUEST),
    maxResponseBytes: positiveInt(settings.properties, 'sluice.server.response.limit.bytes', DEFAULT_RESPONSE_LIMIT_BYTES),
  };
}

/** @throws HttpError 40001 naming the first statement past the limit, before any statement runs. */
export function checkStatementCount(slices: readonly StatementSlice[], limits: RequestLimits): void {
  if (slices.length <= limits.maxStatements) return;
  const first = slices[limits.maxStatements]!;
  const at = `line ${first.pos.line}:${first.pos.column}`;
  throw new HttpError(
    statementError(
      ErrorCode.BAD_STATEMENT,
      `${at}: Too many statements in one request: ${slices.length}, the limit is ${limits.maxStatements} (server property sluice.server.max.statements.per.request). Nothing was executed.`,
      first.text,
    ),
  );
}

/**
 * Counts the bytes of a response as its entities are produced.
 * @throws HttpError 40001 for the statement whose entity goes past the limit.
 */
export class ResponseBudget {
  private used = 2;
  constructor(private readonly limits: RequestLimits) {}

  add(bytes: number, statementText: string, executedBefore: number): void {
    this.used += bytes + 1;
    if (this.used <= this.limits.maxResponseBytes) return;
    throw new HttpError(
      statementError(
        ErrorCode.BAD_STATEMENT,
        `The response would exceed ${this.limits.maxResponseBytes} bytes (server property sluice.server.response.limit.bytes); send fewer statements per request. The ${executedBefore} statement(s) before this one were executed.`,
        statementText,
      ),
    );
  }
}
