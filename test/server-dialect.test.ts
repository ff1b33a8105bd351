import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

/** The admin statements over `/ksql`: ksqlDB's entities and error shapes. */
describe('/ksql with PAUSE and ASSERT', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
  });
  afterAll(() => server.close());

  it('ASSERT TOPIC answers an assert_topic entity; a failed one 417 with error code 41700', async () => {
    await ksql(url, "CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
    const [ok] = await ksql(url, 'ASSERT TOPIC s TIMEOUT 0 SECONDS;');
    expect(ok).toEqual({ '@type': 'assert_topic', statementText: 'ASSERT TOPIC s TIMEOUT 0 SECONDS;', topicName: 's', exists: true, warnings: [] });
    const [schema] = await ksql(url, "ASSERT NOT EXISTS SCHEMA SUBJECT 'nope' TIMEOUT 0 SECONDS;");
    expect(schema).toMatchObject({ '@type': 'assert_schema', subject: 'nope', id: null, exists: false });
    const failed = await postJson(`${url}/ksql`, { ksql: 'ASSERT TOPIC missing TIMEOUT 0 SECONDS;' });
    expect(failed.status).toBe(417);
    expect(failed.body).toMatchObject({ '@type': 'statement_error', error_code: 41700, message: 'Topic missing does not exist' });
  });

  it('PAUSE answers a currentStatus entity with the query id', async () => {
    await ksql(url, "CREATE STREAM P (V INT) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM P2 AS SELECT * FROM P;");
    const [queries] = await ksql(url, 'SHOW QUERIES;');
    const id = (queries.queries as { id: string }[]).find((q) => q.id.includes('P2'))!.id;
    const [paused] = await ksql(url, `PAUSE ${id};`);
    expect(paused).toMatchObject({ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS', message: 'Query paused.', queryId: id } });
    const [after] = await ksql(url, 'SHOW QUERIES;');
    expect((after.queries as { id: string; state: string }[]).find((q) => q.id === id)).toMatchObject({ state: 'PAUSED' });
  });
});
