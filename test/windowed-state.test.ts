// Time-window aggregation state (store keys per (key, window), expiry beyond
// retention, restart from a stored state), the windowed key encoding without
// BigInt, and the JSON row reader's inline fast path.
import { describe, expect, it } from 'vitest';
import { T } from '../src/common/types.js';
import type { ResolvedAggregate } from '../src/functions/define/function-types.js';
import type { ProcessingLogEntry } from '../src/common/processing-log.js';
import type { Rec } from '../src/runtime/operators/record.js';
import { TimeWindowAggregateOperator } from '../src/runtime/operators/windowed-aggregate.js';
import type { AggState } from '../src/runtime/operators/aggregate.js';
import { createSerde, SerdeError } from '../src/serde/index.js';
import { decodeWindowedKey, encodeWindowedKey } from '../src/serde/windowed.js';
import { MemoryStore } from '../src/runtime/state/store.js';

const count: ResolvedAggregate = {
  returnType: T.BIGINT,
  init: () => 0,
  add: (acc) => (acc as number) + 1,
  result: (acc) => acc,
};

function harness(
  window:
    | { kind: 'TUMBLING'; sizeMs: number; graceMs: number; retentionMs: number }
    | { kind: 'HOPPING'; sizeMs: number; advanceMs: number; graceMs: number; retentionMs: number },
  store = new MemoryStore<AggState>(),
) {
  const out: Rec[] = [];
  const log: ProcessingLogEntry[] = [];
  const op = new TimeWindowAggregateOperator(
    { groupBy: [(row) => row[0]], aggs: [{ fn: count, args: [] }], window },
    store,
    { process: (r) => out.push(r) },
    { queryId: 'Q', log: { error: (e) => log.push(e) } },
  );
  const send = (key: unknown, ts: number, partition = 0) => op.process({ key: null, row: [key], ts, window: null, partition, offset: 0, headers: [] });
  return { op, out, log, store, send };
}

describe('TimeWindowAggregateOperator state', () => {
  it('keeps one store entry per (key, window) under keyString@start, for string, number and composite keys', () => {
    const h = harness({ kind: 'TUMBLING', sizeMs: 10, graceMs: 1000, retentionMs: 1010 });
    h.send('a', 1);
    h.send('a', 5);
    h.send(1, 5);
    h.send('1', 5);
    h.send(true, 5);
    h.send('a', 12);
    expect([...h.store.entries()].map(([k, v]) => [k, v.acc[0]])).toEqual([
      ['sa@0', 2],
      ['n1@0', 1],
      ['s1@0', 1],
      ['j[true]@0', 1],
      ['sa@10', 1],
    ]);
    expect(h.out.map((r) => r.row)).toEqual([
      ['a', 1, 0, 10],
      ['a', 2, 0, 10],
      [1, 1, 0, 10],
      ['1', 1, 0, 10],
      [true, 1, 0, 10],
      ['a', 1, 10, 20],
    ]);
  });

  it('deletes windows beyond retention from the store, so state stays bounded', () => {
    const h = harness({ kind: 'HOPPING', sizeMs: 10, advanceMs: 5, graceMs: 0, retentionMs: 10 });
    for (let t = 0; t < 1000; t++) h.send(`k${t % 7}`, t);
    // Live windows end after streamTime - retention = 989: starts 980..995, 7 keys each.
    expect(h.store.size).toBeLessThanOrEqual(4 * 7);
    for (const [k] of h.store.entries()) expect(Number(k.slice(k.indexOf('@') + 1)) + 10).toBeGreaterThan(989);
    // A late record for a deleted window is still dropped as expired, not counted afresh.
    h.send('k0', 3);
    expect(h.log.at(-1)?.message).toContain('Skipping record for expired window. key=[k0] window=[0,10)');
  });

  it('expires by the slowest partition seen', () => {
    const h = harness({ kind: 'TUMBLING', sizeMs: 10, graceMs: 0, retentionMs: 10 });
    h.send('a', 1, 0);
    h.send('a', 2, 1);
    h.send('a', 500, 0);
    expect(h.store.get('sa@0')?.acc).toEqual([2]);
    h.send('a', 5, 1); // partition 1's stream time is still 5: window [0,10) is open there
    expect(h.store.get('sa@0')?.acc).toEqual([3]);
    h.send('a', 600, 1);
    h.send('b', 601, 0);
    expect(h.store.get('sa@0')).toBeUndefined();
    expect(h.store.get('sa@500')).toBeUndefined();
  });

  it('continues and expires windows of a state restored from the store', () => {
    const first = harness({ kind: 'TUMBLING', sizeMs: 10, graceMs: 100, retentionMs: 110 });
    first.send('a', 1);
    first.send(7, 2);
    first.send(false, 3);
    const second = harness({ kind: 'TUMBLING', sizeMs: 10, graceMs: 100, retentionMs: 110 }, first.store);
    second.send('a', 4);
    second.send(7, 5);
    second.send(false, 6);
    expect(second.out.map((r) => r.row)).toEqual([
      ['a', 2, 0, 10],
      [7, 2, 0, 10],
      [false, 2, 0, 10],
    ]);
    second.send('b', 1000);
    expect([...second.store.entries()].map(([k]) => k)).toEqual(['sb@1000']);
  });
});

describe('TimeWindowAggregateOperator with several windows per key', () => {
  it("finds a key's windows whatever order they come in, after a restore too, and drops them as they expire", () => {
    const w = { kind: 'TUMBLING', sizeMs: 10, graceMs: 100, retentionMs: 110 } as const;
    const first = harness(w);
    first.send('a', 25); // window 20
    first.send('a', 5); //  window 0, older than the key's newest
    first.send('a', 15); // window 10, between the two
    first.send('a', 7);
    first.send('a', 26);
    const counts = (h: typeof first) => Object.fromEntries([...h.store.entries()].map(([k, v]) => [k, v.acc[0]]));
    expect(counts(first)).toEqual({ 'sa@20': 2, 'sa@0': 2, 'sa@10': 1 });

    const second = harness(w, first.store); // indexes the stored windows, in the store's order
    second.send('a', 16);
    second.send('b', 125); // stream time 125: window 0 ends at 10 <= 125 - 110, so it goes
    second.send('a', 27);
    expect(counts(second)).toEqual({ 'sa@20': 3, 'sa@10': 2, 'sb@120': 1 });
    second.send('b', 300); // every window of a, and b's window 120, expire
    second.send('a', 295);
    expect(counts(second)).toEqual({ 'sb@300': 1, 'sa@290': 1 });
    expect(second.out.map((r) => r.row)).toEqual([
      ['a', 2, 10, 20],
      ['b', 1, 120, 130],
      ['a', 3, 20, 30],
      ['b', 1, 300, 310],
      ['a', 1, 290, 300],
    ]);
    expect(second.log).toEqual([]);
  });
});

describe('windowed key encoding', () => {
  const viaBigInt = (inner: Buffer, values: number[]): Buffer => {
    const out = Buffer.alloc(inner.length + 8 * values.length);
    inner.copy(out);
    values.forEach((v, i) => void out.writeBigInt64BE(BigInt(v), inner.length + 8 * i));
    return out;
  };
  const samples = [
    0,
    1,
    -1,
    255,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 32 + 1,
    1_700_000_000_123,
    -1_700_000_000_123,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    2 ** 60,
    -(2 ** 62),
  ];

  it('writes the same bytes as BigInt and reads them back exactly', () => {
    const inner = Buffer.from('key');
    for (const v of samples) {
      const t = encodeWindowedKey(inner, { start: v, end: v + 10 }, false);
      expect(t).toEqual(viaBigInt(inner, [v]));
      expect(decodeWindowedKey(t, false, 10)).toEqual({ inner, window: { start: v, end: v + 10 } });
      const s = encodeWindowedKey(null, { start: v, end: 7 }, true);
      expect(s).toEqual(viaBigInt(Buffer.alloc(0), [7, v]));
      expect(decodeWindowedKey(s, true, undefined).window).toEqual({ start: v, end: 7 });
    }
    expect(decodeWindowedKey(Buffer.from('ffffffffffffffff', 'hex'), false, undefined).window.start).toBe(-1);
    expect(decodeWindowedKey(Buffer.from('7fffffffffffffff', 'hex'), false, undefined).window.start).toBe(Number(2n ** 63n - 1n));
    expect(() => decodeWindowedKey(Buffer.alloc(7), false, 1)).toThrow('windowed key too short: 7 bytes');
  });
});

describe('JSON row reader', () => {
  const serde = createSerde(
    'JSON',
    [
      { name: 'S', type: T.STRING },
      { name: 'I', type: T.INTEGER },
      { name: 'B', type: T.BIGINT },
      { name: 'D', type: T.DOUBLE },
      { name: 'F', type: T.BOOLEAN },
      { name: 'constructor', type: T.STRING },
      { name: 'TOSTRING', type: T.STRING },
    ],
    { isKey: false },
  );
  const read = (o: unknown) => serde.deserialize(Buffer.from(JSON.stringify(o)));

  it('reads values of the right type, coerces others, and misses inherited names', () => {
    expect(read({ S: 'x', I: 3.7, B: 2 ** 40 + 0.5, D: 1.5, F: true })).toEqual(['x', 3, 2 ** 40, 1.5, true, null, null]);
    expect(read({ S: 12, I: '42', B: '-7', D: '2.5', F: null, constructor: 'c' })).toEqual(['12', 42, -7, 2.5, null, 'c', null]);
    expect(read({ s: 'lower', i: 1, tostring: 't' })).toEqual(['lower', 1, null, null, null, null, 't']);
    expect(read({ I: 2 ** 31 })).toEqual([null, -(2 ** 31), null, null, null, null, null]);
  });

  it('matches case-insensitively by the last key of each upper-cased name, whatever the key order of each record', () => {
    const s = createSerde(
      'JSON',
      [
        { name: 'HOST', type: T.STRING },
        { name: 'N', type: T.INTEGER },
      ],
      { isKey: false },
    );
    const r = (text: string) => s.deserialize(Buffer.from(text));
    expect(r('{"host":"a","n":1}')).toEqual(['a', 1]);
    expect(r('{"host":"b","n":2}')).toEqual(['b', 2]);
    expect(r('{"host":"a","Host":"b"}')).toEqual(['b', null]);
    expect(r('{"Host":"b","host":"a"}')).toEqual(['a', null]);
    expect(r('{"n":3,"host":"c"}')).toEqual(['c', 3]);
    expect(r('{"HOST":"d","host":"e","n":4}')).toEqual(['d', 4]);
    expect(() => r('{"host":"x","n":"bad"}')).toThrow("Can't coerce string to type. targetType: INTEGER, path: $.N");
  });

  it('names the field in coercion errors', () => {
    expect(() => read({ S: 'x', I: 'nope' })).toThrow(
      new SerdeError("Failed to deserialize value. Can't coerce string to type. targetType: INTEGER, path: $.I"),
    );
    expect(() => read({ F: 1 })).toThrow(
      new SerdeError("Failed to deserialize value. Can't convert type. sourceType: IntNode, requiredType: BOOLEAN, path: $.F"),
    );
    expect(() => read({ D: [1] })).toThrow("Can't convert type. sourceType: ArrayNode, requiredType: DOUBLE, path: $.D");
  });
});
