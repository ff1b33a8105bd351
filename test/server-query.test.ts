import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { LineReader, PAGEVIEWS, ksql, postJson, startTestServer } from './server-helpers.js';

const EARLIEST = { 'auto.offset.reset': 'earliest' };

describe('push and pull queries', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer({ maxPushQueries: 3 }));
    await ksql(url, PAGEVIEWS);
  });
  afterAll(() => server.close());

  it('/query-stream (delimited) streams rows inserted after the query started, until /close-query', async () => {
    const res = await fetch(`${url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT id, page FROM pageviews EMIT CHANGES;' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.ksqlapi.delimited.v1');
    const lines = LineReader.of(res);
    const meta = JSON.parse((await lines.next())!);
    expect(meta).toEqual({ queryId: expect.stringMatching(/^transient_PAGEVIEWS_/), columnNames: ['ID', 'PAGE'], columnTypes: ['INTEGER', 'STRING'] });
    await ksql(url, "INSERT INTO pageviews (id, page, ts) VALUES (1, 'home', 100); INSERT INTO pageviews (id, page, ts) VALUES (2, 'about', 200);");
    expect(JSON.parse((await lines.next())!)).toEqual([1, 'home']);
    expect(JSON.parse((await lines.next())!)).toEqual([2, 'about']);
    const closed = await postJson(`${url}/close-query`, { queryId: meta.queryId });
    expect(closed.status).toBe(200);
    expect(await lines.next()).toBeUndefined();
    const again = await postJson(`${url}/close-query`, { queryId: meta.queryId });
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe(40000);
  });

  it('/query streams a chunked JSON array and ends with finalMessage at LIMIT', async () => {
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SELECT * FROM pageviews EMIT CHANGES LIMIT 2;' }),
    });
    expect(res.status).toBe(200);
    const lines = LineReader.of(res);
    const header = await lines.next();
    expect(JSON.parse(`${header}]`)).toEqual([{ header: { queryId: expect.any(String), schema: '`ID` INTEGER, `PAGE` STRING, `TS` BIGINT' } }]);
    await ksql(
      url,
      "INSERT INTO pageviews (id, page, ts) VALUES (3, 'x', 1); INSERT INTO pageviews (id, page, ts) VALUES (4, 'y', 2); INSERT INTO pageviews (id, page, ts) VALUES (5, 'z', 3);",
    );
    const body = `${header}\n${await lines.rest()}`;
    expect(JSON.parse(body)).toEqual([
      { header: { queryId: expect.any(String), schema: '`ID` INTEGER, `PAGE` STRING, `TS` BIGINT' } },
      { row: { columns: [3, 'x', 1] } },
      { row: { columns: [4, 'y', 2] } },
      { finalMessage: 'Limit Reached' },
    ]);
  });

  it('a client disconnect closes the push query', async () => {
    const ac = new AbortController();
    const res = await fetch(`${url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM pageviews EMIT CHANGES;' }),
      signal: ac.signal,
    });
    const meta = JSON.parse((await LineReader.of(res).next())!);
    ac.abort();
    // Once the server has closed it, /close-query no longer knows the query: 400 with ksqlDB's error.
    const closed = await eventually(`the server to forget ${meta.queryId} after the disconnect`, async () => {
      const r = await postJson(`${url}/close-query`, { queryId: meta.queryId });
      return r.status === 400 && (r.body as { error_code: number; message: string });
    });
    expect(closed.error_code).toBe(40000);
    expect(closed.message).toContain(meta.queryId);
  });

  it('too many push queries: 40003', async () => {
    const open: AbortController[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const ac = new AbortController();
        open.push(ac);
        const res = await fetch(`${url}/query-stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sql: 'SELECT * FROM pageviews EMIT CHANGES;' }),
          signal: ac.signal,
        });
        await LineReader.of(res).next();
      }
      const r = await postJson(`${url}/query-stream`, { sql: 'SELECT * FROM pageviews EMIT CHANGES;' });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ '@type': 'generic_error', error_code: 40003 });
    } finally {
      for (const ac of open) ac.abort();
    }
  });

  it('pull queries return the current rows and finish (/query-stream JSON and /query)', async () => {
    const sql = 'SELECT id, page FROM pageviews WHERE id = 1;';
    const r = await postJson(`${url}/query-stream`, { sql }, { accept: 'application/json' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([{ queryId: expect.any(String), columnNames: ['ID', 'PAGE'], columnTypes: ['INTEGER', 'STRING'] }, [1, 'home']]);
    const q = await postJson(`${url}/query`, { ksql: sql });
    expect(q.status).toBe(200);
    // A stream's pull query ends like a push query on /query (ksqlDB's "Query Completed").
    expect(q.body).toEqual([
      { header: { queryId: expect.any(String), schema: '`ID` INTEGER, `PAGE` STRING' } },
      { row: { columns: [1, 'home'] } },
      { finalMessage: 'Query Completed' },
    ]);
  });

  it('pull queries on a table created over existing data return its rows', async () => {
    await ksql(url, "CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (kafka_topic='clicks', partitions=1, value_format='json');");
    await ksql(url, "INSERT INTO clicks (user_id, page) VALUES ('u1', 'home');");
    // The table is created well after its input arrived; reading from the earliest offset must still count it.
    // Not a sync (the row is on the topic once /ksql answers): time passes so the append's wake-up is long
    // gone, and only the new query starting on input already waiting can count the row.
    await new Promise((r) => setTimeout(r, 80));
    await ksql(url, 'CREATE TABLE clicks_per_page AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page;', { streamsProperties: EARLIEST });
    const rows = await eventually('a row in clicks_per_page', async () => {
      const r = await postJson(`${url}/query-stream`, { sql: 'SELECT * FROM clicks_per_page;' }, { accept: 'application/json' });
      const got = (r.body as unknown[]).slice(1);
      return got.length > 0 && got;
    });
    expect(rows).toEqual([['home', 1]]);
  });

  it('push queries from the beginning with streamsProperties / properties', async () => {
    const r = await postJson(
      `${url}/query-stream`,
      { sql: 'SELECT id FROM pageviews EMIT CHANGES LIMIT 2;', properties: EARLIEST },
      { accept: 'application/json' },
    );
    expect(r.body.slice(1)).toEqual([[1], [2]]);
  });

  it('values are rendered as ksqlDB renders them', async () => {
    await ksql(
      url,
      "CREATE STREAM vals (k STRING KEY, d DECIMAL(5, 2), b BYTES, m MAP<STRING, INT>, s STRUCT<x INT, y ARRAY<STRING>>, dt DATE, tm TIME, ts TIMESTAMP, dbl DOUBLE) WITH (kafka_topic='vals', partitions=1, value_format='json');" +
        "INSERT INTO vals (k, d, b, m, s, dt, tm, ts, dbl) VALUES ('a', 1.50, TO_BYTES('hi', 'utf8'), MAP('one' := 1), STRUCT(x := 1, y := ARRAY['p']), FROM_DAYS(19000), PARSE_TIME('10:11:12', 'HH:mm:ss'), FROM_UNIXTIME(1700000000123), 2.5);",
    );
    const res = await fetch(`${url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM vals EMIT CHANGES LIMIT 1;', properties: EARLIEST }),
    });
    const text = await res.text();
    const [metaLine, rowLine] = text.trim().split('\n');
    expect(JSON.parse(metaLine!).columnTypes).toEqual([
      'STRING',
      'DECIMAL(5, 2)',
      'BYTES',
      'MAP<STRING, INTEGER>',
      'STRUCT<`X` INTEGER, `Y` ARRAY<STRING>>',
      'DATE',
      'TIME',
      'TIMESTAMP',
      'DOUBLE',
    ]);
    expect(rowLine).toContain('1.50');
    expect(JSON.parse(rowLine!)).toEqual([
      'a',
      1.5,
      Buffer.from('hi').toString('base64'),
      { one: 1 },
      { X: 1, Y: ['p'] },
      '2022-01-08',
      '10:11:12',
      '2023-11-14T22:13:20.123',
      2.5,
    ]);
  });

  it('PRINT over /query streams the topic as text', async () => {
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'PRINT pageviews FROM BEGINNING LIMIT 1;' }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/rowtime: .*key: 1.*value: .*home/i);
  });

  it('errors before the query starts are statement errors', async () => {
    const bad = await postJson(`${url}/query-stream`, { sql: 'SELECT * FROM nope EMIT CHANGES;' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error_code: 40001, statementText: 'SELECT * FROM nope EMIT CHANGES;' });
    expect(bad.body.message).toContain('NOPE');
    const ddl = await postJson(`${url}/query`, { ksql: 'SHOW STREAMS;' });
    expect(ddl.status).toBe(400);
    expect(ddl.body.error_code).toBe(40001);
    const two = await postJson(`${url}/query`, { ksql: 'SELECT * FROM pageviews; SELECT * FROM pageviews;' });
    expect(two.status).toBe(400);
  });
});
