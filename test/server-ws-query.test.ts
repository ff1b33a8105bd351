import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { ksql, startTestServer } from './server-helpers.js';

/** The `ws` client (the package fastify's WebSocket support is built on), typed as far as used here. */
interface WsClient {
  on(event: 'message', fn: (data: Buffer) => void): void;
  on(event: 'close', fn: (code: number, reason: Buffer) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  on(event: 'unexpected-response', fn: (req: unknown, res: { statusCode: number }) => void): void;
  close(): void;
}
const WebSocketClient = createRequire(import.meta.url)('ws') as new (url: string, opts?: Record<string, unknown>) => WsClient;

/** One `/ws/query` connection: every message it got, and how it closed. */
function open(url: string, request: unknown, extra = ''): { ws: WsClient; messages: string[]; closed: Promise<{ code: number; reason: string }> } {
  const param = request === undefined ? '' : `?request=${encodeURIComponent(typeof request === 'string' ? request : JSON.stringify(request))}${extra}`;
  const ws = new WebSocketClient(`${url.replace(/^http/, 'ws')}/ws/query${param}`);
  const messages: string[] = [];
  ws.on('message', (d) => messages.push(d.toString()));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, messages, closed };
}

describe("/ws/query: ksqlDB's WebSocket query endpoint", () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='json');");
    await ksql(url, 'CREATE TABLE t AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;');
  });
  afterAll(async () => {
    await server.close();
  });

  it('streams a push query: the schema first, then one message per row, and a normal closure at LIMIT', async () => {
    const c = open(url, { ksql: 'SELECT id, v FROM s EMIT CHANGES LIMIT 2;' });
    await eventually('the schema message', () => c.messages.length >= 1);
    expect(JSON.parse(c.messages[0]!)).toEqual([
      { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
      { name: 'V', schema: { type: 'STRING', fields: null, memberSchema: null } },
    ]);
    await ksql(url, "INSERT INTO s (id, v) VALUES (1, 'a'); INSERT INTO s (id, v) VALUES (2, 'b');");
    expect(await c.closed).toEqual({ code: 1000, reason: 'done' });
    expect(c.messages.slice(1).map((m) => JSON.parse(m))).toEqual([{ row: { columns: [1, 'a'] } }, { row: { columns: [2, 'b'] } }]);
  });

  it('answers a pull query and closes normally', async () => {
    const rows = await eventually('the pull query to see id 1', async () => {
      const c = open(url, { ksql: 'SELECT * FROM t WHERE id = 1;' });
      const end = await c.closed;
      return end.code === 1000 && c.messages.length === 2 ? c.messages : undefined;
    });
    expect(JSON.parse(rows[0]!)).toEqual([
      { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null }, type: 'KEY' },
      { name: 'N', schema: { type: 'BIGINT', fields: null, memberSchema: null } },
    ]);
    expect(JSON.parse(rows[1]!)).toEqual({ row: { columns: [1, 1] } });
  });

  it('ends the push query when the client goes away, giving its slot back', async () => {
    // A second push query on a server allowing one would be refused if the slot were still held.
    const one = await startTestServer({ maxPushQueries: 1 });
    try {
      await ksql(one.url, "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='json');");
      const first = open(one.url, { ksql: 'SELECT * FROM s EMIT CHANGES;' });
      await eventually('the first push query to start', () => first.messages.length >= 1);
      first.ws.close();
      await first.closed;
      const second = await eventually('the slot to be given back', async () => {
        const c2 = open(one.url, { ksql: 'SELECT * FROM s EMIT CHANGES;' });
        const got = await Promise.race([c2.closed.then(() => false), eventually('schema', () => c2.messages.length >= 1, { timeoutMs: 2000 })]);
        if (!got) return undefined;
        return c2;
      });
      expect(JSON.parse(second.messages[0]!)[0].name).toBe('ID');
      second.ws.close();
      await second.closed;
    } finally {
      await one.server.close();
    }
  });

  it('answers a plain GET (no upgrade) with a 400 saying what it takes', async () => {
    const r = await fetch(`${url}/ws/query`);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      '@type': 'generic_error',
      error_code: 40000,
      message: '/ws/query takes WebSocket connections: send the request with Upgrade: websocket.',
    });
  });

  it('closes with 1003 and the reason when the request parameter is missing', async () => {
    const c = open(url, undefined);
    expect(await c.closed).toEqual({ code: 1003, reason: 'Error parsing request: missing request parameter' });
  });

  it('closes with 1003 when the request has no ksql', async () => {
    const c = open(url, { streamsProperties: {} });
    expect(await c.closed).toEqual({ code: 1003, reason: 'Error parsing request: "ksql" field of "request" must be populated' });
  });

  it('closes with 1003 for an unsupported api version', async () => {
    const c = open(url, { ksql: 'SELECT * FROM s EMIT CHANGES;' }, '&version=2');
    expect(await c.closed).toEqual({ code: 1003, reason: 'Received invalid api version: 2' });
  });

  it('closes with 1003 and the statement error for a query on an unknown source', async () => {
    const c = open(url, { ksql: 'SELECT * FROM nope EMIT CHANGES;' });
    const end = await c.closed;
    expect(end.code).toBe(1003);
    expect(end.reason).toContain('NOPE does not exist');
  });
});

describe('/ws/query with Basic authentication', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer({ users: new Map([['alice', 'secret']]) }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses the upgrade without credentials with 401', async () => {
    const ws = new WebSocketClient(`${url.replace(/^http/, 'ws')}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SHOW STREAMS;' }))}`);
    ws.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode)));
    expect(status).toBe(401);
  });

  it('accepts the upgrade with credentials', async () => {
    const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM nope EMIT CHANGES;' }));
    const ws = new WebSocketClient(`${url.replace(/^http/, 'ws')}/ws/query?request=${request}`, {
      headers: { authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` },
    });
    ws.on('error', () => undefined);
    const closed = await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    // Past authentication the statement itself is refused: an unknown source.
    expect(closed).toBe(1003);
  });
});
