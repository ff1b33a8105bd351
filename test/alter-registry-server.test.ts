import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';

/**
 * Issue 15: ALTER … ADD COLUMN on a source in a schema-registry format behaves
 * as in ksqlDB. CREATE registers the generated schema under `<topic>-value`
 * (SchemaRegisterInjector); ALTER only changes the source (AlterSourceCommand,
 * no registration); the next INSERT VALUES registers the wider schema as a new
 * version, as ksqlDB's auto-registering serializer does; old records stay readable.
 */

async function post(url: string, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

async function ok(url: string, sql: string): Promise<void> {
  const r = await post(url, '/ksql', { ksql: sql });
  expect(r.status, r.text).toBe(200);
}

async function versions(registry: string, subject: string): Promise<unknown> {
  const res = await fetch(`${registry}/subjects/${subject}/versions`);
  expect(res.status).toBe(200);
  return res.json();
}

async function latestSchema(registry: string, subject: string): Promise<{ schemaType?: string; schema: string; version: number }> {
  const res = await fetch(`${registry}/subjects/${subject}/versions/latest`);
  expect(res.status).toBe(200);
  return (await res.json()) as { schemaType?: string; schema: string; version: number };
}

/** The field names of a registered value schema, whatever its type. */
function fieldNames(s: { schemaType?: string; schema: string }): string[] {
  if (s.schemaType === 'PROTOBUF') return [...s.schema.matchAll(/\b(\w+) = \d+;/g)].map((m) => m[1]!);
  const parsed = JSON.parse(s.schema) as { fields?: { name: string }[]; properties?: Record<string, unknown> };
  return parsed.fields ? parsed.fields.map((f) => f.name) : Object.keys(parsed.properties ?? {});
}

describeIf(BUNDLE_BUILT, DIST)('ALTER … ADD COLUMN and the schema registry (real server, embedded registry)', () => {
  let server: ServerProcess;
  let registry: string;
  beforeAll(async () => {
    server = await startServerProcess({}, { schemaRegistry: true });
    registry = server.registryUrl!;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const format of ['AVRO', 'PROTOBUF', 'JSON_SR']) {
    it(`${format}: CREATE registers v1, ALTER adds no version, the next INSERT registers v2, old rows still read`, async () => {
      const topic = `alt_${format.toLowerCase()}`;
      const subject = `${topic}-value`;
      await ok(server.url, `CREATE STREAM A_${format} (ID INT KEY, COL1 INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='${format}', PARTITIONS=1);`);
      expect(await versions(registry, subject)).toEqual([1]);
      await ok(server.url, `INSERT INTO A_${format} (ID, COL1, ROWTIME) VALUES (1, 1, 0);`);
      expect(await versions(registry, subject)).toEqual([1]);

      await ok(server.url, `ALTER STREAM A_${format} ADD COLUMN COL2 STRING;`);
      expect(await versions(registry, subject)).toEqual([1]);
      expect(fieldNames(await latestSchema(registry, subject))).toEqual(['COL1']);

      await ok(server.url, `INSERT INTO A_${format} (ID, COL1, COL2, ROWTIME) VALUES (2, 2, 'x', 1);`);
      expect(await versions(registry, subject)).toEqual([1, 2]);
      const latest = await latestSchema(registry, subject);
      expect(latest.version).toBe(2);
      expect(fieldNames(latest)).toEqual(['COL1', 'COL2']);

      const pull = await post(server.url, '/query', { ksql: `SELECT * FROM A_${format};` });
      expect(pull.status).toBe(200);
      const rows = (JSON.parse(pull.text) as { row?: { columns: unknown[] } }[]).flatMap((m) => (m.row ? [m.row.columns] : []));
      expect(rows).toEqual([
        [1, 1, null],
        [2, 2, 'x'],
      ]);
    });
  }
});
