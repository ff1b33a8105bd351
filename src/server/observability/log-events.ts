/**
 * Engine events as log lines: every statement executed (text redacted and
 * cut by the engine, duration, result or error code), query starts, stops and
 * failures with the reason, and processing-log counts per query and round.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import { assertNever } from '../../common/assert.js';
import type { EngineEvent, EngineEvents } from '../../common/engine-events.js';

/** Milliseconds rounded to 0.1 for logs. */
function ms(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * A server's log with what ties its lines to requests: `requestIds` holds the
 * id of the request being served (fastify's `req.id`) across its async work,
 * so engine events a request causes (its statements, its queries) carry it.
 */
export interface ServerLog {
  readonly logger: Logger;
  readonly requestIds: AsyncLocalStorage<string>;
  /** Engine events written to {@link logger} (give it to the engine). */
  readonly events: EngineEvents;
}

/** A {@link ServerLog} over `logger`. */
export function serverLog(logger: Logger): ServerLog {
  const requestIds = new AsyncLocalStorage<string>();
  return { logger, requestIds, events: logEngineEvents(logger, requestIds) };
}

/**
 * An {@link EngineEvents} listener writing each event to `logger`, with the
 * request id where a request caused it. A query's later lines (its stop or
 * failure, its processing errors), which the engine's pump drives rather than
 * a request, carry the id of the request that created the query: kept from
 * its start until its stop. A query started without a request (replayed from
 * the command log at start-up) has none.
 */
export function logEngineEvents(logger: Logger, requestIds: AsyncLocalStorage<string>): EngineEvents {
  /** The request that started each running query, by query id. */
  const origins = new Map<string, string>();
  const requestOf = (e: EngineEvent): string | undefined => {
    switch (e.kind) {
      case 'statement':
        return requestIds.getStore();
      case 'query-started': {
        const id = requestIds.getStore();
        if (id !== undefined) origins.set(e.queryId, id);
        return id;
      }
      case 'query-stopped': {
        const id = origins.get(e.queryId);
        origins.delete(e.queryId);
        return id;
      }
      case 'processing-errors':
        return origins.get(e.queryId);
      default:
        return assertNever(e, 'engine event');
    }
  };
  /** The event's level; per-request lines (a pull query's start and stop) are debug, skipped cheaply when off. */
  const levelOf = (e: EngineEvent): 'debug' | 'info' | 'warn' | 'error' => {
    switch (e.kind) {
      case 'statement':
        if (e.errorCode === undefined) return e.replayed ? 'debug' : 'info'; // replayed statements are many at start-up
        return e.errorCode >= 50000 ? 'error' : 'info';
      case 'query-started':
        return e.type === 'persistent' ? 'info' : 'debug';
      case 'query-stopped':
        if (e.reason === 'failed') return 'error';
        return e.type === 'persistent' ? 'info' : 'debug';
      case 'processing-errors':
        return 'warn';
      default:
        return assertNever(e, 'engine event');
    }
  };
  return {
    emit(e: EngineEvent): void {
      const reqId = requestOf(e);
      const level = levelOf(e);
      if (!logger.isLevelEnabled(level)) return;
      const log = reqId === undefined ? logger : logger.child({ reqId });
      switch (e.kind) {
        case 'statement':
          if (e.errorCode === undefined) {
            log[level]({ statement: e.statement, sql: e.text, durationMs: ms(e.durationMs), replayed: e.replayed }, 'statement executed');
          } else {
            log[level](
              {
                statement: e.statement,
                sql: e.text,
                durationMs: ms(e.durationMs),
                errorCode: e.errorCode,
                error: e.error,
                replayed: e.replayed,
                ...(e.stack === undefined ? {} : { stack: e.stack }),
              },
              'statement failed',
            );
          }
          return;
        case 'query-started':
          log[level](
            { queryId: e.queryId, type: e.type, sql: e.text, ...(e.durationMs === undefined ? {} : { durationMs: ms(e.durationMs) }) },
            'query started',
          );
          return;
        case 'query-stopped':
          if (e.reason === 'failed')
            log[level](
              {
                queryId: e.queryId,
                type: e.type,
                reason: e.reason,
                error: e.error,
                durationMs: ms(e.durationMs),
                ...(e.stack === undefined ? {} : { stack: e.stack }),
              },
              'query failed',
            );
          else log[level]({ queryId: e.queryId, type: e.type, reason: e.reason, durationMs: ms(e.durationMs) }, 'query stopped');
          return;
        case 'processing-errors':
          log[level]({ queryId: e.queryId, count: e.count, total: e.total, lastMessage: e.lastMessage }, 'processing errors');
          return;
        default:
          assertNever(e, 'engine event');
      }
    },
  };
}
