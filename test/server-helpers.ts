import type http2 from 'node:http2';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/server/index.js';

/** A server on an ephemeral port over a fresh in-memory engine. */
export async function startTestServer(opts: Partial<ServerOptions> = {}): Promise<{ server: RunningServer; url: string; engine: Engine }> {
  const engine = new Engine({ log: new MemoryLog(), autoPump: true });
  const server = await startServer({ engine, port: 0, ...opts });
  return { server, url: server.url, engine };
}

/** POSTs JSON; returns status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    /* leave as text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Runs statements through `/ksql`; throws unless 200. */
export async function ksql(url: string, sql: string, extra: Record<string, unknown> = {}): Promise<any[]> {
  const r = await postJson(`${url}/ksql`, { ksql: sql, ...extra });
  if (r.status !== 200) throw new Error(`/ksql ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as any[];
}

/** Reads a streaming body line by line (newline-delimited responses). */
export class LineReader {
  private buf = '';
  private readonly decoder = new TextDecoder();
  constructor(private readonly reader: { read(): Promise<{ done: boolean; value?: Uint8Array | Buffer | string }> }) {}

  static of(res: Response): LineReader {
    return new LineReader(res.body!.getReader());
  }

  /** The next complete line, or undefined at the end of the body. */
  async next(timeoutMs = 5000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        if (line.trim() === '') continue;
        return line;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${timeoutMs} ms (have ${JSON.stringify(this.buf)})`);
      const r = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no line within ${timeoutMs} ms (have ${JSON.stringify(this.buf)})`)), left)),
      ]);
      if (r.done) {
        const rest = this.buf;
        this.buf = '';
        return rest.trim() === '' ? undefined : rest;
      }
      const v = r.value!;
      this.buf += typeof v === 'string' ? v : this.decoder.decode(v, { stream: true });
    }
  }

  /** Everything left, as text. */
  async rest(timeoutMs = 5000): Promise<string> {
    const lines: string[] = [];
    for (let l = await this.next(timeoutMs); l !== undefined; l = await this.next(timeoutMs)) lines.push(l);
    return lines.join('\n');
  }
}

/** An HTTP/2 (h2c, prior knowledge) request whose body can be written while the response is read. */
export function h2Request(
  session: http2.ClientHttp2Session,
  path: string,
  headers: Record<string, string> = {},
): { stream: http2.ClientHttp2Stream; response: Promise<{ status: number; headers: http2.IncomingHttpHeaders }>; lines: LineReader } {
  const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json', ...headers });
  const response = new Promise<{ status: number; headers: http2.IncomingHttpHeaders }>((resolve, reject) => {
    stream.once('response', (h) => resolve({ status: Number(h[':status']), headers: h }));
    stream.once('error', reject);
  });
  const queue: Buffer[] = [];
  const waiters: ((r: { done: boolean; value?: Buffer }) => void)[] = [];
  let ended = false;
  stream.on('data', (c: Buffer) => {
    const w = waiters.shift();
    if (w) w({ done: false, value: c });
    else queue.push(c);
  });
  const finish = () => {
    ended = true;
    for (const w of waiters.splice(0)) w({ done: true });
  };
  stream.on('end', finish);
  stream.on('close', finish);
  const lines = new LineReader({
    read: () =>
      new Promise((resolve) => {
        const c = queue.shift();
        if (c) resolve({ done: false, value: c });
        else if (ended) resolve({ done: true });
        else waiters.push(resolve);
      }),
  });
  return { stream, response, lines };
}

export const PAGEVIEWS = "CREATE STREAM pageviews (id INT KEY, page STRING, ts BIGINT) WITH (kafka_topic='pageviews', partitions=1, value_format='json');";
