import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import type { TransientQuery } from '../src/runtime/query/transient-query.js';

/**
 * Pull queries: the current rows of a table (from the materialized view the
 * persistent query keeps), by key or by scan with WHERE; streams scan to the end.
 */
async function rows(q: TransientQuery): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const r of q.rows) out.push([...r]);
  return out;
}

async function engineWithTable(): Promise<Engine> {
  const engine = new Engine({ log: new MemoryLog(), properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute(`
    CREATE STREAM purchases (id STRING KEY, customer STRING, amount INT) WITH (kafka_topic='purchases', value_format='JSON', partitions=2);
    CREATE TABLE spend AS SELECT customer, SUM(amount) AS total, COUNT(*) AS n FROM purchases GROUP BY customer HAVING SUM(amount) < 100;`);
  const buy = (id: string, customer: string, amount: number) => engine.insert('PURCHASES', { ID: id, CUSTOMER: customer, AMOUNT: amount });
  await buy('p1', 'ann', 10);
  await buy('p2', 'bob', 20);
  await buy('p3', 'ann', 15);
  await buy('p4', 'cy', 40);
  await buy('p5', 'cy', 70); // cy passes 100: HAVING retracts the row
  await engine.pumpAll();
  return engine;
}

describe('pull queries', () => {
  it('read a key of a table from its current state', async () => {
    const engine = await engineWithTable();
    expect(await rows(await engine.startQuery("SELECT * FROM spend WHERE customer = 'ann';"))).toEqual([['ann', 25, 2]]);
    expect(await rows(await engine.startQuery("SELECT total FROM spend WHERE customer IN ('bob', 'zed');"))).toEqual([[20]]);
    expect(await rows(await engine.startQuery("SELECT * FROM spend WHERE customer = 'cy';"))).toEqual([]);
    await engine.close();
  });

  it('scan a table with a WHERE on values, and a stream to its current end', async () => {
    const engine = await engineWithTable();
    const scan = await rows(await engine.startQuery('SELECT customer, n FROM spend WHERE total > 15;'));
    expect(scan.sort()).toEqual([
      ['ann', 2],
      ['bob', 1],
    ]);
    const stream = await rows(await engine.startQuery("SELECT id FROM purchases WHERE customer = 'cy';"));
    expect(stream.sort()).toEqual([['p4'], ['p5']]);
    await engine.close();
  });

  it('see updates made after the table was created', async () => {
    const engine = await engineWithTable();
    await engine.insert('PURCHASES', { ID: 'p6', CUSTOMER: 'bob', AMOUNT: 5 });
    await engine.pumpAll();
    expect(await rows(await engine.startQuery("SELECT total, n FROM spend WHERE customer = 'bob';"))).toEqual([[25, 2]]);
    await engine.close();
  });
});

describe('pull queries after a restart', () => {
  it('rebuild the table view from its topic once, then follow new updates', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pull-'));
    try {
      const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
      await first.execute(`
        CREATE STREAM visits (id STRING KEY, page STRING) WITH (kafka_topic='visits', value_format='JSON', partitions=1);
        CREATE TABLE per_page AS SELECT page, COUNT(*) AS n FROM visits GROUP BY page;`);
      await first.insert('VISITS', { ID: 'v1', PAGE: 'home' });
      await first.insert('VISITS', { ID: 'v2', PAGE: 'home' });
      await first.insert('VISITS', { ID: 'v3', PAGE: 'cart' });
      await first.pumpAll();
      await first.close();

      const second = await Engine.open({ dataDir, autoPump: false });
      expect(await rows(await second.startQuery("SELECT * FROM per_page WHERE page = 'home';"))).toEqual([['home', 2]]);
      await second.insert('VISITS', { ID: 'v4', PAGE: 'cart' });
      await second.pumpAll();
      expect((await rows(await second.startQuery('SELECT * FROM per_page;'))).sort()).toEqual([
        ['cart', 2],
        ['home', 2],
      ]);
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rebuild windowed rows and retracted keys from the topic, each row decoded when read', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pull-'));
    try {
      const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
      await first.execute(`
        CREATE STREAM purchases (id STRING KEY, customer STRING, amount INT) WITH (kafka_topic='purchases', value_format='JSON', partitions=2);
        CREATE TABLE spend AS SELECT customer, SUM(amount) AS total FROM purchases GROUP BY customer HAVING SUM(amount) < 100;
        CREATE TABLE per_minute AS SELECT customer, COUNT(*) AS n FROM purchases WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY customer;`);
      const buy = (id: string, customer: string, amount: number, ts: number) =>
        first.insert('PURCHASES', { ID: id, CUSTOMER: customer, AMOUNT: amount, ROWTIME: ts });
      await buy('p1', 'ann', 10, 60_000);
      await buy('p2', 'cy', 40, 61_000);
      await buy('p3', 'ann', 15, 125_000);
      await buy('p4', 'cy', 70, 126_000); // cy passes 100: HAVING retracts the row (a tombstone on the topic)
      await first.pumpAll();
      await first.close();

      const second = await Engine.open({ dataDir, autoPump: false });
      expect(await rows(await second.startQuery("SELECT * FROM spend WHERE customer = 'cy';"))).toEqual([]);
      expect(await rows(await second.startQuery("SELECT * FROM spend WHERE customer = 'ann';"))).toEqual([['ann', 25]]);
      expect((await rows(await second.startQuery('SELECT customer, WINDOWSTART, WINDOWEND, n FROM per_minute;'))).sort()).toEqual([
        ['ann', 120_000, 180_000, 1],
        ['ann', 60_000, 120_000, 1],
        ['cy', 120_000, 180_000, 1],
        ['cy', 60_000, 120_000, 1],
      ]);
      // A row the sink applies after the rebuild replaces the one read from the topic.
      await second.insert('PURCHASES', { ID: 'p5', CUSTOMER: 'ann', AMOUNT: 5, ROWTIME: 130_000 });
      await second.pumpAll();
      expect(await rows(await second.startQuery("SELECT * FROM spend WHERE customer = 'ann';"))).toEqual([['ann', 30]]);
      expect((await rows(await second.startQuery("SELECT customer, WINDOWSTART, n FROM per_minute WHERE customer = 'ann';"))).sort()).toEqual([
        ['ann', 120_000, 2],
        ['ann', 60_000, 1],
      ]);
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
