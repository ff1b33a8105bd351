import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { ksql, LineReader, postJson, startTestServer } from './server-helpers.js';

const V2 = { 'ksql.query.push.v2.enabled': 'true' };

/** Starts a push query over `/query`; returns its header line (parsed) and the reader of the rest. */
async function startPush(url: string, sql: string, props: Record<string, string> = V2) {
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties: props }),
  });
  expect(res.status).toBe(200);
  const lines = LineReader.of(res);
  const first = (await lines.next())!;
  return { header: JSON.parse(`${first}]`)[0].header as { queryId: string; schema: string }, first, lines };
}

/** The whole `/query` answer, once it ended. */
async function rest(p: { first: string; lines: LineReader }): Promise<unknown[]> {
  return JSON.parse(`${p.first}\n${await p.lines.rest()}`) as unknown[];
}

/** Scalable push queries (ksqlDB's push v2) over a real HTTP server. */
describe('scalable push queries (ksql.query.push.v2.enabled)', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(
      url,
      "CREATE STREAM src (id INT KEY, v INT) WITH (kafka_topic='src', partitions=1, value_format='json'); CREATE STREAM out AS SELECT id, v FROM src; CREATE TABLE counts AS SELECT id, COUNT(*) AS n FROM src GROUP BY id;",
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('sees only the rows its upstream query writes after it registered, then ends at LIMIT', async () => {
    await ksql(url, 'INSERT INTO src (id, v) VALUES (1, 10);');
    // The persistent query wrote the earlier row before the push query starts.
    await eventually('the earlier row written', async () => ((await postJson(`${url}/query`, { ksql: 'SELECT * FROM out;' })).body as unknown[]).length === 3);
    const p = await startPush(url, 'SELECT id, v FROM out WHERE v > 0 EMIT CHANGES LIMIT 2;');
    expect(p.header).toEqual({ queryId: expect.stringMatching(/^SCALABLE_PUSH_QUERY_[0-9a-f]{12}$/), schema: '`ID` INTEGER, `V` INTEGER' });
    await ksql(url, 'INSERT INTO src (id, v) VALUES (2, 20); INSERT INTO src (id, v) VALUES (3, -1); INSERT INTO src (id, v) VALUES (4, 40);');
    expect(await rest(p)).toEqual([{ header: p.header }, { row: { columns: [2, 20] } }, { row: { columns: [4, 40] } }, { finalMessage: 'Limit Reached' }]);
  });

  it('taps the query output, not the topic: a row written to the sink topic by INSERT VALUES is not seen', async () => {
    const p = await startPush(url, 'SELECT id, v FROM out EMIT CHANGES LIMIT 1;');
    expect(p.header.queryId).toMatch(/^SCALABLE_PUSH_QUERY_/);
    await ksql(url, 'INSERT INTO out (id, v) VALUES (7, 70);');
    await ksql(url, 'INSERT INTO src (id, v) VALUES (8, 80);');
    expect(await rest(p)).toEqual([{ header: p.header }, { row: { columns: [8, 80] } }, { finalMessage: 'Limit Reached' }]);
  });

  it('on a table written by an aggregation: each change the query writes', async () => {
    const p = await startPush(url, 'SELECT id, n FROM counts EMIT CHANGES LIMIT 2;');
    expect(p.header).toEqual({ queryId: expect.stringMatching(/^SCALABLE_PUSH_QUERY_/), schema: '`ID` INTEGER, `N` BIGINT' });
    await ksql(url, 'INSERT INTO src (id, v) VALUES (9, 1); INSERT INTO src (id, v) VALUES (9, 2);');
    expect(await rest(p)).toEqual([{ header: p.header }, { row: { columns: [9, 1] } }, { row: { columns: [9, 2] } }, { finalMessage: 'Limit Reached' }]);
  });

  it.each([
    ['the property off', 'SELECT id FROM out EMIT CHANGES LIMIT 0;', {}],
    ['a source no query writes', 'SELECT id FROM src EMIT CHANGES LIMIT 0;', V2],
    ['auto.offset.reset earliest', 'SELECT id FROM out EMIT CHANGES LIMIT 0;', { ...V2, 'auto.offset.reset': 'earliest' }],
    ['a join', 'SELECT o.id FROM out o JOIN counts c ON o.id = c.id EMIT CHANGES LIMIT 0;', V2],
    ['GROUP BY', 'SELECT id, COUNT(*) FROM out GROUP BY id EMIT CHANGES LIMIT 0;', V2],
    ['PARTITION BY', 'SELECT id, v FROM out PARTITION BY v EMIT CHANGES LIMIT 0;', V2],
    ['a window', 'SELECT id, COUNT(*) FROM out WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY id EMIT CHANGES LIMIT 0;', V2],
    ['ROWPARTITION', 'SELECT id, ROWPARTITION FROM out EMIT CHANGES LIMIT 0;', V2],
  ])('is an ordinary push query with %s', async (_what, sql, props) => {
    const r = await postJson(`${url}/query`, { ksql: sql, streamsProperties: props });
    expect(r.status).toBe(200);
    expect(r.body[0].header.queryId).toMatch(/^transient_/);
  });

  it('is an ordinary push query when two queries write its source (ksqlDB needs exactly one)', async () => {
    await ksql(
      url,
      "CREATE STREAM two (id INT KEY, v INT) WITH (kafka_topic='two', partitions=1, value_format='json'); CREATE STREAM two_a AS SELECT * FROM src; INSERT INTO two_a SELECT * FROM two;",
    );
    const r = await postJson(`${url}/query`, { ksql: 'SELECT id FROM two_a EMIT CHANGES LIMIT 0;', streamsProperties: V2 });
    expect(r.body[0].header.queryId).toMatch(/^transient_TWO_A_/);
  });

  it("ends with ksqlDB's error when its upstream query is terminated", async () => {
    await ksql(url, 'CREATE STREAM doomed AS SELECT * FROM src;');
    const queries = (await postJson(`${url}/ksql`, { ksql: 'SHOW QUERIES;' })).body[0].queries as { id: string; sinks: string[] }[];
    const upstream = queries.find((q) => q.sinks.includes('DOOMED'))!.id;
    const p = await startPush(url, 'SELECT * FROM doomed EMIT CHANGES;');
    expect(p.header.queryId).toMatch(/^SCALABLE_PUSH_QUERY_/);
    await ksql(url, 'INSERT INTO src (id, v) VALUES (5, 50);');
    expect(JSON.parse((await p.lines.next())!.slice(1))).toEqual({ row: { columns: [5, 50] } });
    await ksql(url, `TERMINATE ${upstream};`);
    expect(await rest(p)).toEqual([
      { header: p.header },
      {
        errorMessage: {
          '@type': 'generic_error',
          error_code: 50000,
          message: 'Unable to execute push query. No nodes executing persistent queries SELECT * FROM doomed EMIT CHANGES;',
        },
      },
    ]);
  });
});

describe('scalable push queries and ksql.max.push.queries', () => {
  it('are not counted against the limit (as in ksqlDB, which bounds only ordinary push queries), and /close-query ends them', async () => {
    const { server, url } = await startTestServer({ maxPushQueries: 1 });
    try {
      await ksql(
        url,
        "CREATE STREAM lsrc (id INT KEY, v INT) WITH (kafka_topic='lsrc', partitions=1, value_format='json'); CREATE STREAM lout AS SELECT * FROM lsrc;",
      );
      // The one slot: an ordinary push query (the property is off for it).
      const ordinary = await startPush(url, 'SELECT * FROM lout EMIT CHANGES;', {});
      expect(ordinary.header.queryId).toMatch(/^transient_LOUT_/);
      const refused = await postJson(`${url}/query`, { ksql: 'SELECT * FROM lsrc EMIT CHANGES;' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error_code: 40003, message: 'Not executing query as maximum number of push queries has been reached: 1' });

      const scalable = await startPush(url, 'SELECT * FROM lout EMIT CHANGES;');
      expect(scalable.header.queryId).toMatch(/^SCALABLE_PUSH_QUERY_/);
      const closed = await postJson(`${url}/close-query`, { queryId: scalable.header.queryId });
      expect(closed.status).toBe(200);
      expect(await rest(scalable)).toEqual([{ header: scalable.header }, { finalMessage: 'Query Completed' }]);
    } finally {
      await server.close();
    }
  });
});
