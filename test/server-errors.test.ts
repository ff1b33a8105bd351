import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { PAGEVIEWS, ksql, postJson, startTestServer } from './server-helpers.js';

/** No response body may leak a stack trace or a file path. */
function expectNoStack(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
}

describe('errors', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer({ bodyLimit: 4096 }));
    await ksql(url, PAGEVIEWS);
  });
  afterAll(() => server.close());

  it('malformed JSON: 400 / 40000', async () => {
    const r = await postJson(`${url}/ksql`, '{"ksql": ');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ '@type': 'generic_error', error_code: 40000 });
    expect(r.body.message).toMatch(/Malformed JSON/);
  });

  it('unknown fields, missing or mistyped fields: 400 / 40000', async () => {
    for (const body of [{ ksql: 'SHOW STREAMS;', bogus: 1 }, {}, { ksql: 42 }, [], 'x', { ksql: 'SHOW STREAMS;', streamsProperties: [1] }]) {
      const r = await postJson(`${url}/ksql`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error_code).toBe(40000);
      expectNoStack(r.body);
    }
    const unknown = await postJson(`${url}/ksql`, { ksql: 'SHOW STREAMS;', bogus: 1 });
    expect(unknown.body.message).toContain('"bogus"');
  });

  it('oversize bodies: 413', async () => {
    const r = await postJson(`${url}/ksql`, { ksql: `SHOW STREAMS; -- ${'x'.repeat(10_000)}` });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ '@type': 'generic_error', error_code: 41300 });
  });

  it('unknown endpoints and methods: 404 / 40400', async () => {
    const r = await fetch(`${url}/no/such/thing`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ '@type': 'generic_error', error_code: 40400, message: 'No endpoint GET /no/such/thing' });
    const m = await fetch(`${url}/ksql`);
    expect(m.status).toBe(404);
  });

  it('syntax errors: 400 / 40001 with line:col and a caret', async () => {
    const r = await postJson(`${url}/ksql`, { ksql: 'CREATE STREAM (;' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: 'CREATE STREAM (;', entities: [] });
    expect(r.body.message).toMatch(/line 1:\d+/);
    expect(r.body.message).toContain('^');
    expectNoStack(r.body);
  });

  it('planning errors: 400 / 40001', async () => {
    const r = await postJson(`${url}/ksql`, { ksql: 'CREATE STREAM x AS SELECT nope FROM pageviews;' });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    expectNoStack(r.body);
  });

  it("SELECT and PRINT on /ksql: 400 / 40002 with ksqlDB's message, nothing executed", async () => {
    for (const sql of ['SELECT * FROM pageviews EMIT CHANGES;', 'PRINT pageviews;']) {
      const r = await postJson(`${url}/ksql`, { ksql: `CREATE STREAM never (v INT) WITH (kafka_topic='never', partitions=1, value_format='json'); ${sql}` });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        '@type': 'statement_error',
        error_code: 40002,
        message: "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
        statementText: sql,
        entities: [],
      });
    }
    const [streams] = await ksql(url, 'SHOW STREAMS;');
    expect(streams.streams.map((s: { name: string }) => s.name)).not.toContain('NEVER');
  });

  it('/close-query of an unknown id: 400', async () => {
    const r = await postJson(`${url}/close-query`, { queryId: 'nope' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ '@type': 'generic_error', error_code: 40000, message: 'No query with id nope' });
  });

  it('/is_valid_property', async () => {
    const ok = await fetch(`${url}/is_valid_property/auto.offset.reset`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toBe(true);
    const denied = await fetch(`${url}/is_valid_property/ksql.service.id`);
    expect(denied.status).toBe(400);
    expect(((await denied.json()) as { error_code: number }).error_code).toBe(40000);
    const unknown = await fetch(`${url}/is_valid_property/foo.bar`);
    expect(unknown.status).toBe(400);
  });
});

describe('server endpoints', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, `${PAGEVIEWS} CREATE STREAM copy AS SELECT * FROM pageviews;`);
  });
  afterAll(() => server.close());

  it('/info', async () => {
    const r = await fetch(`${url}/info`);
    expect(await r.json()).toEqual({
      KsqlServerInfo: { version: expect.any(String), kafkaClusterId: expect.any(String), ksqlServiceId: 'default_', serverStatus: 'RUNNING' },
    });
  });

  it('/healthcheck', async () => {
    const r = await fetch(`${url}/healthcheck`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ isHealthy: true, details: { metastore: { isHealthy: true }, kafka: { isHealthy: true } } });
  });

  it('/clusterStatus lists this host and its queries', async () => {
    const body = (await (await fetch(`${url}/clusterStatus`)).json()) as { clusterStatus: Record<string, unknown> };
    const hosts = Object.values(body.clusterStatus) as { hostAlive: boolean; activeStandbyPerQuery: Record<string, unknown> }[];
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.hostAlive).toBe(true);
    expect(Object.keys(hosts[0]!.activeStandbyPerQuery)).toEqual([expect.stringMatching(/^CSAS_COPY_/)]);
  });

  it('POST /topics/{topic} produces REST-proxy style, and queries see the records', async () => {
    const r = await postJson(
      `${url}/topics/pageviews`,
      {
        records: [
          { key: 5, value: { PAGE: 'p', TS: 1 } },
          { key: 6, value: { PAGE: 'q', TS: 2 }, partition: 0 },
        ],
      },
      { 'content-type': 'application/vnd.kafka.json.v2+json' },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/vnd.kafka.v2+json');
    expect(r.body).toEqual({
      offsets: [
        { partition: 0, offset: 0, error_code: null, error: null },
        { partition: 0, offset: 1, error_code: null, error: null },
      ],
      key_schema_id: null,
      value_schema_id: null,
    });
    const rows = await postJson(`${url}/query-stream`, { sql: 'SELECT id, page FROM pageviews;' }, { accept: 'application/json' });
    expect(rows.body.slice(1)).toEqual([
      [5, 'p'],
      [6, 'q'],
    ]);
    const bad = await postJson(`${url}/topics/pageviews`, { records: [] });
    expect(bad.status).toBe(400);
    const badPartition = await postJson(`${url}/topics/pageviews`, { records: [{ value: {}, partition: 9 }] });
    expect(badPartition.status).toBeGreaterThanOrEqual(400);
    expectNoStack(badPartition.body);
  });
});
