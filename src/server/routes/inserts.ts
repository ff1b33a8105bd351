import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../common/errors.js';
import type { ServerContext } from '../http/context.js';
import { HttpError, badRequest, errorCode, genericError, reportedMessage } from '../http/errors.js';
import { stringifyJson } from '../http/values.js';
import { DELIMITED, JSON_TYPE, negotiateOrRefuse } from '../http/negotiate.js';
import { RowWriter } from './stream-io.js';

/** What `/inserts-stream` answers with, its default first (ksqlDB's InsertsStreamHandler). */
const INSERTS_TYPES = [DELIMITED, JSON_TYPE];

/**
 * Writes the acks of an inserts stream, each as its own chunk: delimited, one
 * JSON document per line; or, when the client asked for `application/json`,
 * one JSON array (`[]` when there were no acks), as ksqlDB's
 * JsonInsertsStreamResponseWriter does.
 */
class AckWriter {
  private written = false;
  private readonly out: RowWriter;

  constructor(
    res: FastifyReply['raw'],
    private readonly asJson: boolean,
  ) {
    this.out = new RowWriter(res);
  }

  write(ack: Record<string, unknown>): Promise<void> {
    const doc = stringifyJson(ack);
    const text = this.asJson ? `${this.written ? ',' : '['}${doc}` : `${doc}\n`;
    this.written = true;
    return this.out.write(text);
  }

  end(): void {
    this.out.end(this.asJson ? (this.written ? ']' : '[]') : undefined);
  }
}

/** Splits a byte stream into lines (without the newline); a last unterminated line counts too. */
async function* lines(body: AsyncIterable<Buffer | string>, limit: number): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, '');
      pending = pending.slice(nl + 1);
      if (line.trim() !== '') yield line;
    }
    if (pending.length > limit) throw badRequest(`A line of the inserts stream is larger than the limit of ${limit} bytes.`);
  }
  if (pending.trim() !== '') yield pending;
}

/** Name of the stream to insert into, as the engine knows it; ksqlDB resolves it case-insensitively. */
async function resolveTarget(ctx: ServerContext, target: string): Promise<string> {
  const candidates = [target.toUpperCase(), target];
  for (const name of candidates) {
    try {
      const [d] = await ctx.engine.execute(`DESCRIBE \`${name.replace(/`/g, '``')}\`;`);
      if (d?.kind !== 'SourceDescription') continue;
      if (d.source.sourceType === 'TABLE') throw new HttpError(genericError(ErrorCode.BAD_STATEMENT, 'Cannot insert into a table'));
      return d.source.name;
    } catch (e) {
      if (e instanceof HttpError) throw e;
    }
  }
  throw new HttpError(genericError(ErrorCode.BAD_STATEMENT, `Cannot insert values into an unknown stream: ${target}`));
}

async function serveInserts(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const type = negotiateOrRefuse(req.headers.accept, INSERTS_TYPES);
  const body = req.body as AsyncIterable<Buffer> | undefined;
  if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
    throw badRequest('Request body is missing: expected {"target": "<stream>"} then one JSON row per line.');
  }
  const it = lines(body, ctx.settings.bodyLimit)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw badRequest('Request body is missing: expected {"target": "<stream>"} then one JSON row per line.');
  let args: unknown;
  try {
    args = JSON.parse(first.value) as unknown;
  } catch {
    throw badRequest('Malformed JSON in the first line of the inserts stream: expected {"target": "<stream>"}.');
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    throw badRequest('The first line of the inserts stream must be {"target": "<stream>"}.');
  const extra = Object.keys(args).find((k) => k !== 'target' && k !== 'properties' && k !== 'requestProperties');
  if (extra !== undefined) throw badRequest(`Unrecognized field "${extra}" in the inserts stream arguments.`);
  const target = (args as { target?: unknown }).target;
  if (typeof target !== 'string' || target === '') throw badRequest('Field "target" is required and must be a string.');
  const name = await resolveTarget(ctx, target);

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': type });
  const acks = new AckWriter(res, type === JSON_TYPE);
  let seq = 0;
  try {
    for (let next = await it.next(); !next.done; next = await it.next()) {
      const n = seq++;
      // As ksqlDB's InsertsStreamHandler: a row that is not a JSON object ends the
      // response with its error ack; later rows are not read.
      let row: unknown;
      try {
        row = JSON.parse(next.value) as unknown;
      } catch {
        row = undefined;
      }
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        await acks.write({ status: 'error', seq: n, error_code: ErrorCode.BAD_REQUEST, message: 'Invalid JSON in inserts stream' });
        break;
      }
      try {
        await ctx.engine.insert(name, row as Record<string, unknown>);
        await acks.write({ status: 'ok', seq: n });
      } catch (e) {
        await acks.write({ status: 'error', seq: n, error_code: errorCode(e), message: reportedMessage(req.log, e) });
      }
    }
  } catch (e) {
    await acks.write({ status: 'error', seq, error_code: errorCode(e), message: reportedMessage(req.log, e) });
  } finally {
    acks.end();
  }
}

/** `/inserts-stream`: `{"target": "S"}` then one JSON row per line; one ack per row. */
export function registerInsertRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/inserts-stream', (req, reply) => serveInserts(ctx, req, reply));
}
