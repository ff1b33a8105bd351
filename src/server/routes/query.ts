import type { Http2Stream } from 'node:http2';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../common/errors.js';
import { formatType } from '../../common/types.js';
import { splitStatements, type Statement } from '../../parser/index.js';
import { prepareEach, type PreparedStatement, type StatementCache } from '../../runtime/engine/prepare.js';
import type { RequestOptions, TransientQuery } from '../../runtime/query/transient-query.js';
import { sendJson } from '../http/reply.js';
import { requireObject, stringField, stringMapField, withSemicolon, type JsonObject, type ServerContext } from '../http/context.js';
import { HttpError, badRequest, errorCode, genericError, reportedMessage, statementError, toStatementError } from '../http/errors.js';
import { rowToJson, schemaString, stringifyJson } from '../http/values.js';
import { DELIMITED, JSON_TYPE, KSQL_V1_JSON, KSQL_V1_PROTOBUF, negotiateOrRefuse } from '../http/negotiate.js';
import { createSerde } from '../../serde/index.js';
import { protobufSchemaText } from '../../serde/protobuf-schema.js';
import { Batcher, writeChunk } from './stream-io.js';

const QUERY_FIELDS = ['ksql', 'sql', 'streamsProperties', 'properties', 'sessionVariables', 'commandSequenceNumber', 'requestProperties'];

/** What `/query-stream` answers with, its default first (ksqlDB's QueryStreamHandler). */
const QUERY_STREAM_TYPES = [DELIMITED, JSON_TYPE, KSQL_V1_PROTOBUF];
/** What `/query` answers with, its default first. */
const QUERY_TYPES = [JSON_TYPE, KSQL_V1_JSON];

/** A query request's statement, prepared, and options. */
export interface QueryRequest {
  /** The statement's text after variable substitution. */
  readonly sql: string;
  readonly prepared: PreparedStatement;
  readonly opts: RequestOptions;
}

/**
 * Reads a `/query`, `/query-stream` or `/ws/query` request: one SELECT or PRINT, prepared.
 * @throws HttpError 40000 for a malformed body, 40001 for anything but one query statement.
 */
export function readQueryRequest(body: unknown, cache?: StatementCache): QueryRequest {
  const o: JsonObject = requireObject(body, QUERY_FIELDS);
  const sql = o['sql'] !== undefined ? stringField(o, 'sql') : stringField(o, 'ksql');
  const properties = { ...stringMapField(o, 'streamsProperties'), ...stringMapField(o, 'properties') };
  const variables = stringMapField(o, 'sessionVariables');
  const slices = splitStatements(sql);
  if (slices.length !== 1)
    throw new HttpError(statementError(ErrorCode.BAD_STATEMENT, `Expected exactly one KSQL statement; found ${slices.length} instead`, sql));
  const onParseError = (e: unknown, text: string) => toStatementError(e, withSemicolon(text), [], text);
  const [prepared] = prepareEach(slices, new Map(Object.entries(variables ?? {})), { positions: 'statement', onParseError, ...(cache ? { cache } : {}) });
  const { text, stmt } = prepared!;
  if (stmt.kind !== 'QueryStatement' && stmt.kind !== 'Print') {
    throw new HttpError(statementError(ErrorCode.BAD_STATEMENT, `Statement type \`${stmt.kind}' not supported for this resource`, withSemicolon(text)));
  }
  return { sql: text, prepared: prepared!, opts: { properties, variables } };
}

/** Push queries (EMIT CHANGES) and PRINT stream until stopped; they count against the push query limit. */
export function isStreaming(stmt: Statement): boolean {
  return stmt.kind === 'Print' || (stmt.kind === 'QueryStatement' && stmt.query.emit !== undefined);
}

/**
 * Watches one query request from its start to its end: `gone` once the client
 * went away before the response was finished (HTTP/1.1 connection closed;
 * HTTP/2 stream reset, session closed by GOAWAY or connection lost), which
 * closes the query at once so its slot, timers and buffers are given back.
 */
class Exchange {
  gone = false;
  private finished = false;
  private query: TransientQuery | undefined;
  readonly res: FastifyReply['raw'];

  constructor(reply: FastifyReply) {
    this.res = reply.raw;
    const onClose = () => {
      if (this.finished) return;
      this.gone = true;
      this.query?.close();
    };
    this.res.once('close', onClose);
    const stream = (this.res as unknown as { stream?: Http2Stream }).stream;
    if (stream) {
      stream.once('close', onClose);
      if (stream.destroyed) onClose();
    }
  }

  /** Ties the query to the exchange: closed now if the client is already gone. */
  attach(q: TransientQuery): void {
    this.query = q;
    if (this.gone) q.close();
  }

  /** Marks the response as finished by the server (its close is no longer the client going away). */
  finish(): void {
    this.finished = true;
  }
}

/** Starts a transient query; a push query claims a slot first, given back when it ends (see {@link PushQueryRegistry}). */
async function start(ctx: ServerContext, r: QueryRequest, ex: Exchange): Promise<TransientQuery> {
  const streaming = isStreaming(r.prepared.stmt);
  // ksqlDB bounds ordinary push queries by ksql.max.push.queries, not scalable ones.
  const limited = streaming && !ctx.engine.isScalablePush?.(r.prepared, r.opts);
  if (limited) ctx.pushQueries.claim();
  let q: TransientQuery;
  try {
    q = await ctx.engine.startPrepared(r.prepared, r.opts);
  } catch (e) {
    if (limited) ctx.pushQueries.unclaim();
    throw toStatementError(e, withSemicolon(r.sql), [], r.sql);
  }
  if (streaming) {
    q.limitBuffer?.(ctx.settings.pushBufferBytes);
    if (limited) ctx.pushQueries.add(q);
    else ctx.pushQueries.track(q);
  }
  ex.attach(q);
  return q;
}

/** A response opened by {@link openStream}. */
interface OpenStream {
  readonly res: FastifyReply['raw'];
  /** Whether the client went away. */
  readonly gone: () => boolean;
  /** Whether the response holds a cork of ours until {@link closeStream} (a pull query's on HTTP/1.1). */
  readonly corked: boolean;
}

/**
 * Hands the response to the caller: status 200, no buffering. A pull query's
 * rows are all known before the first is written, so on HTTP/1.1 its response
 * is corked until {@link closeStream}: its chunks leave in one write to the
 * socket instead of one per row (each its own chunk on Node 20; Node 22 and
 * later send what a cork held as one chunk). A push query's or
 * PRINT's response is never corked: each row leaves as it is written.
 */
function openStream(reply: FastifyReply, ex: Exchange, contentType: string, pull: boolean): OpenStream {
  reply.hijack();
  const res = ex.res;
  let corked = false;
  if (!ex.gone) {
    res.writeHead(200, { 'content-type': contentType });
    if (pull && !isHttp2(res)) {
      res.cork();
      corked = true;
    }
  }
  return { res, gone: () => ex.gone, corked };
}

function isHttp2(res: FastifyReply['raw']): boolean {
  return (res as unknown as { stream?: Http2Stream }).stream !== undefined;
}

/**
 * Ends a response opened by {@link openStream}: our cork (if any) is lifted,
 * then `end` writes what is left. In that order: Node 22 and later keep a
 * corked response's chunks in the response itself, and ending it before
 * uncorking drops them (the client got the header and no rows).
 */
function closeStream({ res, corked }: OpenStream, end: () => void): void {
  if (corked && res.writableCorked > 0) res.uncork();
  end();
}

/** Why a query ended, in ksqlDB's words for `/query`'s final message. */
function finalMessage(q: TransientQuery, closedByRequest: boolean): string | undefined {
  if (q.kind === 'pull') return q.finalMessage;
  return closedByRequest ? 'Query Completed' : 'Limit Reached';
}

const closedByRequest = new WeakSet<TransientQuery>();

async function serveQuery(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const type = negotiateOrRefuse(req.headers.accept, QUERY_TYPES);
  const r = readQueryRequest(req.body, ctx.statements);
  const ex = new Exchange(reply);
  const q = await start(ctx, r, ex);
  const stream = openStream(reply, ex, q.kind === 'print' ? 'text/plain' : type, q.kind === 'pull');
  const { res, gone } = stream;
  const out = new Batcher(res, q.kind === 'pull', stream.corked);
  try {
    if (q.kind === 'print') {
      for await (const row of q.rows) {
        if (gone()) break;
        await writeChunk(res, `${String(row[0])}\n`, stream.corked);
      }
      return;
    }
    // One JSON array, one element per line: `[{header}`, `,{row}`, …, `]`.
    await out.write(`[${stringifyJson({ header: { queryId: q.id, schema: schemaString(q.columns, q.keyColumns) } })}\n`);
    try {
      for await (const row of q.rows) {
        if (gone()) break;
        await out.write(`,${stringifyJson({ row: { columns: rowToJson(row, q.columns) } })}\n`);
      }
      await q.done;
      if (q.error !== undefined) throw new Error(q.error);
      const fin = finalMessage(q, closedByRequest.has(q));
      if (fin !== undefined && !gone()) await out.write(`,${stringifyJson({ finalMessage: fin })}\n`);
    } catch (e) {
      const message = q.error ?? reportedMessage(req.log, e, r.sql);
      if (!gone()) await out.write(`,${stringifyJson({ errorMessage: genericError(errorCode(e), message) })}\n`);
    }
    if (!gone()) await out.write(']\n');
  } finally {
    q.close();
    if (!gone()) {
      ex.finish();
      closeStream(stream, () => out.end());
    }
  }
}

/**
 * `/query-stream` as `application/vnd.ksql.v1+protobuf`, written as ksqlDB's
 * ProtobufQueryStreamResponseWriter does: `[`, a header holding the query id and
 * the rows' proto3 schema, then one `{"protobufBytes": base64}` per row (each row
 * a PROTOBUF_NOSR message), every document followed by `,` and a newline, and a
 * closing `]`. Errors and completion messages are not written in this format.
 */
async function serveProtobuf(q: TransientQuery, stream: OpenStream, ex: Exchange): Promise<void> {
  const { gone } = stream;
  const columns = q.columns.map((c) => ({ name: c.name, type: c.type }));
  const serde = createSerde('PROTOBUF_NOSR', columns, { isKey: false });
  const out = new Batcher(stream.res, q.kind === 'pull', stream.corked);
  try {
    await out.write(`[${stringifyJson({ header: { queryId: q.id, protoSchema: protobufSchemaText(columns, undefined, undefined) } })},\n`);
    for await (const row of q.rows) {
      if (gone()) break;
      await out.write(`${stringifyJson({ protobufBytes: serde.serialize(row)?.toString('base64') ?? '' })},\n`);
    }
    await q.done;
  } catch {
    // ksqlDB writes no error in this format: the response just ends.
  } finally {
    q.close();
    if (!gone()) {
      ex.finish();
      closeStream(stream, () => out.end(']'));
    }
  }
}

async function serveQueryStream(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const type = negotiateOrRefuse(req.headers.accept, QUERY_STREAM_TYPES);
  const asJson = type === JSON_TYPE;
  const r = readQueryRequest(req.body, ctx.statements);
  const ex = new Exchange(reply);
  const q = await start(ctx, r, ex);
  const stream = openStream(reply, ex, type, q.kind === 'pull');
  const { gone } = stream;
  if (type === KSQL_V1_PROTOBUF) return serveProtobuf(q, stream, ex);
  // Delimited: every document ends with a newline and goes out on its own (one chunk / HTTP/2
  // DATA frame per row, as ksqlDB writes them). JSON: one array, documents separated by commas;
  // a pull query's array is gathered into few writes.
  let first = true;
  const out = new Batcher(stream.res, asJson && q.kind === 'pull', stream.corked);
  const emit = (doc: string) => {
    const text = asJson ? `${first ? '[' : ','}${doc}` : `${doc}\n`;
    first = false;
    return out.write(text);
  };
  try {
    await emit(stringifyJson({ queryId: q.id, columnNames: q.columns.map((c) => c.name), columnTypes: q.columns.map((c) => formatType(c.type)) }));
    try {
      for await (const row of q.rows) {
        if (gone()) break;
        await emit(stringifyJson(rowToJson(row, q.columns)));
      }
      await q.done;
      if (q.error !== undefined) throw new Error(q.error);
    } catch (e) {
      const message = q.error ?? reportedMessage(req.log, e, r.sql);
      if (!gone()) await emit(stringifyJson(genericError(errorCode(e), message)));
    }
    if (!gone() && asJson) await out.write(']');
  } finally {
    q.close();
    if (!gone()) {
      ex.finish();
      closeStream(stream, () => out.end());
    }
  }
}

/** `/query` (chunked JSON array), `/query-stream` (delimited or JSON), `/close-query`. */
export function registerQueryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/query', (req, reply) => serveQuery(ctx, req, reply));
  app.post('/query-stream', (req, reply) => serveQueryStream(ctx, req, reply));
  app.post('/close-query', async (req, reply) => {
    const body = requireObject(req.body, ['queryId']);
    const id = stringField(body, 'queryId');
    const q = ctx.pushQueries.get(id);
    if (!q) throw badRequest(`No query with id ${id}`);
    closedByRequest.add(q);
    q.close();
    return sendJson(req, reply, 200, {});
  });
}
