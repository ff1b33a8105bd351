import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry } from '../src/serde/schema-registry.js';
import { startSchemaRegistryServer, type RunningSchemaRegistry } from '../src/server/schema-registry/index.js';
import { eventually } from './helpers/eventually.js';
import { ksql, startTestServer } from './server-helpers.js';

const CT = 'application/vnd.schemaregistry.v1+json';

let sr: RunningSchemaRegistry;
let registry: InMemorySchemaRegistry;

async function call(method: string, path: string, body?: unknown, contentType = CT): Promise<{ status: number; body: any; text: string; type: string | null }> {
  const res = await fetch(sr.url + path, {
    method,
    headers: { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text, type: res.headers.get('content-type') };
}

const record = (name: string, fields: unknown[]) => JSON.stringify({ type: 'record', name, namespace: 'com.example', fields });
const V1 = record('Order', [
  { name: 'id', type: 'long' },
  { name: 'item', type: 'string' },
]);
const V2_DEFAULT = record('Order', [
  { name: 'id', type: 'long' },
  { name: 'item', type: 'string' },
  { name: 'qty', type: 'int', default: 1 },
]);
const V2_NO_DEFAULT = record('Order', [
  { name: 'id', type: 'long' },
  { name: 'item', type: 'string' },
  { name: 'qty', type: 'int' },
]);
const V2_TYPE_CHANGE = record('Order', [
  { name: 'id', type: 'string' },
  { name: 'item', type: 'string' },
]);
const V2_PROMOTED = record('Order', [
  { name: 'id', type: 'double' },
  { name: 'item', type: 'string' },
]);
const V2_DROPPED = record('Order', [{ name: 'id', type: 'long' }]);

beforeAll(async () => {
  registry = new InMemorySchemaRegistry();
  sr = await startSchemaRegistryServer({ registry, port: 0 });
});
afterAll(() => sr.close());

describe('subjects and versions', () => {
  it('registers, deduplicates, lists and reads versions', async () => {
    const r1 = await call('POST', '/subjects/orders-value/versions', { schema: V1 });
    expect(r1.status).toBe(200);
    expect(r1.type).toBe(CT);
    const id1 = r1.body.id as number;
    expect(typeof id1).toBe('number');
    // same schema again: same id, no new version; whitespace does not matter
    expect((await call('POST', '/subjects/orders-value/versions', { schema: JSON.stringify(JSON.parse(V1), null, 2) })).body).toEqual({ id: id1 });
    const r2 = await call('POST', '/subjects/orders-value/versions', { schema: V2_DEFAULT }, 'application/json');
    expect(r2.status).toBe(200);
    const id2 = r2.body.id as number;
    expect(id2).not.toBe(id1);

    expect((await call('GET', '/subjects')).body).toContain('orders-value');
    expect((await call('GET', '/subjects/orders-value/versions')).body).toEqual([1, 2]);
    const latest = await call('GET', '/subjects/orders-value/versions/latest');
    expect(latest.body).toEqual({ subject: 'orders-value', version: 2, id: id2, schema: JSON.stringify(JSON.parse(V2_DEFAULT)) });
    expect((await call('GET', '/subjects/orders-value/versions/1')).body.id).toBe(id1);
    expect((await call('GET', '/subjects/orders-value/versions/-1')).body.version).toBe(2);
    const raw = await call('GET', '/subjects/orders-value/versions/1/schema');
    expect(raw.body).toEqual(JSON.parse(V1));

    expect((await call('GET', `/schemas/ids/${id1}`)).body).toEqual({ schema: JSON.stringify(JSON.parse(V1)) });
    expect((await call('GET', `/schemas/ids/${id2}/versions`)).body).toEqual([{ subject: 'orders-value', version: 2 }]);
    expect((await call('GET', `/schemas/ids/${id2}/subjects`)).body).toEqual(['orders-value']);
    expect((await call('GET', '/schemas/types')).body).toEqual(['JSON', 'PROTOBUF', 'AVRO']);

    // the same schema under another subject keeps its global id
    expect((await call('POST', '/subjects/other-value/versions', { schema: V1 })).body).toEqual({ id: id1 });
    // what serdes see is the same registry
    expect(registry.getLatest('orders-value')?.id).toBe(id2);
    expect(registry.getSchema(id1)).toEqual(JSON.parse(V1));
  });

  it('looks a schema up in a subject', async () => {
    const found = await call('POST', '/subjects/orders-value', { schema: V1 });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ subject: 'orders-value', version: 1 });
    const missing = await call('POST', '/subjects/orders-value', { schema: V2_DROPPED });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe(40403);
    expect((await call('POST', '/subjects/nope', { schema: V1 })).body.error_code).toBe(40401);
  });

  it('answers Confluent error codes', async () => {
    const e = async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body);
      return [r.status, r.body.error_code, typeof r.body.message];
    };
    expect(await e('GET', '/subjects/nope/versions')).toEqual([404, 40401, 'string']);
    expect(await e('GET', '/subjects/nope/versions/1')).toEqual([404, 40401, 'string']);
    expect(await e('GET', '/subjects/orders-value/versions/9')).toEqual([404, 40402, 'string']);
    expect(await e('GET', '/subjects/orders-value/versions/abc')).toEqual([422, 42202, 'string']);
    expect(await e('GET', '/schemas/ids/999')).toEqual([404, 40403, 'string']);
    expect(await e('POST', '/subjects/bad/versions', { schema: '{"type": "record", "name": "X"' })).toEqual([422, 42201, 'string']);
    expect(await e('POST', '/subjects/bad/versions', { schema: '{"type": "recordz", "name": "X"}' })).toEqual([422, 42201, 'string']);
    expect(await e('POST', '/subjects/bad/versions', { schema: 'message {', schemaType: 'PROTOBUF' })).toEqual([422, 42201, 'string']);
    expect(await e('POST', '/subjects/bad/versions', { schema: '{}', schemaType: 'XML' })).toEqual([422, 42201, 'string']);
    expect(await e('PUT', '/config', { compatibility: 'SOMETIMES' })).toEqual([422, 42203, 'string']);
    expect(await e('GET', '/no/such/endpoint')).toEqual([404, 404, 'string']);
    expect((await call('POST', '/subjects/x/versions', '{not json')).status).toBe(400);
  });

  it('refuses form and text/plain bodies (what a web page can POST cross-site) with 415', async () => {
    const schema = JSON.stringify({ schema: '"string"' });
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const r = await call('POST', '/subjects/csrf-value/versions', schema, type);
      expect(r.status).toBe(415);
      expect(r.body).toEqual({ error_code: 415, message: `HTTP 415 Unsupported Media Type: ${type}` });
    }
    expect((await call('GET', '/subjects')).body).not.toContain('csrf-value');
    for (const type of ['application/json', 'application/vnd.schemaregistry+json', 'application/octet-stream']) {
      expect((await call('POST', '/subjects/ok-value/versions', schema, type)).status, type).toBe(200);
    }
  });

  it('soft-deletes and permanently deletes subjects and versions', async () => {
    const a = (await call('POST', '/subjects/del-value/versions', { schema: V1 })).body.id as number;
    await call('POST', '/subjects/del-value/versions', { schema: V2_DEFAULT });
    expect((await call('DELETE', '/subjects/del-value/versions/1?permanent=true')).body.error_code).toBe(40407);
    expect((await call('DELETE', '/subjects/del-value/versions/1')).body).toBe(1);
    expect((await call('DELETE', '/subjects/del-value/versions/1')).body.error_code).toBe(40406);
    expect((await call('GET', '/subjects/del-value/versions')).body).toEqual([2]);
    expect((await call('GET', '/subjects/del-value/versions?deleted=true')).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects/del-value/versions/1')).body.error_code).toBe(40402);
    expect((await call('GET', '/subjects/del-value/versions/1?deleted=true')).body.id).toBe(a);
    expect((await call('DELETE', '/subjects/del-value?permanent=true')).body.error_code).toBe(40405);
    expect((await call('DELETE', '/subjects/del-value')).body).toEqual([2]);
    expect((await call('DELETE', '/subjects/del-value')).body.error_code).toBe(40404);
    expect((await call('GET', '/subjects')).body).not.toContain('del-value');
    expect((await call('GET', '/subjects?deleted=true')).body).toContain('del-value');
    expect((await call('GET', '/subjects/del-value/versions/latest')).body.error_code).toBe(40401);
    // schemas stay readable by id
    expect((await call('GET', `/schemas/ids/${a}`)).status).toBe(200);
    // re-registering continues the version numbers
    await call('POST', '/subjects/del-value/versions', { schema: V1 });
    expect((await call('GET', '/subjects/del-value/versions')).body).toEqual([3]);
    await call('DELETE', '/subjects/del-value');
    expect((await call('DELETE', '/subjects/del-value?permanent=true')).body).toEqual([1, 2, 3]);
    expect((await call('GET', '/subjects?deleted=true')).body).not.toContain('del-value');
    expect((await call('DELETE', '/subjects/del-value')).body.error_code).toBe(40401);
  });
});

describe('compatibility', () => {
  it('reads and sets the global and per-subject level', async () => {
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('GET', '/config/orders-value')).body.error_code).toBe(40408);
    expect((await call('GET', '/config/orders-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('PUT', '/config/cfg-value', { compatibility: 'full' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call('GET', '/config/cfg-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await call('DELETE', '/config/cfg-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await call('GET', '/config/cfg-value')).body.error_code).toBe(40408);
    expect((await call('PUT', '/config', { compatibility: 'FORWARD' })).body).toEqual({ compatibility: 'FORWARD' });
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'FORWARD' });
    await call('PUT', '/config', { compatibility: 'BACKWARD' });
  });

  it('checks AVRO BACKWARD compatibility', async () => {
    await call('POST', '/subjects/bw-value/versions', { schema: V1 });
    const check = async (schema: string, version = 'latest') =>
      (await call('POST', `/compatibility/subjects/bw-value/versions/${version}?verbose=true`, { schema })).body;
    expect(await check(V2_DEFAULT)).toEqual({ is_compatible: true, messages: [] });
    expect(await check(V2_DROPPED)).toMatchObject({ is_compatible: true }); // a reader may ignore writer fields
    expect(await check(V2_PROMOTED)).toMatchObject({ is_compatible: true }); // long → double is a promotion
    const noDefault = await check(V2_NO_DEFAULT);
    expect(noDefault.is_compatible).toBe(false);
    expect(noDefault.messages.join()).toMatch(/qty/);
    expect((await check(V2_TYPE_CHANGE)).is_compatible).toBe(false);
    expect(
      (
        await check(
          record('Renamed', [
            { name: 'id', type: 'long' },
            { name: 'item', type: 'string' },
          ]),
        )
      ).is_compatible,
    ).toBe(false);
    expect((await call('POST', '/compatibility/subjects/bw-value/versions/latest', { schema: V2_DEFAULT })).body).toEqual({ is_compatible: true });
    expect((await call('POST', '/compatibility/subjects/bw-value/versions/1', { schema: V2_NO_DEFAULT })).body).toEqual({ is_compatible: false });
    expect((await call('POST', '/compatibility/subjects/bw-value/versions/7', { schema: V1 })).body.error_code).toBe(40402);
    expect((await call('POST', '/compatibility/subjects/nope/versions/latest', { schema: V1 })).body.error_code).toBe(40401);

    // registering an incompatible schema is refused with 409
    const refused = await call('POST', '/subjects/bw-value/versions', { schema: V2_NO_DEFAULT });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe(409);
    expect((await call('GET', '/subjects/bw-value/versions')).body).toEqual([1]);
  });

  it('NONE accepts anything; FORWARD, FULL and transitive levels', async () => {
    await call('POST', '/subjects/none-value/versions', { schema: V1 });
    await call('PUT', '/config/none-value', { compatibility: 'NONE' });
    expect((await call('POST', '/subjects/none-value/versions', { schema: V2_TYPE_CHANGE })).status).toBe(200);

    await call('POST', '/subjects/fw-value/versions', { schema: V1 });
    await call('PUT', '/config/fw-value', { compatibility: 'FORWARD' });
    // FORWARD: the old schema must read new data; a new field without default is fine, dropping 'item' is not
    expect((await call('POST', '/compatibility/subjects/fw-value/versions/latest', { schema: V2_NO_DEFAULT })).body.is_compatible).toBe(true);
    expect((await call('POST', '/compatibility/subjects/fw-value/versions/latest', { schema: V2_DROPPED })).body.is_compatible).toBe(false);

    await call('POST', '/subjects/full-value/versions', { schema: V1 });
    await call('PUT', '/config/full-value', { compatibility: 'FULL' });
    expect((await call('POST', '/compatibility/subjects/full-value/versions/latest', { schema: V2_DEFAULT })).body.is_compatible).toBe(true);
    expect((await call('POST', '/compatibility/subjects/full-value/versions/latest', { schema: V2_NO_DEFAULT })).body.is_compatible).toBe(false);

    // transitive: v3 is compatible with v2 but not with v1
    const T1 = record('T', [{ name: 'a', type: 'int' }]);
    const T2 = record('T', [
      { name: 'a', type: 'int' },
      { name: 'b', type: 'int', default: 0 },
    ]);
    const T3 = record('T', [{ name: 'b', type: 'int' }]);
    await call('PUT', '/config/tr-value', { compatibility: 'NONE' });
    await call('POST', '/subjects/tr-value/versions', { schema: T1 });
    await call('POST', '/subjects/tr-value/versions', { schema: T2 });
    await call('PUT', '/config/tr-value', { compatibility: 'BACKWARD' });
    expect((await call('POST', '/compatibility/subjects/tr-value/versions/latest', { schema: T3 })).body.is_compatible).toBe(true);
    await call('PUT', '/config/tr-value', { compatibility: 'BACKWARD_TRANSITIVE' });
    expect((await call('POST', '/compatibility/subjects/tr-value/versions/latest', { schema: T3 })).body.is_compatible).toBe(false);
    expect((await call('POST', '/subjects/tr-value/versions', { schema: T3 })).status).toBe(409);
  });

  it('JSON and PROTOBUF schemas: registered with schemaType, best-effort checks', async () => {
    const J1 = JSON.stringify({ type: 'object', properties: { a: { type: 'integer' } } });
    const J2 = JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } });
    const j = await call('POST', '/subjects/js-value/versions', { schema: J1, schemaType: 'JSON' });
    expect(j.status).toBe(200);
    expect((await call('GET', `/schemas/ids/${j.body.id}`)).body).toEqual({ schemaType: 'JSON', schema: J1 });
    expect((await call('POST', '/compatibility/subjects/js-value/versions/latest', { schema: J2, schemaType: 'JSON' })).body.is_compatible).toBe(false);

    const P1 = 'syntax = "proto3";\nmessage Order {\n  int64 id = 1;\n  string item = 2;\n}\n';
    const P2 = 'syntax = "proto3";\nmessage Order {\n  int64 id = 1;\n  string item = 2;\n  int32 qty = 3;\n}\n';
    const P3 = 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n}\n';
    const p = await call('POST', '/subjects/pb-value/versions', { schema: P1, schemaType: 'PROTOBUF' });
    expect(p.status).toBe(200);
    expect((await call('GET', `/subjects/pb-value/versions/1`)).body).toMatchObject({ schemaType: 'PROTOBUF', schema: P1 });
    expect((await call('GET', `/subjects/pb-value/versions/1/schema`)).text).toBe(P1);
    expect((await call('POST', '/compatibility/subjects/pb-value/versions/latest', { schema: P2, schemaType: 'PROTOBUF' })).body.is_compatible).toBe(true);
    expect((await call('POST', '/compatibility/subjects/pb-value/versions/latest', { schema: P3, schemaType: 'PROTOBUF' })).body.is_compatible).toBe(false);
    // changing the schema type is never compatible
    expect((await call('POST', '/compatibility/subjects/pb-value/versions/latest', { schema: J1, schemaType: 'JSON' })).body.is_compatible).toBe(false);
  });

  it('resolves references', async () => {
    const inner = JSON.stringify({ type: 'record', name: 'Address', namespace: 'com.example', fields: [{ name: 'city', type: 'string' }] });
    await call('POST', '/subjects/address/versions', { schema: inner });
    const outer = JSON.stringify({ type: 'record', name: 'Customer', namespace: 'com.example', fields: [{ name: 'address', type: 'com.example.Address' }] });
    const r = await call('POST', '/subjects/customer-value/versions', {
      schema: outer,
      references: [{ name: 'com.example.Address', subject: 'address', version: 1 }],
    });
    expect(r.status).toBe(200);
    expect((await call('GET', `/schemas/ids/${r.body.id}`)).body.references).toEqual([{ name: 'com.example.Address', subject: 'address', version: 1 }]);
    expect((await call('GET', '/subjects/address/versions/1/referencedby')).body).toEqual([r.body.id]);
    expect((await call('POST', '/subjects/customer-value/versions', { schema: outer })).body.error_code).toBe(42201);
  });
});

describe('served by startServer with the engine', () => {
  it('shares the engine registry: schemas the serdes register are visible by id, and CREATE infers from client subjects', async () => {
    const { server, url, engine } = await startTestServer({ schemaRegistry: { port: 0 } });
    try {
      const reg = server.schemaRegistry!;
      expect(reg.port).toBeGreaterThan(0);
      expect(reg.port).not.toBe(server.port);
      const post = await fetch(`${reg.url}/subjects/clicks-value/versions`, {
        method: 'POST',
        headers: { 'content-type': CT },
        body: JSON.stringify({
          schema: record('Click', [
            { name: 'user', type: 'string' },
            { name: 'n', type: 'int' },
          ]),
        }),
      });
      expect(post.status).toBe(200);
      await ksql(url, "CREATE STREAM clicks WITH (kafka_topic='clicks', value_format='AVRO', partitions=1);");
      const described = await ksql(url, 'DESCRIBE clicks;');
      expect(described[0].sourceDescription.fields.map((f: { name: string }) => f.name)).toEqual(['USER', 'N']);
      await ksql(
        url,
        "CREATE STREAM clicks_json (user STRING, n INT) WITH (kafka_topic='cj', value_format='JSON', partitions=1); CREATE STREAM cj_avro WITH (value_format='AVRO') AS SELECT * FROM clicks_json;",
      );
      await engine.insert('CLICKS_JSON', { USER: 'u', N: 1 });
      const sunk = await eventually('a record on CJ_AVRO', async () => {
        const got = await engine.log.read('CJ_AVRO', 0, 0, 10);
        return got.length > 0 && got;
      });
      // the sink's schema was registered by its serde in the engine registry, served by the id in its records
      const id = sunk[0]!.value!.readInt32BE(1);
      const byId = (await (await fetch(`${reg.url}/schemas/ids/${id}`)).json()) as { schema: string };
      expect(JSON.parse(byId.schema)).toMatchObject({ type: 'record', name: 'KsqlDataSourceSchema' });
    } finally {
      await server.close();
    }
    // the registry port is released with the server
    await expect(fetch(`${server.schemaRegistry!.url}/subjects`)).rejects.toThrow('fetch failed');
  });
});
