import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { PAGEVIEWS, ksql, postJson, startTestServer } from './server-helpers.js';

describe('POST /ksql', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
  });
  afterAll(() => server.close());

  it('CREATE STREAM answers a currentStatus entity', async () => {
    const [e] = await ksql(url, PAGEVIEWS);
    expect(e).toEqual({
      '@type': 'currentStatus',
      statementText: PAGEVIEWS,
      commandId: 'stream/PAGEVIEWS/create',
      commandStatus: { status: 'SUCCESS', message: 'Stream created', queryId: null },
      commandSequenceNumber: expect.any(Number),
      warnings: [],
    });
  });

  it('CREATE TABLE AS SELECT reports its query id; SHOW QUERIES lists it', async () => {
    const [e] = await ksql(url, 'CREATE TABLE page_counts AS SELECT page, COUNT(*) AS n FROM pageviews GROUP BY page;');
    expect(e.commandId).toBe('table/PAGE_COUNTS/create');
    expect(e.commandStatus.queryId).toMatch(/^CTAS_PAGE_COUNTS_\d+$/);
    const [q] = await ksql(url, 'SHOW QUERIES;');
    expect(q['@type']).toBe('queries');
    expect(q.queries).toContainEqual({
      queryString: expect.stringContaining('CREATE TABLE page_counts'),
      sinks: ['PAGE_COUNTS'],
      sinkKafkaTopics: ['PAGE_COUNTS'],
      id: e.commandStatus.queryId,
      statusCount: { RUNNING: 1 },
      queryType: 'PERSISTENT',
      state: 'RUNNING',
    });
  });

  it('SHOW STREAMS / TABLES / TOPICS', async () => {
    const [streams, tables, topics] = await ksql(url, 'SHOW STREAMS; LIST TABLES; SHOW TOPICS;');
    expect(streams).toMatchObject({ '@type': 'streams', statementText: 'SHOW STREAMS;', warnings: [] });
    expect(streams.streams).toContainEqual({
      type: 'STREAM',
      name: 'PAGEVIEWS',
      topic: 'pageviews',
      keyFormat: 'KAFKA',
      valueFormat: 'JSON',
      isWindowed: false,
    });
    expect(tables['@type']).toBe('tables');
    expect(tables.tables).toContainEqual(expect.objectContaining({ type: 'TABLE', name: 'PAGE_COUNTS', isWindowed: false }));
    expect(topics['@type']).toBe('kafka_topics');
    expect(topics.topics).toContainEqual({ name: 'pageviews', replicaInfo: [1] });
  });

  it('DESCRIBE answers a sourceDescription with fields, key and queries', async () => {
    const [d] = await ksql(url, 'DESCRIBE page_counts EXTENDED;');
    expect(d['@type']).toBe('sourceDescription');
    const s = d.sourceDescription;
    expect(s).toMatchObject({
      name: 'PAGE_COUNTS',
      type: 'TABLE',
      keyFormat: 'KAFKA',
      valueFormat: 'JSON',
      topic: 'PAGE_COUNTS',
      extended: true,
      partitions: 1,
      replication: 1,
      windowType: null,
      timestamp: '',
    });
    expect(s.fields).toEqual([
      { name: 'PAGE', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' },
      { name: 'N', schema: { type: 'BIGINT', fields: null, memberSchema: null } },
    ]);
    expect(s.writeQueries).toHaveLength(1);
    const [src] = await ksql(url, 'DESCRIBE pageviews;');
    expect(src.sourceDescription.readQueries.map((q: { id: string }) => q.id)).toEqual(s.writeQueries.map((q: { id: string }) => q.id));
  });

  it('complex types map to SchemaInfo', async () => {
    await ksql(
      url,
      "CREATE STREAM typed (k STRING KEY, a ARRAY<INT>, m MAP<STRING, DOUBLE>, s STRUCT<x INT, y STRING>, d DECIMAL(4, 2)) WITH (kafka_topic='typed', partitions=1, value_format='json');",
    );
    const [d] = await ksql(url, 'DESCRIBE typed;');
    const byName = Object.fromEntries(d.sourceDescription.fields.map((f: { name: string; schema: unknown }) => [f.name, f.schema]));
    expect(byName.A).toEqual({ type: 'ARRAY', fields: null, memberSchema: { type: 'INTEGER', fields: null, memberSchema: null } });
    expect(byName.M).toEqual({ type: 'MAP', fields: null, memberSchema: { type: 'DOUBLE', fields: null, memberSchema: null } });
    expect(byName.S.type).toBe('STRUCT');
    expect(byName.S.fields.map((f: { name: string }) => f.name)).toEqual(['X', 'Y']);
    expect(byName.D).toMatchObject({ type: 'DECIMAL', parameters: { precision: 4, scale: 2 } });
  });

  it('SHOW FUNCTIONS, DESCRIBE FUNCTION, SHOW TYPES, SHOW PROPERTIES, EXPLAIN', async () => {
    await ksql(url, 'CREATE TYPE address AS STRUCT<street STRING, zip INT>;');
    const [fns, fn, types, props, explain] = await ksql(
      url,
      'SHOW FUNCTIONS; DESCRIBE FUNCTION ABS; SHOW TYPES; SHOW PROPERTIES; EXPLAIN SELECT * FROM pageviews EMIT CHANGES;',
    );
    expect(fns['@type']).toBe('function_names');
    expect(fns.functions).toContainEqual(expect.objectContaining({ name: 'ABS', type: 'SCALAR' }));
    expect(fn).toMatchObject({ '@type': 'describe_function', name: 'ABS', type: 'SCALAR' });
    expect(fn.functions.length).toBeGreaterThan(0);
    expect(fn.functions[0]).toEqual(expect.objectContaining({ returnType: expect.any(String), arguments: expect.any(Array) }));
    expect(types['@type']).toBe('type_list');
    expect(types.types.ADDRESS).toMatchObject({ type: 'STRUCT' });
    expect(props['@type']).toBe('properties');
    expect(Array.isArray(props.properties)).toBe(true);
    expect(explain['@type']).toBe('queryDescription');
    expect(explain.queryDescription.executionPlan).toEqual(expect.any(String));
  });

  it('SET and DEFINE are scoped to the request and return no entity; sessionVariables substitute', async () => {
    const r = await ksql(url, "SET 'auto.offset.reset'='earliest'; DEFINE pg = 'home'; SHOW PROPERTIES; SHOW VARIABLES;");
    expect(r.map((e) => e['@type'])).toEqual(['properties', 'variables']);
    expect(r[0].properties).toContainEqual({ name: 'ksql.streams.auto.offset.reset', scope: 'KSQL', value: 'earliest' });
    expect(r[0].overwrittenProperties).toContain('ksql.streams.auto.offset.reset');
    expect(r[1].variables).toContainEqual({ name: 'pg', value: 'home' });
    const [props] = await ksql(url, 'SHOW PROPERTIES;');
    expect(props.overwrittenProperties).not.toContain('ksql.streams.auto.offset.reset');
    const [e] = await ksql(url, 'CREATE STREAM ${name} AS SELECT * FROM pageviews;', { sessionVariables: { name: 'pv_copy' } });
    expect(e.commandId).toBe('stream/PV_COPY/create');
  });

  it('INSERT INTO … VALUES returns no entity', async () => {
    expect(await ksql(url, "INSERT INTO pageviews (id, page, ts) VALUES (1, 'home', 10);")).toEqual([]);
  });

  it('a failing statement reports the entities of those before it', async () => {
    const r = await postJson(`${url}/ksql`, {
      ksql: "CREATE STREAM ok1 (v INT) WITH (kafka_topic='ok1', partitions=1, value_format='json'); DROP STREAM no_such_stream;",
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: 'DROP STREAM no_such_stream;' });
    expect(r.body.message).toContain('NO_SUCH_STREAM');
    expect(r.body.entities).toHaveLength(1);
    expect(r.body.entities[0].commandId).toBe('stream/OK1/create');
  });

  it('commandSequenceNumber already reached runs at once; one far ahead times out with 50301', async () => {
    const [e] = await ksql(url, 'SHOW STREAMS;', { commandSequenceNumber: -1 });
    expect(e['@type']).toBe('streams');
    const { server: s2, url: u2 } = await startTestServer({ requestTimeoutMs: 200 });
    try {
      const r = await postJson(`${u2}/ksql`, { ksql: 'SHOW STREAMS;', commandSequenceNumber: 1000 });
      expect(r.status).toBe(503);
      expect(r.body.error_code).toBe(50301);
    } finally {
      await s2.close();
    }
  });

  it('/status lists command statuses; /status/{type}/{entity}/{action} answers one', async () => {
    const all = (await (await fetch(`${url}/status`)).json()) as { commandStatuses: Record<string, string> };
    expect(all.commandStatuses['stream/PAGEVIEWS/create']).toBe('SUCCESS');
    const one = await fetch(`${url}/status/stream/PAGEVIEWS/create`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ status: 'SUCCESS', message: 'Stream created', queryId: null });
    const missing = await fetch(`${url}/status/stream/NOPE/create`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ '@type': 'generic_error', error_code: 40400, message: 'Command not found' });
  });

  it('answers with the ksqlDB media type when asked for it', async () => {
    const res = await fetch(`${url}/ksql`, {
      method: 'POST',
      headers: { accept: 'application/vnd.ksql.v1+json', 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.ksql.v1+json');
  });
});

describe('POST /ksql/terminate', () => {
  it('terminates queries and drops sources, deleting listed topics', async () => {
    const { server, url, engine } = await startTestServer();
    try {
      await ksql(url, `${PAGEVIEWS} CREATE STREAM home AS SELECT * FROM pageviews WHERE page = 'home';`);
      const r = await postJson(`${url}/ksql/terminate`, { deleteTopicList: ['HOME'] });
      expect(r.status).toBe(200);
      expect(r.body[0]).toMatchObject({ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS' } });
      const [streams] = await ksql(url, 'SHOW STREAMS;');
      expect(streams.streams).toEqual([]);
      expect(engine.queries.size).toBe(0);
      expect(await engine.log.topic('HOME')).toBeUndefined();
      expect(await engine.log.topic('pageviews')).toBeDefined();
    } finally {
      await server.close();
    }
  });
});

describe('durable engine', () => {
  it('streams created through the server are back after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-server-'));
    try {
      const s1 = await startServer({ engine: await Engine.open({ dataDir: dir }), port: 0 });
      await ksql(s1.url, PAGEVIEWS);
      await ksql(s1.url, "INSERT INTO pageviews (id, page, ts) VALUES (7, 'about', 1);");
      await s1.close();
      const s2 = await startServer({ engine: await Engine.open({ dataDir: dir }), port: 0 });
      try {
        const [streams] = await ksql(s2.url, 'SHOW STREAMS;');
        expect(streams.streams.map((s: { name: string }) => s.name)).toContain('PAGEVIEWS');
        const pull = await postJson(`${s2.url}/query-stream`, { sql: 'SELECT * FROM pageviews;' }, { accept: 'application/json' });
        expect(pull.status).toBe(200);
        expect(pull.body.slice(1)).toEqual([[7, 'about', 1]]);
      } finally {
        await s2.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
