/**
 * What ties HTTP requests to the log and the metrics: a request id on every
 * request (the client's `X-Request-Id` when it sends a sane one, else a fresh
 * UUID), echoed in the response's `X-Request-Id` and in every line the request
 * logs; per response, the HTTP metrics, and a warning for a slow one; and
 * `GET /metrics`, behind the same authentication as every other route.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServerLog } from './log-events.js';
import type { ServerMetrics } from './metrics.js';

/** A server's log, metrics and the slow-request threshold. */
export interface Observability {
  readonly log: ServerLog;
  readonly metrics: ServerMetrics;
  /** A non-streaming response slower than this (ms) is logged as a warning; 0 disables. */
  readonly slowRequestMs: number;
}

/** Default of `sluice.server.slow.request.ms`. */
export const DEFAULT_SLOW_REQUEST_MS = 5000;

/** Routes whose responses stream for as long as the client wants: their time says nothing about slowness. */
const STREAMING_ROUTES = new Set(['/query', '/query-stream', '/inserts-stream', '/ws/query']);

/** A client's request id we keep: short, printable, no spaces. */
const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** The request id: the client's `X-Request-Id` when sane, else a fresh UUID (fastify's `genReqId`). */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = Array.isArray(given) ? given[0] : given;
  return id !== undefined && SANE_REQUEST_ID.test(id) ? id : randomUUID();
}

/** Registers the hooks and `/metrics`; call before the authentication hook so refused requests carry an id too. */
export function registerObservability(app: FastifyInstance, obs: Observability): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    // The engine events this request causes (statements, queries) are logged with its id.
    obs.log.requestIds.enterWith(req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    obs.metrics.observeRequest(req.method, route, reply.statusCode, ms / 1000);
    const fields = { method: req.method, url: req.url, route, status: reply.statusCode, durationMs: Math.round(ms * 10) / 10 };
    if (obs.slowRequestMs > 0 && ms > obs.slowRequestMs && !STREAMING_ROUTES.has(route)) req.log.warn(fields, 'slow request');
    else req.log.debug(fields, 'request completed');
    done();
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await obs.metrics.scrape();
    return reply.header('content-type', obs.metrics.contentType).send(text);
  });
}
