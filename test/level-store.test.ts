import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { decodeValue, encodeValue, LevelStoreFactory } from '../src/runtime/state/level-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-level-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Reads the raw database behind a closed factory. */
async function rawEntries(): Promise<[string, string][]> {
  const db = new ClassicLevel<string, string>(join(dir, 'state'));
  try {
    return await db.iterator().all();
  } finally {
    await db.close();
  }
}

/** A chained batch, as far as the factory uses one. */
interface Batch {
  put(key: string, value: string): unknown;
  del(key: string): unknown;
  write(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onWrite` with the keys of every batch the factory writes, just before
 * the write (a throw fails it, unwritten); returns a function undoing this.
 */
function watchBatches(f: LevelStoreFactory, onWrite: (keys: string[]) => void): () => void {
  const db = (f as unknown as { db: { batch: () => Batch } }).db;
  const original = db.batch;
  db.batch = () => {
    const batch = original.call(db);
    const keys: string[] = [];
    return {
      put: (key, value) => {
        keys.push(key);
        return batch.put(key, value);
      },
      del: (key) => {
        keys.push(key);
        return batch.del(key);
      },
      write: async () => {
        try {
          onWrite(keys);
        } catch (e) {
          await batch.close();
          throw e;
        }
        return batch.write();
      },
      close: () => batch.close(),
    };
  };
  return () => {
    db.batch = original;
  };
}

describe('state value codec', () => {
  it('round-trips Decimal (with its scale), Buffer, Map, bigint and non-finite numbers', () => {
    const value = {
      acc: [new Decimal(150n, 2), new Decimal(-7n, 0), new Decimal(12n, -3)],
      bytes: Buffer.from([0, 1, 255]),
      hist: new Map<string, unknown>([
        ['a', 1],
        ['b', new Map([[1, Buffer.from('x')]])],
      ]),
      big: 2n ** 70n,
      nums: [NaN, Infinity, -Infinity, 0.5],
      nested: { s: 'with "$ inside', n: null, list: [true, 'x'] },
    };
    const back = decodeValue(encodeValue(value)) as typeof value;
    expect(back.acc.map((d) => [d.unscaled, d.scale])).toEqual([
      [150n, 2],
      [-7n, 0],
      [12n, -3],
    ]);
    expect(back.acc[0]).toBeInstanceOf(Decimal);
    expect(Buffer.isBuffer(back.bytes) && back.bytes.equals(value.bytes)).toBe(true);
    expect(back.hist).toEqual(value.hist);
    expect(back.big).toBe(2n ** 70n);
    expect(back.nums).toEqual([NaN, Infinity, -Infinity, 0.5]);
    expect(back.nested).toEqual(value.nested);
    expect(decodeValue(encodeValue(undefined))).toBeUndefined();
    expect(decodeValue(encodeValue(42))).toBe(42);
    expect(decodeValue(encodeValue('s'))).toBe('s');
  });

  it('writes numeric aggregation states as JSON.stringify does, and round-trips the ones it cannot write directly', () => {
    for (const st of [
      { acc: [1], ts: 5 },
      { acc: [1.5, -0, 1e21, 2e-7, -3], ts: 1704067200000 },
      { acc: [], ts: 0 },
      { acc: [1], ts: 1, extra: 'x' },
    ]) {
      expect(encodeValue(st)).toBe(JSON.stringify(st));
    }
    const odd = { acc: [NaN, 'a', null], ts: Infinity };
    expect(decodeValue(encodeValue(odd))).toEqual(odd);
  });
});

describe('LevelStoreFactory', () => {
  it('persists stores across close and reopen, keeping them apart by name', async () => {
    const f = await LevelStoreFactory.open(dir);
    const a = f.store<unknown>('q1/agg');
    const b = f.store<unknown>('q1/agg2');
    a.put('k1', { acc: [new Decimal(1234n, 2)], ts: 5 });
    a.put('k2', Buffer.from('bytes'));
    a.put('k\u0000weird', new Map([['x', 1]]));
    b.put('k1', 'other store');
    a.put('gone', 1);
    await a.flush();
    a.delete('gone');
    expect(f.store('q1/agg')).toBe(a);
    await f.close();

    const g = await LevelStoreFactory.open(dir);
    expect(g.storeNames()).toEqual(['q1/agg', 'q1/agg2']);
    const a2 = g.store<unknown>('q1/agg');
    expect(a2.size).toBe(3);
    const st = a2.get('k1') as { acc: Decimal[]; ts: number };
    expect(st.acc[0]).toBeInstanceOf(Decimal);
    expect(st.acc[0]!.toString()).toBe('12.34');
    expect(st.ts).toBe(5);
    expect(a2.get('k2')).toEqual(Buffer.from('bytes'));
    expect(a2.get('k\u0000weird')).toEqual(new Map([['x', 1]]));
    expect(a2.get('gone')).toBeUndefined();
    expect(g.store('q1/agg2').get('k1')).toBe('other store');
    expect(g.store('fresh').size).toBe(0);
    await g.close();
  });

  it('decodes loaded entries lazily: entries(), delete and put of untouched keys behave as if decoded', async () => {
    const f = await LevelStoreFactory.open(dir);
    const s = f.store<unknown>('s');
    for (let i = 0; i < 5; i++) s.put(`k${i}`, { n: new Decimal(BigInt(i), 1) });
    await f.close();

    const g = await LevelStoreFactory.open(dir);
    const t = g.store<{ n: Decimal }>('s');
    expect(t.size).toBe(5);
    t.delete('k0'); // never decoded
    t.put('k1', { n: new Decimal(99n, 0) }); // overwrites an encoded entry
    expect(t.size).toBe(4);
    expect(t.get('k2')!.n.toString()).toBe('0.2');
    expect(t.get('missing')).toBeUndefined();
    expect(new Map([...t.entries()].map(([k, v]) => [k, v.n.toString()]))).toEqual(
      new Map([
        ['k1', '99'],
        ['k2', '0.2'],
        ['k3', '0.3'],
        ['k4', '0.4'],
      ]),
    );
    await g.close();
    const h = await LevelStoreFactory.open(dir);
    expect([...h.store<{ n: Decimal }>('s').entries()].map(([k, v]) => `${k}=${v.n.toString()}`).sort()).toEqual(['k1=99', 'k2=0.2', 'k3=0.3', 'k4=0.4']);
    await h.close();
  });

  it('writes nothing before flush and everything dirty in one batch at flush', async () => {
    const f = await LevelStoreFactory.open(dir);
    const s = f.store<number>('s');
    s.put('a', 1);
    s.put('b', 2);
    await s.flush();
    s.put('a', 10);
    s.put('c', 3);
    s.delete('b');
    s.delete('never-there');
    expect(s.dirtyCount).toBe(3);

    // Count batches reaching the database.
    const batches: number[] = [];
    watchBatches(f, (keys) => batches.push(keys.length));
    await s.flush();
    expect(batches).toEqual([3]);
    expect(s.dirtyCount).toBe(0);
    await s.flush(); // nothing dirty: no batch
    expect(batches).toEqual([3]);

    s.put('unflushed', 99); // never flushed: simulate a crash by closing the database directly
    await (f as unknown as { db: ClassicLevel }).db.close();
    expect(await rawEntries()).toEqual([
      ['s\u0000a', '10'],
      ['s\u0000c', '3'],
    ]);
  });

  it('writes each key once per flush with its last value, however it was added, changed and deleted', async () => {
    const f = await LevelStoreFactory.open(dir);
    const s = f.store<{ acc: number[]; ts: number }>('s');
    s.put('kept', { acc: [1], ts: 1 });
    s.put('gone', { acc: [1], ts: 1 });
    await s.flush();
    s.delete('kept');
    s.put('kept', { acc: [7], ts: 2 }); // deleted, then added again: a new key to the Map
    s.put('new', { acc: [1], ts: 3 });
    s.put('new', { acc: [2], ts: 4 }); // added, then changed
    s.put('short', { acc: [5], ts: 5 });
    s.delete('short'); // added, then deleted
    s.delete('gone');
    expect(s.dirtyCount).toBe(4);
    const keys: string[][] = [];
    watchBatches(f, (written) => keys.push([...written].sort()));
    await s.flush();
    expect(keys).toEqual([['s\u0000gone', 's\u0000kept', 's\u0000new', 's\u0000short']]);
    await f.close();
    expect(await rawEntries()).toEqual([
      ['s\u0000kept', '{"acc":[7],"ts":2}'],
      ['s\u0000new', '{"acc":[2],"ts":4}'],
    ]);
  });

  it('flushAll writes every store in one batch; close flushes', async () => {
    const f = await LevelStoreFactory.open(dir);
    const x = f.store<number>('x');
    const y = f.store<number>('y');
    x.put('1', 1);
    y.put('1', 2);
    await f.flushAll();
    expect(x.dirtyCount + y.dirtyCount).toBe(0);
    y.put('2', 3);
    await f.close();
    expect(await rawEntries()).toEqual([
      ['x\u00001', '1'],
      ['y\u00001', '2'],
      ['y\u00002', '3'],
    ]);
  });

  it('keeps keys dirty when a batch fails', async () => {
    const f = await LevelStoreFactory.open(dir);
    const s = f.store<number>('s');
    s.put('a', 1);
    const restore = watchBatches(f, () => {
      throw new Error('disk full');
    });
    await expect(s.flush()).rejects.toThrow('disk full');
    expect(s.dirtyCount).toBe(1);
    restore();
    await s.flush();
    await f.close();
    expect(await rawEntries()).toEqual([['s\u0000a', '1']]);
  });

  it('deletes stores by name prefix, persisted or handed out', async () => {
    const f = await LevelStoreFactory.open(dir);
    f.store<number>('q1/a').put('k', 1);
    f.store<number>('q1/b').put('k', 2);
    f.store<number>('q2/a').put('k', 3);
    await f.close();
    const g = await LevelStoreFactory.open(dir);
    g.store('q1/a'); // handed out; q1/b only loaded
    await g.deleteStores('q1/');
    expect(g.storeNames()).toEqual(['q2/a']);
    await g.close();
    expect(await rawEntries()).toEqual([['q2/a\u0000k', '3']]);
  });

  it('serves the engine-shaped factory per query and name', async () => {
    const f = await LevelStoreFactory.open(dir);
    const s = f.forQuery('CTAS_T_1', 'Aggregate-agg');
    s.put('k', 1);
    expect(f.store('CTAS_T_1/Aggregate-agg')).toBe(s);
    expect(() => f.store('bad\u0000name')).toThrow(/Invalid state store name/);
    await f.close();
  });

  it("loads 100k entries across stores (how fast is the restart benchmark's business)", async () => {
    const f = await LevelStoreFactory.open(dir);
    for (let n = 0; n < 4; n++) {
      const s = f.store<unknown>(`q/${n}`);
      for (let i = 0; i < 25_000; i++) s.put(`s${i}`, { acc: [i, new Decimal(BigInt(i), 2)], ts: i });
    }
    await f.flushAll();
    await f.close();
    const g = await LevelStoreFactory.open(dir);
    expect(g.storeNames()).toHaveLength(4);
    expect(g.store('q/3').size).toBe(25_000);
    expect((g.store('q/2').get('s77') as { acc: [number, Decimal] }).acc[1].toString()).toBe('0.77');
    await g.close();
  });
});
