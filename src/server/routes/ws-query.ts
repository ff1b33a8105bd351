import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TransientQuery } from '../../runtime/query/transient-query.js';
import type { ServerContext } from '../http/context.js';
import { badRequest, reportedMessage } from '../http/errors.js';
import { schemaInfo } from '../http/schema-info.js';
import { rowToJson, stringifyJson } from '../http/values.js';
import { isStreaming, readQueryRequest } from './query.js';

/** What this endpoint uses of a `ws` WebSocket (the package ships no types of its own). */
interface WebSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly CONNECTING: number;
  readonly bufferedAmount: number;
  send(text: string, cb?: (err?: Error) => void): void;
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): void;
}

/** WebSocket close codes ksqlDB's WSQueryEndpoint uses. */
const NORMAL_CLOSURE = 1000;
const INVALID_MESSAGE_TYPE = 1003;
const UNEXPECTED_CONDITION = 1011;

/** The longest close reason a WebSocket close frame holds, in bytes. */
const MAX_REASON_BYTES = 123;

/** Closes `socket` with `code` and `reason` cut to what a close frame can carry. */
function closeWith(socket: WebSocket, code: number, reason: string): void {
  let r = reason;
  while (Buffer.byteLength(r) > MAX_REASON_BYTES) r = r.slice(0, -1);
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, r);
}

/** Reads the `request` query parameter as ksqlDB does, or says why not. */
function parseRequest(params: Record<string, string | undefined>): unknown {
  const version = params['version'];
  if (version !== undefined && version !== '1') throw new Error(`Received invalid api version: ${version}`);
  const text = params['request'];
  if (text === undefined || text === '') throw new Error('Error parsing request: missing request parameter');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`Error parsing request: ${(e as Error).message}`);
  }
  const ksql = (body as { ksql?: unknown } | null)?.ksql;
  if (typeof ksql !== 'string' || ksql.trim() === '') throw new Error('Error parsing request: "ksql" field of "request" must be populated');
  return body;
}

/**
 * Streams a started query to the socket as ksqlDB's WebSocketSubscriber does:
 * the result schema first (a JSON array of `FieldInfo`), then one text message
 * per row (`{"row":{"columns":[…]}}`; PRINT: each line as a JSON string), then
 * a normal closure with reason `done` (LIMIT reached, pull query finished), or
 * close code 1011 with the error when the query fails.
 */
async function stream(ctx: ServerContext, socket: WebSocket, req: FastifyRequest, q: TransientQuery, sql: string): Promise<void> {
  const keys = new Set(q.keyColumns);
  if (q.kind !== 'print') {
    const schema = q.columns.map((c) => ({ name: c.name, schema: schemaInfo(c.type), ...(keys.has(c.name) ? { type: 'KEY' } : {}) }));
    socket.send(stringifyJson(schema));
  }
  const high = ctx.settings.pushBufferBytes > 0 ? ctx.settings.pushBufferBytes : Number.POSITIVE_INFINITY;
  try {
    for await (const row of q.rows) {
      if (socket.readyState !== socket.OPEN) break;
      const text = q.kind === 'print' ? JSON.stringify(String(row[0])) : stringifyJson({ row: { columns: rowToJson(row, q.columns) } });
      // A client that does not read: wait for the socket to take this message before the next.
      if (socket.bufferedAmount > high) await new Promise<void>((resolve) => socket.send(text, () => resolve()));
      else socket.send(text);
    }
    await q.done;
    if (q.error !== undefined) closeWith(socket, UNEXPECTED_CONDITION, q.error);
    else closeWith(socket, NORMAL_CLOSURE, 'done');
  } catch (e) {
    closeWith(socket, UNEXPECTED_CONDITION, q.error ?? reportedMessage(req.log, e, sql));
  } finally {
    q.close();
  }
}

async function serveWsQuery(ctx: ServerContext, socket: WebSocket, req: FastifyRequest): Promise<void> {
  let q: TransientQuery;
  let sql: string;
  let claimed = false;
  let streaming = false;
  try {
    const r = readQueryRequest(parseRequest(req.query as Record<string, string | undefined>), ctx.statements);
    sql = r.sql;
    streaming = isStreaming(r.prepared.stmt);
    // ksqlDB bounds ordinary push queries by ksql.max.push.queries, not scalable ones.
    if (streaming && !ctx.engine.isScalablePush?.(r.prepared, r.opts)) {
      ctx.pushQueries.claim();
      claimed = true;
    }
    q = await ctx.engine.startPrepared(r.prepared, r.opts);
  } catch (e) {
    if (claimed) ctx.pushQueries.unclaim();
    closeWith(socket, INVALID_MESSAGE_TYPE, e instanceof Error && !('errorCode' in e) ? e.message : reportedMessage(req.log, e));
    return;
  }
  if (streaming) {
    q.limitBuffer?.(ctx.settings.pushBufferBytes);
    if (claimed) ctx.pushQueries.add(q);
    else ctx.pushQueries.track(q);
  }
  socket.once('close', () => q.close());
  if (socket.readyState !== socket.OPEN) q.close();
  await stream(ctx, socket, req, q, sql);
}

/**
 * `GET /ws/query?request={"ksql": "SELECT …"}`: ksqlDB's WebSocket query endpoint
 * (WSQueryEndpoint), for push and pull queries and PRINT. Requests are checked
 * (host, authentication) like every other before the connection is upgraded.
 */
export function registerWsQueryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(websocket);
  void app.register(async (scoped) => {
    scoped.route({
      method: 'GET',
      url: '/ws/query',
      // A plain GET (no `Upgrade: websocket`) is told what the endpoint takes, in ksqlDB's error shape.
      handler: async () => {
        throw badRequest('/ws/query takes WebSocket connections: send the request with Upgrade: websocket.');
      },
      wsHandler: (socket, req) => serveWsQuery(ctx, socket as WebSocket, req),
    });
  });
}
