import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { LineReader, PAGEVIEWS, ksql, postJson, startTestServer } from './server-helpers.js';

function insertsBody(target: string, rows: readonly unknown[]): string {
  return [JSON.stringify({ target }), ...rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)))].join('\n') + '\n';
}

async function postInserts(url: string, body: string): Promise<{ status: number; lines: any[] }> {
  const res = await fetch(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return {
    status: res.status,
    lines:
      text.trim() === ''
        ? []
        : text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
  };
}

describe('POST /inserts-stream', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, PAGEVIEWS);
  });
  afterAll(() => server.close());

  it('acks every row, with an error ack for a row that does not fit, and the good rows land in the stream', async () => {
    const r = await postInserts(
      url,
      insertsBody('pageviews', [
        { ID: 1, PAGE: 'home', TS: 1 },
        { id: 2, page: 'about', ts: 'not a number' },
        { id: 3, page: 'faq', ts: 3 },
      ]),
    );
    expect(r.status).toBe(200);
    expect(r.lines).toEqual([
      { status: 'ok', seq: 0 },
      {
        status: 'error',
        seq: 1,
        error_code: 40001,
        message: "Failed to insert values into 'PAGEVIEWS'. Failed to deserialize value. Can't coerce string to type. targetType: BIGINT, path: $.TS",
      },
      { status: 'ok', seq: 2 },
    ]);
    const rows = await postJson(`${url}/query-stream`, { sql: 'SELECT id, page FROM pageviews;' }, { accept: 'application/json' });
    expect(rows.body.slice(1)).toEqual([
      [1, 'home'],
      [3, 'faq'],
    ]);
  });

  it('ends the response at an invalid JSON row with its error ack, as ksqlDB does; later rows are not inserted', async () => {
    await ksql(url, "CREATE STREAM bad_rows (id INT, page STRING) WITH (kafka_topic='bad_rows', value_format='JSON', partitions=1);");
    const body = insertsBody('bad_rows', [{ ID: 1, PAGE: 'home' }, '{not json', { ID: 2, PAGE: 'after' }]);
    const delimited = await fetch(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(delimited.status).toBe(200);
    expect(await delimited.text()).toBe('{"status":"ok","seq":0}\n{"status":"error","seq":1,"error_code":40000,"message":"Invalid JSON in inserts stream"}\n');
    const json = await fetch(`${url}/inserts-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: insertsBody('bad_rows', [[1, 2], { ID: 3, PAGE: 'after' }]),
    });
    expect(json.status).toBe(200);
    expect(await json.text()).toBe('[{"status":"error","seq":0,"error_code":40000,"message":"Invalid JSON in inserts stream"}]');
    const rows = await postJson(`${url}/query-stream`, { sql: 'SELECT id, page FROM bad_rows;' }, { accept: 'application/json' });
    expect(rows.body.slice(1)).toEqual([[1, 'home']]);
  });

  it('acks rows while the request is still being written (HTTP/1.1 chunked)', async () => {
    const { port } = new URL(url);
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/inserts-stream', headers: { 'content-type': 'application/json' } });
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    req.write(`${JSON.stringify({ target: 'PAGEVIEWS' })}\n${JSON.stringify({ id: 10, page: 'a', ts: 1 })}\n`);
    const res = await response;
    expect(res.statusCode).toBe(200);
    const it = res[Symbol.asyncIterator]();
    const lines = new LineReader({
      read: async () => {
        const n = await it.next();
        return n.done ? { done: true } : { done: false, value: n.value as Buffer };
      },
    });
    expect(JSON.parse((await lines.next())!)).toEqual({ status: 'ok', seq: 0 });
    req.write(`${JSON.stringify({ id: 11, page: 'b', ts: 2 })}\n`);
    expect(JSON.parse((await lines.next())!)).toEqual({ status: 'ok', seq: 1 });
    req.end();
    expect(await lines.next()).toBeUndefined();
  });

  it('unknown target, tables and missing arguments are refused before streaming', async () => {
    const unknown = await postJson(`${url}/inserts-stream`, `${JSON.stringify({ target: 'nope' })}\n`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ '@type': 'generic_error', error_code: 40001 });
    await ksql(url, "CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='users', partitions=1, value_format='json');");
    const table = await postJson(`${url}/inserts-stream`, `${JSON.stringify({ target: 'users' })}\n`);
    expect(table.status).toBe(400);
    expect(table.body.message).toBe('Cannot insert into a table');
    const noTarget = await postJson(`${url}/inserts-stream`, '{"stream":"pageviews"}\n');
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.error_code).toBe(40000);
    const empty = await postJson(`${url}/inserts-stream`, '');
    expect(empty.status).toBe(400);
  });
});

describe('mission flow: error counts per minute', () => {
  it('inserts through /inserts-stream, watches error_counts change with a push query, reads it with a pull query', async () => {
    const { server, url } = await startTestServer();
    try {
      await ksql(
        url,
        "CREATE STREAM monitoring_stream (id STRING KEY, type STRING, error_code INT, message STRING) WITH (kafka_topic='monitoring', partitions=1, value_format='json');" +
          // Every change is watched: no record cache (with ksqlDB's default, rows inserted together collapse).
          "SET 'cache.max.bytes.buffering'='0';" +
          "CREATE TABLE error_counts AS SELECT error_code, COUNT(*) FROM monitoring_stream WINDOW TUMBLING (SIZE 1 MINUTE) WHERE type = 'ERROR' GROUP BY error_code;",
      );
      const push = await fetch(`${url}/query-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT * FROM error_counts EMIT CHANGES;' }),
      });
      const changes = LineReader.of(push);
      const meta = JSON.parse((await changes.next())!);
      expect(meta.columnNames).toEqual(['ERROR_CODE', 'WINDOWSTART', 'WINDOWEND', 'KSQL_COL_0']);

      const events = [
        { id: 'e1', type: 'ERROR', error_code: 500, message: 'boom' },
        { id: 'e2', type: 'INFO', error_code: 0, message: 'fine' },
        { id: 'e3', type: 'ERROR', error_code: 500, message: 'boom again' },
        { id: 'e4', type: 'ERROR', error_code: 404, message: 'missing' },
      ];
      const acks = await postInserts(url, insertsBody('monitoring_stream', events));
      expect(acks.lines.map((a: { status: string }) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok']);

      const seen: unknown[][] = [];
      while (seen.length < 3) seen.push(JSON.parse((await changes.next())!));
      expect(seen.map((r) => [r[0], r[3]])).toEqual([
        [500, 1],
        [500, 2],
        [404, 1],
      ]);
      expect((seen[0]![2] as number) - (seen[0]![1] as number)).toBe(60_000);
      await postJson(`${url}/close-query`, { queryId: meta.queryId });

      const pull = await eventually('the pull query to see both error codes', async () => {
        const r = await postJson(
          `${url}/query-stream`,
          { sql: 'SELECT error_code, KSQL_COL_0 FROM error_counts WHERE error_code = 500;' },
          { accept: 'application/json' },
        );
        return r.status === 200 && r.body.length === 2 ? r : undefined;
      });
      expect(pull.body[1]).toEqual([500, 2]);
    } finally {
      await server.close();
    }
  });
});
