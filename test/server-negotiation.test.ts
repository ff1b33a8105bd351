import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { createSerde } from '../src/serde/index.js';
import { eventually } from './helpers/eventually.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

/**
 * Content negotiation on the streaming endpoints, as ksqlDB's routes do it: each
 * offers its media types (its default first) and answers in the one the
 * `Accept` header prefers, or 406 when it accepts none of them.
 */
describe('content negotiation on /query-stream, /query and /inserts-stream', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='json');");
  });
  afterAll(async () => {
    await server.close();
  });

  const inserts = (rows: readonly unknown[], accept?: string) =>
    fetch(`${url}/inserts-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
      body: [{ target: 'S' }, ...rows].map((r) => JSON.stringify(r)).join('\n'),
    });

  it('/inserts-stream answers one JSON array when the request accepts application/json', async () => {
    const r = await inserts(
      [
        { ID: 1, V: 'a' },
        { ID: 'one', V: 'x' },
        { ID: 2, V: 'b' },
      ],
      'application/json',
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(await r.text())).toEqual([
      { status: 'ok', seq: 0 },
      {
        status: 'error',
        seq: 1,
        error_code: 40001,
        message: "Failed to insert values into 'S'. Failed to deserialize value. Can't coerce string to type. targetType: INTEGER, path: $.ID",
      },
      { status: 'ok', seq: 2 },
    ]);
  });

  it('/inserts-stream answers an empty JSON array for a stream of no rows', async () => {
    const r = await inserts([], 'application/json');
    expect(await r.text()).toBe('[]');
  });

  it('/inserts-stream answers delimited acks by default and for */*', async () => {
    for (const accept of [undefined, '*/*', 'application/vnd.ksqlapi.delimited.v1']) {
      const r = await inserts([{ ID: 3, V: 'c' }], accept);
      expect(r.headers.get('content-type')).toBe('application/vnd.ksqlapi.delimited.v1');
      expect(await r.text()).toBe('{"status":"ok","seq":0}\n');
    }
  });

  it('/inserts-stream refuses a request that accepts none of its types with 406', async () => {
    const r = await inserts([{ ID: 4, V: 'd' }], 'text/html');
    expect(r.status).toBe(406);
    expect(await r.json()).toEqual({
      '@type': 'generic_error',
      error_code: 40600,
      message: 'Not Acceptable: this endpoint answers with application/vnd.ksqlapi.delimited.v1, application/json; the request accepts text/html',
    });
  });

  it('/query-stream picks the preferred type by quality', async () => {
    const r = await postJson(`${url}/query-stream`, { sql: 'SELECT * FROM s;' }, { accept: 'application/vnd.ksqlapi.delimited.v1;q=0.5, application/json' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body[0]).toMatchObject({ columnNames: ['ID', 'V'] });
  });

  it('/query-stream answers protobuf rows as ksqlDB does: a header with the proto3 schema, then base64 PROTOBUF_NOSR messages', async () => {
    await ksql(url, "INSERT INTO s (id, v) VALUES (7, 'seven');");
    const text = await eventually('the pull query to see the row', async () => {
      const r = await fetch(`${url}/query-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+protobuf' },
        body: JSON.stringify({ sql: 'SELECT * FROM s WHERE id = 7;' }),
      });
      expect(r.headers.get('content-type')).toBe('application/vnd.ksql.v1+protobuf');
      const t = await r.text();
      return t.includes('protobufBytes') ? t : undefined;
    });
    // ksqlDB ends every document with ",\n", the last one too, then "]".
    expect(text.endsWith(',\n]')).toBe(true);
    const docs = JSON.parse(`${text.slice(0, -3)}]`) as [{ header: { queryId: string; protoSchema: string } }, { protobufBytes: string }];
    expect(docs[0].header.protoSchema).toBe('syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int32 ID = 1;\n  string V = 2;\n}\n');
    const columns = [
      { name: 'ID', type: { kind: 'INTEGER' } },
      { name: 'V', type: { kind: 'STRING' } },
    ] as const;
    const row = createSerde('PROTOBUF_NOSR', columns, { isKey: false }).deserialize(Buffer.from(docs[1].protobufBytes, 'base64'));
    expect(row).toEqual([7, 'seven']);
    expect(docs).toHaveLength(2);
  });

  it('/query-stream refuses a type it does not offer with 406', async () => {
    const r = await postJson(`${url}/query-stream`, { sql: 'SELECT * FROM s;' }, { accept: 'text/csv' });
    expect(r.status).toBe(406);
    expect(r.body).toEqual({
      '@type': 'generic_error',
      error_code: 40600,
      message:
        'Not Acceptable: this endpoint answers with application/vnd.ksqlapi.delimited.v1, application/json, application/vnd.ksql.v1+protobuf; the request accepts text/csv',
    });
  });

  it('/query refuses a type it does not offer with 406', async () => {
    const r = await postJson(`${url}/query`, { ksql: 'SELECT * FROM s;' }, { accept: 'text/csv' });
    expect(r.status).toBe(406);
    expect(r.body).toMatchObject({ error_code: 40600, message: expect.stringContaining('Not Acceptable: this endpoint answers with application/json') });
  });

  it("/query answers ksqlDB's versioned JSON type when asked for it", async () => {
    const r = await postJson(`${url}/query`, { ksql: 'SELECT * FROM s;' }, { accept: 'application/vnd.ksql.v1+json' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.ksql.v1+json');
    expect(r.body[0].header.schema).toContain('`V` STRING');
  });
});
