/**
 * The record cache in front of aggregations (`cache.max.bytes.buffering`), as
 * Kafka Streams' "Record caches in the DSL" and KIP-63 describe it: updates to
 * the same key (key and window for windowed aggregations) between two commits
 * collapse to the latest; at the commit (in Sluice: after each batch read) the
 * latest value of every updated key is emitted, keys in the order of their
 * latest update (NamedCache moves an updated key to the end). When the cache's
 * size passes the bound, everything it holds is emitted. 0 (Sluice's default,
 * and what ksqlDB's test runner uses) emits every update.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { RecordCache, SlotRecordCache, cacheMaxBytes } from '../src/runtime/operators/record-cache.js';
import type { TransientQuery } from '../src/runtime/query/transient-query.js';
import { startEngine, type Harness } from './helpers/engine-harness.js';

const STREAM = `CREATE STREAM S (ID STRING KEY, K STRING, V INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;

/** Appends records as one batch (one read of the query), then processes to quiescence. */
async function batch(h: Harness, ...recs: { k: string; v?: number; ts: number }[]): Promise<void> {
  await h.log.append(
    's',
    0,
    recs.map((r) => ({ key: Buffer.from('id'), value: Buffer.from(JSON.stringify({ K: r.k, V: r.v ?? 1 })), timestamp: r.ts, headers: [] })),
  );
  await h.engine.pumpAll();
}

/** The sink's records as `key=value@timestamp` lines, windowed keys as the raw key text. */
async function sink(h: Harness, topic: string): Promise<string[]> {
  return (await h.read(topic)).map((r) => `${r.key}=${r.value}@${r.timestamp}`);
}

async function engineWith(sql: string, cache: string | undefined): Promise<Harness> {
  const h = await startEngine(['s']);
  await h.engine.execute(STREAM);
  await h.engine.execute(sql, { properties: cache === undefined ? {} : { 'cache.max.bytes.buffering': cache } });
  return h;
}

async function rows(q: TransientQuery): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const r of q.rows) out.push([...r]);
  return out;
}

/** Latest line per key of `lines` (keys in the order of their latest line), as a flush of those updates emits them. */
function latestPerKey(lines: readonly string[], keyOf: (line: string) => string): string[] {
  const m = new Map<string, string>();
  for (const l of lines) {
    const k = keyOf(l);
    m.delete(k);
    m.set(k, l);
  }
  return [...m.values()];
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('RecordCache', () => {
  it('emits the latest entry per key at a flush, keys in the order of their latest update', () => {
    const out: string[] = [];
    const cache = new RecordCache<string, string>(1_000_000, (e) => out.push(e));
    cache.put('a', 'a1', 10);
    cache.put('b', 'b1', 10);
    cache.put('a', 'a2', 10);
    cache.put('c', 'c1', 10);
    expect(out).toEqual([]);
    expect(cache.size).toBe(3);
    cache.flush();
    expect(out).toEqual(['b1', 'a2', 'c1']);
    expect(cache.size).toBe(0);
  });

  it('emits everything it holds, eldest first, once its estimated size passes the bound', () => {
    const out: string[] = [];
    const cache = new RecordCache<string, string>(25, (e) => out.push(e));
    cache.put('a', 'a1', 10);
    cache.put('b', 'b1', 10);
    cache.put('a', 'a2', 10); // an update adds no size
    expect(out).toEqual([]);
    cache.put('c', 'c1', 10); // 30 > 25
    expect(out).toEqual(['b1', 'a2', 'c1']);
    cache.put('d', 'd1', 10);
    cache.flush();
    expect(out).toEqual(['b1', 'a2', 'c1', 'd1']);
  });
});

describe('SlotRecordCache', () => {
  const entry = (name: string) => ({ name, cacheAt: -1 });
  it('emits each entry once at a flush, in the order of their latest update, and counts an entry once', () => {
    const out: string[] = [];
    const cache = new SlotRecordCache<{ name: string; cacheAt: number }>(25, (e) => out.push(e.name));
    const [a, b, c] = [entry('a'), entry('b'), entry('c')];
    cache.put(a, 10);
    cache.put(b, 10);
    cache.put(a, 10);
    cache.put(a, 10);
    expect(cache.size).toBe(2);
    cache.flush();
    expect(out).toEqual(['b', 'a']);
    cache.put(c, 10);
    cache.put(a, 10);
    cache.put(b, 10); // 30 > 25: everything goes, eldest first
    expect(out).toEqual(['b', 'a', 'c', 'a', 'b']);
    expect(cache.size).toBe(0);
  });

  it('keeps the order of latest updates when one entry is updated many times between flushes', () => {
    const out: string[] = [];
    const cache = new SlotRecordCache<{ name: string; cacheAt: number }>(1_000_000, (e) => out.push(e.name));
    const [a, b] = [entry('a'), entry('b')];
    cache.put(a, 1);
    cache.put(b, 1);
    for (let i = 0; i < 10_000; i++) cache.put(a, 1); // compacts its superseded places on the way
    cache.flush();
    expect(out).toEqual(['b', 'a']);
  });
});

describe('cache.max.bytes.buffering', () => {
  it('is read plain or with the ksql.streams. prefix; ksqlDB 10 MB when unset; 0 when not a byte count', () => {
    expect(cacheMaxBytes({ 'cache.max.bytes.buffering': '10000000' })).toBe(10_000_000);
    expect(cacheMaxBytes({ 'ksql.streams.cache.max.bytes.buffering': '2048' })).toBe(2048);
    expect(cacheMaxBytes({})).toBe(10_000_000);
    expect(cacheMaxBytes({ 'cache.max.bytes.buffering': '0' })).toBe(0);
    expect(cacheMaxBytes({ 'cache.max.bytes.buffering': 'lots' })).toBe(0);
    expect(cacheMaxBytes({ 'cache.max.bytes.buffering': '-5' })).toBe(0);
  });

  const COUNT = `CREATE TABLE C AS SELECT K, COUNT(*) AS N, SUM(V) AS T FROM S GROUP BY K;`;

  it('set to 0, every update of a GROUP BY is output', async () => {
    const h = await engineWith(COUNT, '0');
    await batch(h, { k: 'a', ts: 1 }, { k: 'b', ts: 2 }, { k: 'a', ts: 3 });
    expect(await sink(h, 'C')).toEqual(['a={"N":1,"T":1}@1', 'b={"N":1,"T":1}@2', 'a={"N":2,"T":2}@3']);
  });

  it('set, a batch outputs the latest value per key, in the order of their latest update', async () => {
    const h = await engineWith(COUNT, '10000000');
    await batch(h, { k: 'a', ts: 1 }, { k: 'b', ts: 2 }, { k: 'a', v: 5, ts: 3 }, { k: 'c', ts: 4 });
    expect(await sink(h, 'C')).toEqual(['b={"N":1,"T":1}@2', 'a={"N":2,"T":6}@3', 'c={"N":1,"T":1}@4']);
    // The next batch: only the keys it updated, from where the state was.
    await batch(h, { k: 'c', ts: 5 }, { k: 'c', ts: 6 });
    expect((await sink(h, 'C')).slice(3)).toEqual(['c={"N":3,"T":3}@6']);
  });

  it('with the ksql.streams. prefix set by SET, collapses the same way', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${STREAM} SET 'ksql.streams.cache.max.bytes.buffering'='1000000'; ${COUNT}`);
    await batch(h, { k: 'a', ts: 1 }, { k: 'a', ts: 2 });
    expect(await sink(h, 'C')).toEqual(['a={"N":2,"T":2}@2']);
  });

  it('equals, at each flush, the latest per key of what cache 0 outputs for the same batches', async () => {
    const batches = [
      [
        { k: 'a', ts: 1000 },
        { k: 'b', ts: 3000 },
        { k: 'a', v: 4, ts: 7000 },
        { k: 'b', ts: 11000 },
      ],
      [
        { k: 'a', ts: 12000 },
        { k: 'c', ts: 13000 },
        { k: 'a', ts: 14000 },
      ],
    ];
    const sql = `CREATE TABLE H AS SELECT K, COUNT(*) AS N, SUM(V) AS T FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY K;`;
    const plain = await engineWith(sql, '0');
    const cached = await engineWith(sql, '10000000');
    let seenPlain = 0;
    let seenCached = 0;
    for (const b of batches) {
      await batch(plain, ...b);
      await batch(cached, ...b);
      const plainOut = await plain.read('H');
      const cachedOut = await cached.read('H');
      // Windowed keys: the key bytes carry the window start, so key text tells windows apart.
      const line = (r: { key: string | null; value: string | null; timestamp: number }) => `${JSON.stringify(r.key)}=${r.value}@${r.timestamp}`;
      const expected = latestPerKey(plainOut.slice(seenPlain).map(line), (l) => l.slice(0, l.indexOf('=')));
      expect(cachedOut.slice(seenCached).map(line)).toEqual(expected);
      expect(expected.length).toBeLessThan(plainOut.length - seenPlain);
      seenPlain = plainOut.length;
      seenCached = cachedOut.length;
    }
  });

  it('collapses HAVING results: a key that passed and failed within one batch outputs nothing, one that passed at an earlier flush its tombstone', async () => {
    // As Kafka Streams' filter behind a cache: it sees the value as of the last flush as the old value.
    const sql = `CREATE TABLE F AS SELECT K, COUNT(*) AS N FROM S GROUP BY K HAVING COUNT(*) < 2;`;
    const plain = await engineWith(sql, '0');
    const cached = await engineWith(sql, '10000000');
    const first = [
      { k: 'a', ts: 1 },
      { k: 'b', ts: 2 },
      { k: 'a', ts: 3 },
    ];
    await batch(plain, ...first);
    await batch(cached, ...first);
    expect(await sink(plain, 'F')).toEqual(['a={"N":1}@1', 'b={"N":1}@2', 'a=null@3']);
    expect(await sink(cached, 'F')).toEqual(['b={"N":1}@2']);
    const second = [
      { k: 'b', ts: 4 },
      { k: 'b', ts: 5 },
    ];
    await batch(plain, ...second);
    await batch(cached, ...second);
    expect((await sink(plain, 'F')).slice(3)).toEqual(['b=null@4']);
    expect((await sink(cached, 'F')).slice(1)).toEqual(['b=null@5']);
  });

  it('collapses a GROUP BY over a table, whose changes retract from one group and add to another', async () => {
    const table = `CREATE TABLE T (ID STRING PRIMARY KEY, K STRING, V INT) WITH (kafka_topic='t', value_format='JSON', partitions=1);`;
    const sql = `CREATE TABLE G AS SELECT K, COUNT(*) AS N, SUM(V) AS TOTAL FROM T GROUP BY K;`;
    const rows: [string, string, number][] = [
      ['r1', 'a', 1],
      ['r2', 'a', 2],
      ['r1', 'b', 3], // r1 moves from a to b
      ['r3', 'b', 4],
      ['r2', 'b', 5], // r2 too: a is left empty
    ];
    const outputs: string[][] = [];
    for (const cache of ['0', '10000000']) {
      const h = await startEngine(['t']);
      await h.engine.execute(table);
      await h.engine.execute(sql, { properties: { 'cache.max.bytes.buffering': cache } });
      await h.log.append(
        't',
        0,
        rows.map(([id, k, v], i) => ({ key: Buffer.from(id), value: Buffer.from(JSON.stringify({ K: k, V: v })), timestamp: i + 1, headers: [] })),
      );
      await h.engine.pumpAll();
      outputs.push(await sink(h, 'G'));
    }
    const [plain, cached] = outputs;
    expect(plain).toHaveLength(7);
    expect(cached).toEqual(latestPerKey(plain!, (l) => l.slice(0, l.indexOf('='))));
    expect(cached).toEqual(['a={"N":0,"TOTAL":0}@5', 'b={"N":3,"TOTAL":12}@5']);
  });

  it('with a bound smaller than one entry, outputs every update as cache 0 does', async () => {
    const plain = await engineWith(COUNT, '0');
    const tiny = await engineWith(COUNT, '1');
    const recs = [
      { k: 'a', ts: 1 },
      { k: 'b', ts: 2 },
      { k: 'a', ts: 3 },
    ];
    await batch(plain, ...recs);
    await batch(tiny, ...recs);
    expect(await sink(tiny, 'C')).toEqual(await sink(plain, 'C'));
  });

  it('pull queries see the latest value once the batch is processed', async () => {
    const h = await engineWith(COUNT, '10000000');
    await batch(h, { k: 'a', ts: 1 }, { k: 'a', v: 2, ts: 2 });
    expect(await rows(await h.engine.startQuery(`SELECT K, N, T FROM C WHERE K='a';`))).toEqual([['a', 2, 3]]);
  });

  it('survives a restart of a durable engine: the query keeps its cache and counts on from its saved state', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cache-'));
    dirs.push(dataDir);
    const values = async (e: Engine) => (await e.log.read('C', 0, 0, 1000)).map((r) => `${r.key?.toString('utf8')}=${r.value?.toString('utf8')}`);
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
    await first.execute(STREAM);
    await first.execute(COUNT, { properties: { 'cache.max.bytes.buffering': '10000000' } });
    await first.insert('S', { ID: 'x', K: 'a', V: 1 });
    await first.insert('S', { ID: 'x', K: 'a', V: 2 });
    await first.pumpAll();
    expect(await values(first)).toEqual(['a={"N":2,"T":3}']);
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await second.insert('S', { ID: 'x', K: 'a', V: 3 });
    await second.insert('S', { ID: 'x', K: 'a', V: 4 });
    await second.pumpAll();
    expect(await values(second)).toEqual(['a={"N":2,"T":3}', 'a={"N":4,"T":10}']);
    await second.close();
  });

  it('survives a restart with windowed state updated several times between commits: the saved counts are the latest', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cache-'));
    dirs.push(dataDir);
    const values = async (e: Engine) => (await e.log.read('W', 0, 0, 1000)).map((r) => r.value?.toString('utf8'));
    const sql = `CREATE TABLE W AS SELECT K, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K;`;
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
    await first.execute(STREAM);
    await first.execute(sql, { properties: { 'cache.max.bytes.buffering': '10000000' } });
    const add = async (e: Engine, ...ts: number[]) => {
      await e.log.append(
        's',
        0,
        ts.map((t) => ({ key: Buffer.from('x'), value: Buffer.from('{"K":"a","V":1}'), timestamp: t, headers: [] })),
      );
      await e.pumpAll();
    };
    await add(first, 1000, 2000); // a new (key, window), updated again in the same batch
    await add(first, 3000, 4000); // saved before, updated twice in the next batch
    expect(await values(first)).toEqual(['{"N":2}', '{"N":4}']);
    await first.close();

    const second = await Engine.open({ dataDir, autoPump: false });
    await add(second, 5000);
    expect(await values(second)).toEqual(['{"N":2}', '{"N":4}', '{"N":5}']);
    await second.close();
  });
});
