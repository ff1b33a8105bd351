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
 * Writes the acks of an inserts stream, those of one batch together as one
 * chunk: delimited, one JSON document per line; or, when the client asked for
 * `application/json`, one JSON array (`[]` when there were no acks), as
 * ksqlDB's JsonInsertsStreamResponseWriter does.
 */
class AckWriter {
  private written = false;
  private pending = '';
  private readonly out: RowWriter;

  constructor(
    res: FastifyReply['raw'],
    private readonly asJson: boolean,
  ) {
    this.out = new RowWriter(res);
  }

  /** Adds an ack (JSON text) to the batch being gathered. */
  add(doc: string): void {
    this.pending += this.asJson ? `${this.written ? ',' : '['}${doc}` : `${doc}\n`;
    this.written = true;
  }

  /** Writes the gathered acks; resolves once more may be written. */
  flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    return text === '' ? Promise.resolve() : this.out.write(text);
  }

  end(): void {
    const rest = this.pending + (this.asJson ? (this.written ? ']' : '[]') : '');
    this.pending = '';
    this.out.end(rest === '' ? undefined : rest);
  }
}

const okAck = (seq: number): string => `{"status":"ok","seq":${seq}}`;
const errorAck = (seq: number, code: number, message: string): string => stringifyJson({ status: 'error', seq, error_code: code, message });

/**
 * Splits a byte stream into lines (without the newline), yielding those that
 * arrived together as one batch; a last unterminated line counts too.
 */
async function* lineBatches(body: AsyncIterable<Buffer | string>, limit: number): AsyncGenerator<string[]> {
  let pending = '';
  for await (const chunk of body) {
    const text = pending + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const batch: string[] = [];
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 /* \r */ ? nl - 1 : nl;
      const line = text.slice(start, end);
      start = nl + 1;
      if (line.trim() !== '') batch.push(line);
    }
    pending = text.slice(start);
    if (batch.length > 0) yield batch;
    if (pending.length > limit) throw badRequest(`A line of the inserts stream is larger than the limit of ${limit} bytes.`);
  }
  if (pending.trim() !== '') yield [pending];
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
  const it = lineBatches(body, ctx.settings.bodyLimit)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw badRequest('Request body is missing: expected {"target": "<stream>"} then one JSON row per line.');
  let args: unknown;
  try {
    args = JSON.parse(first.value[0]!) as unknown;
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
  const inserter = ctx.engine.inserter(name);

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': type });
  const acks = new AckWriter(res, type === JSON_TYPE);
  let seq = 0;
  try {
    let lines: readonly string[] = first.value.slice(1);
    for (;;) {
      // The rows that arrived together: parsed, then written in one batch, then acked together.
      const rows: Record<string, unknown>[] = [];
      let invalid = false;
      for (const line of lines) {
        const row = inserter.parse(line);
        // As ksqlDB's InsertsStreamHandler: a row that is not a JSON object ends the
        // response with its error ack; later rows are not read.
        if (row === undefined) {
          invalid = true;
          break;
        }
        rows.push(row);
      }
      if (rows.length > 0) {
        const outcomes = await inserter.insert(rows);
        for (const error of outcomes) {
          const n = seq++;
          acks.add(error === undefined ? okAck(n) : errorAck(n, errorCode(error), reportedMessage(req.log, error)));
        }
      }
      if (invalid) {
        acks.add(errorAck(seq++, ErrorCode.BAD_REQUEST, 'Invalid JSON in inserts stream'));
        break;
      }
      await acks.flush();
      const next = await it.next();
      if (next.done) break;
      lines = next.value;
    }
  } catch (e) {
    acks.add(errorAck(seq, errorCode(e), reportedMessage(req.log, e)));
  } finally {
    acks.end();
  }
}

/** `/inserts-stream`: `{"target": "S"}` then one JSON row per line; one ack per row, sent once its batch is appended. */
export function registerInsertRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/inserts-stream', (req, reply) => serveInserts(ctx, req, reply));
}
