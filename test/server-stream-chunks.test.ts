import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { ksql, startTestServer } from './server-helpers.js';

/** Splits an HTTP/1.1 chunked body into its chunks (the bytes between the size lines). */
function chunksOf(body: string): string[] {
  const chunks: string[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) return chunks;
    const size = Number.parseInt(body.slice(at, eol), 16);
    if (size === 0) return chunks;
    chunks.push(body.slice(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Delimited `/query-stream` rows go out one per write, as ksqlDB writes them: on
 * HTTP/1.1 each row is its own chunk even when many are ready at once (the
 * HTTP/2 side, one DATA frame per row, is driven by npm ksqldb-client in
 * clients-ksqldb-client.test.ts).
 */
describe('one row per chunk on delimited /query-stream', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='json');");
    const rows = Array.from({ length: 30 }, (_, i) => `INSERT INTO s (id, v) VALUES (${i}, 'v${i}');`).join(' ');
    await ksql(url, rows);
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes the header and each of a burst of 30 rows as its own HTTP/1.1 chunk', async () => {
    const { hostname, port } = new URL(url);
    const body = JSON.stringify({ sql: 'SELECT * FROM s EMIT CHANGES LIMIT 30;', properties: { 'auto.offset.reset': 'earliest' } });
    const socket = net.connect(Number(port), hostname);
    let raw = '';
    socket.on('data', (c: Buffer) => (raw += c.toString('latin1')));
    const ended = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    socket.write(
      `POST /query-stream HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    await ended;
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    const chunks = chunksOf(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(chunks).toHaveLength(31);
    expect(JSON.parse(chunks[0]!)).toMatchObject({ columnNames: ['ID', 'V'] });
    chunks.forEach((c, i) => {
      expect(c.endsWith('\n')).toBe(true);
      expect(c.slice(0, -1)).not.toContain('\n');
      if (i > 0) expect(JSON.parse(c)).toEqual([i - 1, `v${i - 1}`]);
    });
  });
});

/**
 * A pull query's response is corked on HTTP/1.1 (one socket write for its rows);
 * one larger than the socket's buffer must still arrive whole, on both endpoints
 * (the writer waits for 'drain', which a corked response never emits).
 */
describe('a pull query larger than the socket buffer', () => {
  let server: RunningServer;
  let url: string;
  const N = 4000;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, "CREATE STREAM big (id INT KEY, v STRING) WITH (kafka_topic='big', partitions=1, value_format='json');");
    const records = Array.from({ length: N }, (_, i) => ({ key: i, value: { V: `value-${i}-${'x'.repeat(60)}` } }));
    const r = await fetch(`${url}/topics/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
      body: JSON.stringify({ records }),
    });
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
  });

  it('arrives whole over /query-stream (delimited)', async () => {
    const r = await fetch(`${url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ sql: 'SELECT * FROM big;' }),
    });
    const lines = (await r.text()).split('\n').filter((l) => l !== '');
    expect(r.status).toBe(200);
    expect(lines.length).toBe(N + 1);
    expect(JSON.parse(lines[N]!)).toEqual([N - 1, `value-${N - 1}-${'x'.repeat(60)}`]);
  });

  it('arrives whole over /query (JSON array)', async () => {
    const r = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: 'SELECT * FROM big;' }),
    });
    const body = (await r.json()) as unknown[];
    expect(r.status).toBe(200);
    expect(body.filter((e) => (e as { row?: unknown }).row !== undefined).length).toBe(N);
  });
});
