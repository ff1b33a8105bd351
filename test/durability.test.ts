import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import type { InMemorySchemaRegistry } from '../src/serde/schema-registry.js';

/**
 * The data directory is the database: statements, topics, query state and
 * positions survive a restart, and a SIGKILL mid-aggregation loses and
 * duplicates nothing (state, input positions and sink writes commit together).
 * Queries run with `cache.max.bytes.buffering=0`, so every update reaches the sink
 * and the tests can see each count exactly once.
 */
const here = path.dirname(new URL(import.meta.url).pathname);
const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-durable-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every record of a topic decoded as JSON key/value, in partition then offset order. */
async function topicJson(engine: Engine, topic: string): Promise<{ key: unknown; value: Record<string, unknown> | null; partition: number }[]> {
  const info = await engine.log.topic(topic);
  const out: { key: unknown; value: Record<string, unknown> | null; partition: number }[] = [];
  for (let p = 0; p < (info?.partitions ?? 0); p++) {
    for (const r of await engine.log.read(topic, p, 0, 1_000_000)) {
      out.push({
        key: r.key?.toString('utf8') ?? null,
        value: r.value ? (JSON.parse(r.value.toString('utf8')) as Record<string, unknown>) : null,
        partition: p,
      });
    }
  }
  return out;
}

describe('durable engine', () => {
  it('brings streams, tables, queries and their state back after a clean restart', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } });
    await first.execute(`
      CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
      CREATE TABLE per_page AS SELECT page, COUNT(*) AS views FROM clicks GROUP BY page;`);
    await first.insert('CLICKS', { USER_ID: 'u1', PAGE: 'home' });
    await first.insert('CLICKS', { USER_ID: 'u2', PAGE: 'home' });
    await first.pumpAll();
    const queryIds = [...first.queries.keys()];
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    expect(second.catalog.getSource('PER_PAGE')?.sourceType).toBe('TABLE');
    expect([...second.queries.keys()]).toEqual(queryIds);
    await second.insert('CLICKS', { USER_ID: 'u3', PAGE: 'home' });
    await second.pumpAll();
    const out = await topicJson(second, 'PER_PAGE');
    // 1, 2 before the restart; 3 after it — counting continued from the saved state, nothing re-emitted.
    expect(out.map((r) => r.value?.['VIEWS'])).toEqual([1, 2, 3]);
    await second.close();
  });

  it('undoes sink writes of a run that crashed before its first checkpoint', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } });
    await first.execute(`
      CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=2);
      CREATE TABLE per_page AS SELECT page, COUNT(*) AS views FROM clicks GROUP BY page;`);
    await first.insert('CLICKS', { USER_ID: 'u1', PAGE: 'home' });
    await first.insert('CLICKS', { USER_ID: 'u2', PAGE: 'home' });
    // What a run killed between appending its output and its first checkpoint leaves behind:
    // sink records on both partitions, state and positions never saved. Nothing was pumped.
    for (let p = 0; p < 2; p++) {
      await first.log.append('PER_PAGE', p, [{ key: Buffer.from('home'), value: Buffer.from('{"VIEWS":1}'), timestamp: 1 }]);
    }
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.pumpAll();
    const out = await topicJson(second, 'PER_PAGE');
    // The crashed run's writes are gone; the restarted query counts once, from the start.
    expect(out.map((r) => [r.key, r.value?.['VIEWS']])).toEqual([
      ['home', 1],
      ['home', 2],
    ]);
    await second.close();
  });

  it('a query reading from the end starts where its sources ended when it was created, also when replayed after a restart', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false });
    await first.execute(`CREATE STREAM events (id INT) WITH (kafka_topic='events', value_format='JSON', partitions=2);`);
    await first.insert('EVENTS', { ID: 1 }); // before the query: not for it
    await first.execute(`CREATE STREAM copied AS SELECT id FROM events;`);
    await first.insert('EVENTS', { ID: 2 }); // after it, but it never ran before the restart
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.insert('EVENTS', { ID: 3 });
    await second.pumpAll();
    expect((await topicJson(second, 'COPIED')).map((r) => r.value?.['ID']).sort()).toEqual([2, 3]);
    await second.close();
  });

  it('EMIT FINAL keeps the windows it holds back across a restart and emits them when they close', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } });
    await first.execute(`
      CREATE STREAM s (id STRING KEY, k STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE TABLE w AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY k EMIT FINAL;`);
    for (const [k, t] of [
      ['x', 1_000],
      ['x', 2_000],
      ['y', 3_000],
    ] as const)
      await first.insert('S', { ID: 'a', K: k, ROWTIME: t });
    await first.pumpAll();
    expect(await topicJson(first, 'W')).toEqual([]); // held back: the window is open
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.insert('S', { ID: 'a', K: 'x', ROWTIME: 11_000 });
    await second.pumpAll();
    // Stream time 11 s closes [0, 10 s) (its end plus the grace): the final counts from before the restart come out.
    expect((await topicJson(second, 'W')).map((r) => r.value)).toEqual([{ N: 2 }, { N: 1 }]);
    await second.close();
  });

  it('keeps the windows of a stream-stream join across a restart', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } });
    await first.execute(`
      CREATE STREAM clicks (id STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
      CREATE STREAM buys (id STRING KEY, amount INT) WITH (kafka_topic='buys', value_format='JSON', partitions=1);
      CREATE STREAM converted AS SELECT c.id AS id, c.page AS page, b.amount AS amount FROM clicks c JOIN buys b WITHIN 1 MINUTE ON c.id = b.id;`);
    await first.insert('CLICKS', { ID: 'u1', PAGE: 'shoes', ROWTIME: 1_000 });
    await first.pumpAll();
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.insert('BUYS', { ID: 'u1', AMOUNT: 40, ROWTIME: 20_000 });
    await second.insert('BUYS', { ID: 'u1', AMOUNT: 50, ROWTIME: 90_000 }); // outside the window of the click
    await second.pumpAll();
    expect((await topicJson(second, 'CONVERTED')).map((r) => [r.key, r.value])).toEqual([['u1', { PAGE: 'shoes', AMOUNT: 40 }]]);
    await second.close();
  });

  it("keeps a stream-table join's table side across a restart (its rows are read again, nothing re-emitted)", async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } });
    await first.execute(`
      CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);
      CREATE STREAM orders (order_id STRING KEY, user_id STRING, amount INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);
      CREATE STREAM enriched AS SELECT o.user_id AS uid, u.name AS name, o.amount AS amount FROM orders o JOIN users u ON o.user_id = u.id;`);
    await first.insert('USERS', { ID: 'u1', NAME: 'Ann' });
    await first.insert('USERS', { ID: 'u2', NAME: 'Bo' });
    await first.pumpAll();
    await first.insert('ORDERS', { ORDER_ID: 'o1', USER_ID: 'u1', AMOUNT: 5 });
    await first.pumpAll();
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.insert('ORDERS', { ORDER_ID: 'o2', USER_ID: 'u2', AMOUNT: 7 });
    await second.insert('ORDERS', { ORDER_ID: 'o3', USER_ID: 'u1', AMOUNT: 9 });
    await second.pumpAll();
    const out = await topicJson(second, 'ENRICHED');
    expect(out.map((r) => [r.key, r.value])).toEqual([
      ['u1', { NAME: 'Ann', AMOUNT: 5 }],
      ['u2', { NAME: 'Bo', AMOUNT: 7 }],
      ['u1', { NAME: 'Ann', AMOUNT: 9 }],
    ]);
    await second.close();
  });

  it('a stream-table join feeding an aggregation gets its table rows back after a restart', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' } });
    await first.execute(`
      CREATE TABLE users (id STRING PRIMARY KEY, region STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);
      CREATE STREAM orders (order_id STRING KEY, user_id STRING, amount INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);
      CREATE TABLE per_region AS SELECT u.region AS region, SUM(o.amount) AS total FROM orders o JOIN users u ON o.user_id = u.id GROUP BY u.region;`);
    await first.insert('USERS', { ID: 'u1', REGION: 'north' });
    await first.pumpAll();
    await first.insert('ORDERS', { ORDER_ID: 'o1', USER_ID: 'u1', AMOUNT: 5 });
    await first.pumpAll();
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.insert('ORDERS', { ORDER_ID: 'o2', USER_ID: 'u1', AMOUNT: 7 });
    await second.pumpAll();
    // The second order still finds u1's region, and the sum continues from the saved state.
    expect((await topicJson(second, 'PER_REGION')).map((r) => [r.key, r.value])).toEqual([
      ['north', { TOTAL: 5 }],
      ['north', { TOTAL: 12 }],
    ]);
    await second.close();
  });

  it('keeps the embedded schema registry: ids, subjects and inferred columns survive a restart', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false });
    const schema = {
      type: 'record',
      name: 'Reading',
      fields: [
        { name: 'sensor', type: 'string' },
        { name: 'celsius', type: 'double' },
      ],
    };
    const id = (first.registry as InstanceType<typeof InMemorySchemaRegistry>).register(schema, { subject: 'readings-value', format: 'AVRO' });
    await first.execute("CREATE STREAM readings WITH (kafka_topic='readings', value_format='AVRO', partitions=1);");
    await first.execute('CREATE STREAM hot AS SELECT sensor, celsius FROM readings WHERE celsius > 30;');
    // The sink's generated schema is registered under its topic's subject.
    expect((first.registry as InstanceType<typeof InMemorySchemaRegistry>).getLatest('HOT-value')?.format).toBe('AVRO');
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    const registry = second.registry as InstanceType<typeof InMemorySchemaRegistry>;
    expect(registry.getLatest('readings-value')?.id).toBe(id);
    expect(registry.getRegistered(id)?.schema).toEqual(schema);
    // The replayed CREATE (no columns) found its schema again.
    expect(second.catalog.getSource('READINGS')?.schema.value.map((c) => c.name)).toEqual(['SENSOR', 'CELSIUS']);
    await second.close();
  });

  it('loses and duplicates nothing when killed with SIGKILL mid-aggregation', async () => {
    const dataDir = tempDir();
    const keys = 17;
    // Several runs, each killed at a random moment while it appends and aggregates.
    for (let run = 0; run < 4; run++) {
      const child = spawn(process.execPath, [path.join(here, 'fixtures', 'durable-writer.mjs'), dataDir, String(keys), '1000', String(run)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`writer made no progress in 20 s: ${stderr}`)), 20_000);
        child.stdout.once('data', () => {
          clearTimeout(timer);
          // Not a sync: a random moment after it started writing to kill it at, different in each run.
          setTimeout(
            () => {
              child.kill('SIGKILL');
              resolve();
            },
            20 + Math.floor(Math.random() * 200),
          );
        });
      });
      const code = await exited;
      expect(code, stderr).toBeNull(); // killed, not exited on its own
    }

    const engine = await Engine.open({ dataDir, autoPump: false });
    await engine.pumpAll();
    // Independent computation from the input topic itself.
    const expected = new Map<string, { n: number; total: number }>();
    for (const r of await topicJson(engine, 'events')) {
      const card = String(r.value?.['CARD']);
      const e = expected.get(card) ?? { n: 0, total: 0 };
      e.n += 1;
      e.total += Number(r.value?.['AMOUNT']);
      expected.set(card, e);
    }
    expect(expected.size).toBeGreaterThan(0);
    const sink = await topicJson(engine, 'PER_CARD');
    // Per card the sink holds counts 1, 2, …, n exactly once each: no duplicate, no gap.
    const counts = new Map<string, number[]>();
    const latest = new Map<string, { n: number; total: number }>();
    for (const r of sink) {
      const card = String(r.key);
      counts.set(card, [...(counts.get(card) ?? []), Number(r.value?.['N'])]);
      latest.set(card, { n: Number(r.value?.['N']), total: Number(r.value?.['TOTAL']) });
    }
    for (const [card, e] of expected) {
      expect(counts.get(card), card).toEqual(Array.from({ length: e.n }, (_, i) => i + 1));
      expect(latest.get(card), card).toEqual(e);
    }
    await engine.close();
  }, 60_000);
});
