import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { T, aggregateRows, arg, resolveAggregate, resolveError } from './helpers/function-harness.js';

describe('COUNT', () => {
  it('counts rows with no argument and non-null values with one', () => {
    const star = resolveAggregate('count', []);
    expect(star.returnType).toEqual(T.BIGINT);
    expect(aggregateRows(star, [[], [], []])).toEqual([1, 2, 3]);
    const col = resolveAggregate('COUNT', [arg(T.STRING)]);
    expect(aggregateRows(col, [['a'], [null], ['b']])).toEqual([1, 1, 2]);
  });
  it('undoes and merges', () => {
    const c = resolveAggregate('COUNT', [arg(T.INTEGER)]);
    let acc = c.add(c.add(c.init(), [1]), [2]);
    acc = c.undo!(acc, [1]);
    expect(c.result(acc)).toBe(1);
    expect(c.result(c.merge!(acc, acc))).toBe(2);
  });
});

describe('SUM', () => {
  it('keeps the argument type and skips nulls', () => {
    const s = resolveAggregate('SUM', [arg(T.INTEGER)]);
    expect(s.returnType).toEqual(T.INTEGER);
    expect(aggregateRows(s, [[3], [null], [4]])).toEqual([3, 3, 7]);
    expect(resolveAggregate('SUM', [arg(T.BIGINT)]).returnType).toEqual(T.BIGINT);
    expect(resolveAggregate('SUM', [arg(T.DOUBLE)]).returnType).toEqual(T.DOUBLE);
  });
  it('wraps INTEGER sums at 32 bits like Java', () => {
    const s = resolveAggregate('SUM', [arg(T.INTEGER)]);
    expect(aggregateRows(s, [[2147483647], [1]])).toEqual([2147483647, -2147483648]);
  });
  it('sums decimals exactly at the argument scale', () => {
    const s = resolveAggregate('SUM', [arg(T.decimal(4, 2))]);
    expect(s.returnType).toEqual(T.decimal(4, 2));
    const out = aggregateRows(s, [[Decimal.parse('1.10')], [Decimal.parse('2.25')]]) as Decimal[];
    expect(out.map(String)).toEqual(['1.10', '3.35']);
    expect(() => aggregateRows(s, [[Decimal.parse('99.99')], [Decimal.parse('0.01')]])).toThrow(/Numeric field overflow/);
  });
  it('has undo for tables', () => {
    const s = resolveAggregate('SUM', [arg(T.BIGINT)]);
    expect(s.result(s.undo!(s.add(s.init(), [5]), [5]))).toBe(0);
  });
  it('rejects strings', () => {
    expect(resolveError('SUM', [arg(T.STRING)])).toMatch(/does not accept parameters \(STRING\)/);
  });
});

describe('AVG', () => {
  it('returns a double, 0 for an empty group', () => {
    const a = resolveAggregate('AVG', [arg(T.INTEGER)]);
    expect(a.returnType).toEqual(T.DOUBLE);
    expect(a.result(a.init())).toBe(0);
    expect(aggregateRows(a, [[1], [2], [null]])).toEqual([1, 1.5, 1.5]);
  });
});

describe('MIN / MAX', () => {
  it('orders numbers, strings and decimals; ignores nulls; no undo', () => {
    const mx = resolveAggregate('MAX', [arg(T.STRING)]);
    expect(mx.undo).toBeUndefined();
    expect(aggregateRows(mx, [[null], ['b'], ['a'], ['c']])).toEqual([null, 'b', 'b', 'c']);
    const mn = resolveAggregate('MIN', [arg(T.decimal(3, 1))]);
    const out = aggregateRows(mn, [[Decimal.parse('1.5')], [Decimal.parse('-0.5')]]) as Decimal[];
    expect(out.map(String)).toEqual(['1.5', '-0.5']);
  });
  it('rejects non-comparable types', () => {
    expect(resolveError('MAX', [arg(T.BOOLEAN)])).toBe("Function 'MAX' does not accept parameters (BOOLEAN).");
  });
});

describe('LATEST_BY_OFFSET / EARLIEST_BY_OFFSET', () => {
  it('ignores nulls by default', () => {
    const l = resolveAggregate('LATEST_BY_OFFSET', [arg(T.INTEGER)]);
    expect(aggregateRows(l, [[1], [null], [3]])).toEqual([1, 1, 3]);
    const e = resolveAggregate('EARLIEST_BY_OFFSET', [arg(T.INTEGER)]);
    expect(aggregateRows(e, [[null], [2], [3]])).toEqual([null, 2, 2]);
  });
  it('keeps nulls when asked', () => {
    const l = resolveAggregate('LATEST_BY_OFFSET', [arg(T.INTEGER), arg(T.BOOLEAN, false)]);
    expect(aggregateRows(l, [[1], [null]])).toEqual([1, null]);
    const e = resolveAggregate('EARLIEST_BY_OFFSET', [arg(T.INTEGER), arg(T.BOOLEAN, false)]);
    expect(aggregateRows(e, [[null], [2]])).toEqual([null, null]);
  });
  it('returns the last or first N as an array', () => {
    const l = resolveAggregate('LATEST_BY_OFFSET', [arg(T.STRING), arg(T.INTEGER, 2)]);
    expect(l.returnType).toEqual(T.array(T.STRING));
    expect(aggregateRows(l, [['a'], ['b'], ['c']])).toEqual([['a'], ['a', 'b'], ['b', 'c']]);
    const e = resolveAggregate('EARLIEST_BY_OFFSET', [arg(T.STRING), arg(T.INTEGER, 2), arg(T.BOOLEAN, true)]);
    expect(aggregateRows(e, [['a'], [null], ['b'], ['c']])).toEqual([['a'], ['a'], ['a', 'b'], ['a', 'b']]);
  });
  it('requires literal N', () => {
    expect(resolveError('EARLIEST_BY_OFFSET', [arg(T.STRING), arg(T.INTEGER)])).toBe(
      'Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant.',
    );
  });
  it('merges session windows by arrival order', () => {
    const l = resolveAggregate('LATEST_BY_OFFSET', [arg(T.INTEGER)]);
    const first = l.add(l.init(), [1]);
    const second = l.add(l.init(), [2]);
    expect(l.result(l.merge!(second, first))).toBe(2);
  });
});

describe('COLLECT_LIST / COLLECT_SET', () => {
  it('collects in order with nulls, and undoes the last equal value', () => {
    const c = resolveAggregate('COLLECT_LIST', [arg(T.STRING)]);
    expect(c.returnType).toEqual(T.array(T.STRING));
    expect(aggregateRows(c, [['a'], [null], ['a']])).toEqual([['a'], ['a', null], ['a', null, 'a']]);
    const acc = c.undo!(c.add(c.add(c.init(), ['x']), ['y']), ['x']);
    expect(c.result(acc)).toEqual(['y']);
  });
  it('round-trips maps and decimals through the accumulator', () => {
    const t = T.map(T.STRING, T.decimal(3, 1));
    const c = resolveAggregate('COLLECT_LIST', [arg(t)]);
    const out = aggregateRows(c, [[new Map([['k', Decimal.parse('1.5')]])]]) as Map<string, Decimal>[][];
    expect(String(out[0]![0]!.get('k'))).toBe('1.5');
  });
  it('collects distinct values', () => {
    const c = resolveAggregate('COLLECT_SET', [arg(T.INTEGER)]);
    expect(aggregateRows(c, [[1], [2], [1]])).toEqual([[1], [1, 2], [1, 2]]);
  });
  // ksqlDB CollectSetUdaf: a plain Udaf (no undo) with ksql.functions.collect_set.limit.
  it('COLLECT_SET keeps one null, honours its limit and cannot undo', () => {
    const c = resolveAggregate('COLLECT_SET', [arg(T.INTEGER)], { 'ksql.functions.collect_set.limit': '2' });
    expect(c.undo).toBeUndefined();
    expect(aggregateRows(c, [[null], [1], [null], [2]])).toEqual([[null], [null, 1], [null, 1], [null, 1]]);
    const full = c.add(c.add(c.init(), [5]), [6]);
    expect(c.result(c.merge!(c.add(c.init(), [7]), full))).toEqual([7, 5]);
    const unlimited = resolveAggregate('COLLECT_SET', [arg(T.INTEGER)], { 'ksql.functions.collect_set.limit': -1 });
    expect(aggregateRows(unlimited, [[1], [2], [3]]).at(-1)).toEqual([1, 2, 3]);
  });
});

describe('TOPK / TOPKDISTINCT', () => {
  it('keeps the k highest, highest first', () => {
    const t = resolveAggregate('TOPK', [arg(T.INTEGER), arg(T.INTEGER, 2)]);
    expect(aggregateRows(t, [[5], [null], [9], [7]])).toEqual([[5], [5], [9, 5], [9, 7]]);
    const d = resolveAggregate('TOPKDISTINCT', [arg(T.STRING), arg(T.INTEGER, 2)]);
    expect(aggregateRows(d, [['b'], ['b'], ['a'], ['c']])).toEqual([['b'], ['b'], ['b', 'a'], ['c', 'b']]);
  });
  it('returns structs with extra columns, ties in arrival order', () => {
    const t = resolveAggregate('TOPK', [arg(T.BIGINT), arg(T.STRING), arg(T.INTEGER, 2)]);
    expect(t.returnType).toEqual(
      T.array(
        T.struct([
          { name: 'sort_col', type: T.BIGINT },
          { name: 'col0', type: T.STRING },
        ]),
      ),
    );
    expect(
      aggregateRows(t, [
        [4, 'x'],
        [4, 'y'],
        [4, 'z'],
      ]).at(-1),
    ).toEqual([
      { sort_col: 4, col0: 'x' },
      { sort_col: 4, col0: 'y' },
    ]);
  });
});

describe('HISTOGRAM, ATTR, COUNT_DISTINCT', () => {
  it('counts strings', () => {
    const h = resolveAggregate('HISTOGRAM', [arg(T.STRING)]);
    const out = aggregateRows(h, [['a'], ['b'], ['a'], [null]]);
    expect(out.at(-1)).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
    expect(h.result(h.undo!(h.add(h.init(), ['a']), ['a']))).toEqual(new Map());
  });
  it('ATTR gives the single value or null', () => {
    const a = resolveAggregate('ATTR', [arg(T.INTEGER)]);
    expect(aggregateRows(a, [[1], [1], [2]])).toEqual([1, 1, null]);
    const acc = a.undo!(a.add(a.add(a.init(), [1]), [2]), [2]);
    expect(a.result(acc)).toBe(1);
  });
  it('COUNT_DISTINCT counts distinct non-null values', () => {
    const c = resolveAggregate('COUNT_DISTINCT', [arg(T.STRING)]);
    expect(aggregateRows(c, [['a'], ['a'], [null], ['b']])).toEqual([1, 1, 1, 2]);
  });
});

describe('STDDEV_SAMP / CORRELATION', () => {
  it("computes ksqlDB's (variance-valued) sample deviation", () => {
    const s = resolveAggregate('STDDEV_SAMP', [arg(T.DOUBLE)]);
    expect(aggregateRows(s, [[2], [4], [6]])).toEqual([0, 2, 4]);
    const acc = s.undo!(s.add(s.add(s.add(s.init(), [2]), [4]), [6]), [6]);
    expect(s.result(acc)).toBeCloseTo(2);
  });
  // ksqlDB: StandardDeviationSampUdaf (variance), StandardDeviationSampleUdaf (sqrt); STDDEV_POP is Sluice's.
  it.each([
    ['STDDEV_SAMP', T.INTEGER, [1, 2, 3, 4], 5 / 3],
    ['STDDEV_SAMPLE', T.INTEGER, [1, 2, 3, 4], Math.sqrt(5 / 3)],
    ['STDDEV_SAMPLE', T.BIGINT, [1, 2, 3, 4], Math.sqrt(5 / 3)],
    ['STDDEV_SAMPLE', T.DOUBLE, [1, 2, 3, 4], Math.sqrt(5 / 3)],
    ['STDDEV_POP', T.DOUBLE, [1, 2, 3, 4], Math.sqrt(1.25)],
    ['STDDEV_SAMPLE', T.DOUBLE, [7], 0],
    ['STDDEV_POP', T.DOUBLE, [7], 0],
  ] as const)('%s(%s) over %j is %d', (name, type, values, expected) => {
    const s = resolveAggregate(name, [arg(type)]);
    const out = aggregateRows(s, [...values.map((v) => [v]), [null]]) as number[];
    expect(out[out.length - 1]).toBeCloseTo(expected, 12);
  });
  it('STDDEV_SAMPLE merges INTEGER means as doubles and returns 0 when empty', () => {
    const s = resolveAggregate('STDDEV_SAMPLE', [arg(T.INTEGER)]);
    expect(s.result(s.init())).toBe(0);
    const a = s.add(s.add(s.init(), [1]), [2]);
    const b = s.add(s.add(s.init(), [3]), [6]);
    expect(s.result(s.merge!(a, b))).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(s.result(s.undo!(s.add(a, [10]), [10]))).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(s.intermediateType).toEqual(
      T.struct([
        { name: 'SUM', type: T.INTEGER },
        { name: 'COUNT', type: T.BIGINT },
        { name: 'M2', type: T.DOUBLE },
      ]),
    );
  });
  it('STDDEV_SAMP merges INTEGER/BIGINT means by integer division and multiplies in long', () => {
    for (const type of [T.INTEGER, T.BIGINT]) {
      const s = resolveAggregate('STDDEV_SAMP', [arg(type)]);
      expect(s.intermediateType).toEqual(
        T.struct([
          { name: 'SUM', type },
          { name: 'COUNT', type: T.BIGINT },
          { name: 'M2', type: T.DOUBLE },
        ]),
      );
      const a = s.add(s.add(s.init(), [1]), [2]); // mean 3 / 2 = 1
      const b = s.add(s.add(s.init(), [3]), [6]); // mean 9 / 2 = 4
      expect(s.result(s.merge!(a, b))).toBeCloseTo((0.5 + 4.5 + (2 * 2 * 9) / 4) / 3, 12);
    }
    // value * (count + 1) = 5 * (2^29 + 1) passes 2^31 while the sum does not: still the exact variance.
    const x = 2 ** 29 + 1;
    const big = resolveAggregate('STDDEV_SAMP', [arg(T.INTEGER)]);
    const v = aggregateRows(big, [[0], [0], [0], [0], [x]]).at(-1) as number;
    expect(Math.abs(v - (x * x) / 5) / ((x * x) / 5)).toBeLessThan(1e-12);
  });
  it('correlates pairs, NaN when undefined', () => {
    const c = resolveAggregate('CORRELATION', [arg(T.INTEGER), arg(T.INTEGER)]);
    expect(c.argTypes).toEqual([T.DOUBLE, T.DOUBLE]);
    const out = aggregateRows(c, [
      [1, 2],
      [2, 4],
      [3, 7],
    ]) as number[];
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeCloseTo(1);
    expect(out[2]).toBeCloseTo(0.9933992677987828);
  });
});
