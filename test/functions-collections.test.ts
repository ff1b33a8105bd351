import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import type { SqlType } from '../src/common/types.js';
import { NULL_ARG, T, arg, call, callError, invoke, lambda, resolveError, resolveScalar } from './helpers/function-harness.js';

const IA = arg(T.array(T.INTEGER));
const SA = arg(T.array(T.STRING));
const I = arg(T.INTEGER);
const L = arg(T.BIGINT);
const S = arg(T.STRING);
const M = arg(T.map(T.STRING, T.INTEGER));

describe('array functions', () => {
  it('ARRAY_CONTAINS finds values and nulls; null array is false', () => {
    expect(call('ARRAY_CONTAINS', [IA, I], [[1, 2], 2])).toBe(true);
    expect(call('ARRAY_CONTAINS', [IA, I], [[1, null], null])).toBe(true);
    expect(call('ARRAY_CONTAINS', [IA, I], [null, 1])).toBe(false);
  });
  it('set operations keep first-seen order and distinctness', () => {
    expect(call('ARRAY_DISTINCT', [SA], [['foo', 'bar', 'foo', null, null]])).toEqual(['foo', 'bar', null]);
    expect(
      call(
        'ARRAY_EXCEPT',
        [IA, IA],
        [
          [0, 0, 1, 0, -1],
          [1, -2],
        ],
      ),
    ).toEqual([0, -1]);
    expect(
      call(
        'ARRAY_INTERSECT',
        [IA, IA],
        [
          [0, 0, 1, 0, -1],
          [1, -2, 0],
        ],
      ),
    ).toEqual([0, 1]);
    expect(
      call(
        'ARRAY_UNION',
        [IA, IA],
        [
          [0, 0, 1],
          [1, -2],
        ],
      ),
    ).toEqual([0, 1, -2]);
    expect(call('ARRAY_EXCEPT', [IA, IA], [null, [1]])).toBeNull();
  });
  it('ARRAY_DISTINCT compares nested arrays and maps by value', () => {
    const t = arg(T.array(T.map(T.STRING, T.INTEGER)));
    const a = new Map([['x', 1]]);
    expect(call('ARRAY_DISTINCT', [t], [[a, new Map([['x', 1]]), new Map([['x', 2]])]])).toHaveLength(2);
  });
  it('ARRAY_CONCAT treats a single null as empty', () => {
    expect(call('ARRAY_CONCAT', [IA, IA], [[1], null])).toEqual([1]);
    expect(call('ARRAY_CONCAT', [IA, IA], [null, null])).toBeNull();
  });
  it('ARRAY_JOIN uses Java text for elements', () => {
    expect(call('ARRAY_JOIN', [arg(T.array(T.DOUBLE))], [[1.23, 0]])).toBe('1.23,0.0');
    expect(call('ARRAY_JOIN', [arg(T.array(T.BOOLEAN)), S], [[true, null], '|'])).toBe('true|null');
    expect(call('ARRAY_JOIN', [IA, NULL_ARG], [[1, 2], null])).toBe('12');
    expect(resolveError('ARRAY_JOIN', [arg(T.array(T.array(T.INTEGER)))])).toBe("Function 'ARRAY_JOIN' only supports arrays of primitive types, got ARRAY");
  });
  it('ARRAY_LENGTH, ARRAY_MAX, ARRAY_MIN', () => {
    expect(call('ARRAY_LENGTH', [IA], [[1, 2, 3]])).toBe(3);
    expect(call('ARRAY_MAX', [IA], [[1, null, 3]])).toBe(3);
    expect(call('ARRAY_MIN', [SA], [['b', 'a']])).toBe('a');
    expect(call('ARRAY_MAX', [IA], [[]])).toBeNull();
    expect(resolveScalar('ARRAY_MAX', [IA]).returnType).toEqual(T.INTEGER);
  });
  it('ARRAY_SORT puts nulls last in both directions', () => {
    expect(call('ARRAY_SORT', [SA], [['foo', null, 'Food', 'F']])).toEqual(['F', 'Food', 'foo', null]);
    expect(call('ARRAY_SORT', [IA, S], [[0, null, 1, -1], 'desc'])).toEqual([1, 0, -1, null]);
    const d = (x: string) => Decimal.parse(x);
    const sorted = call('ARRAY_SORT', [arg(T.array(T.decimal(2, 1)))], [[d('1.1'), d('-0.2'), d('9.0')]]) as Decimal[];
    expect(sorted.map(String)).toEqual(['-0.2', '1.1', '9.0']);
  });
  it('ARRAY_SORT also takes ASCENDING / DESCENDING; another direction gives null', () => {
    expect(call('ARRAY_SORT', [SA, S], [['Foo', 'Bar', null, 'baz'], 'Descending'])).toEqual(['baz', 'Foo', 'Bar', null]);
    expect(call('ARRAY_SORT', [IA, S], [[2, null, 1], 'ascending'])).toEqual([1, 2, null]);
    expect(call('ARRAY_SORT', [IA, S], [[2, 1], 'up'])).toBeNull();
  });
  it('ARRAY_REMOVE removes every equal element, nulls too', () => {
    expect(call('ARRAY_REMOVE', [IA, I], [[1, 2, 1], 1])).toEqual([2]);
    expect(call('ARRAY_REMOVE', [IA, I], [[null, 1], null])).toEqual([1]);
  });
  it('SLICE and GENERATE_SERIES', () => {
    expect(call('SLICE', [IA, I, I], [[1, 2, 3, 4], 2, 3])).toEqual([2, 3]);
    expect(call('GENERATE_SERIES', [I, I], [1, 4])).toEqual([1, 2, 3, 4]);
    expect(call('GENERATE_SERIES', [I, I, I], [4, 0, -2])).toEqual([4, 2, 0]);
    expect(resolveScalar('GENERATE_SERIES', [arg(T.BIGINT), I]).returnType).toEqual(T.array(T.BIGINT));
  });
  // ksqlDB GenerateSeries: Java int arithmetic for INT, KsqlFunctionException for bad steps.
  it.each([
    [[I, I], [5, 5], [5]],
    [
      [I, I],
      [3, 1],
      [3, 2, 1],
    ],
    [
      [I, I, I],
      [1, 6, 2],
      [1, 3, 5],
    ],
    [[I, I, I], [2147483646, 2147483647, 5], [2147483646]],
    [
      [I, I, I],
      [0, 2147483647, 1000000000],
      [0, 1000000000, 2000000000 | 0],
    ],
    [
      [I, I],
      [-2147483648, 2147483647],
      [-2147483648, 2147483647],
    ],
    [
      [L, L],
      [9007199254740990, 9007199254740992],
      [9007199254740990, 9007199254740991, 9007199254740992],
    ],
  ] as const)('GENERATE_SERIES(%j) of %j is %j', (types, values, expected) => {
    expect(call('GENERATE_SERIES', types, [...values])).toEqual(expected);
  });
  it.each([
    [[0, 5, 0], 'GENERATE_SERIES step cannot be zero'],
    [[0, 5, -1], 'GENERATE_SERIES step has wrong sign'],
    [[0, 2000000000, 1], 'GENERATE_SERIES size (2000000001) exceeds the maximum of 1048576.'],
  ] as const)('GENERATE_SERIES(%j) fails: %s', (values, message) => {
    expect(callError(() => call('GENERATE_SERIES', [I, I, I], [...values]))).toEqual({ code: 50000, message });
  });
  // ksqlDB Slice: List.subList(from - 1, to); null bounds mean the ends, out of range is NULL.
  it.each([
    [[1, 2, 3, 4], 1, 4, [1, 2, 3, 4]],
    [[1, 2, 3, 4], 3, 2, []],
    [[1, 2, 3, 4], null, 2, [1, 2]],
    [[1, 2, 3, 4], 3, null, [3, 4]],
    [[1, 2, 3, 4], null, null, [1, 2, 3, 4]],
    [[1, 2, 3, 4], 0, 2, null],
    [[1, 2, 3, 4], 2, 5, null],
    [[1, 2, 3, 4], 4, 2, null],
    [[], 1, 0, []],
    [null, 1, 2, null],
  ] as const)('SLICE(%j, %j, %j) is %j', (list, from, to, expected) => {
    expect(call('SLICE', [IA, I, I], [list, from, to])).toEqual(expected);
  });
  it('widens element types through generics', () => {
    const r = resolveScalar('ARRAY_CONTAINS', [IA, arg(T.BIGINT)]);
    expect(r.argTypes).toEqual([T.array(T.BIGINT), undefined]);
  });
});

describe('map functions', () => {
  const m = new Map([
    ['a', 1],
    ['b', 2],
  ]);
  it('keys, values, union, entries', () => {
    expect(call('MAP_KEYS', [M], [m])).toEqual(['a', 'b']);
    expect(call('MAP_VALUES', [M], [m])).toEqual([1, 2]);
    expect(call('MAP_UNION', [M, M], [m, new Map([['b', 3]])])).toEqual(
      new Map([
        ['a', 1],
        ['b', 3],
      ]),
    );
    expect(call('MAP_UNION', [M, M], [null, m])).toEqual(m);
    const r = resolveScalar('ENTRIES', [M, arg(T.BOOLEAN)]);
    expect(r.returnType).toEqual(
      T.array(
        T.struct([
          { name: 'K', type: T.STRING },
          { name: 'V', type: T.INTEGER },
        ]),
      ),
    );
    expect(
      invoke(r, [
        new Map([
          ['b', 1],
          ['a', 2],
        ]),
        true,
      ]),
    ).toEqual([
      { K: 'a', V: 2 },
      { K: 'b', V: 1 },
    ]);
  });
  it('AS_MAP pairs keys with values', () => {
    expect(call('AS_MAP', [SA, IA], [['a', 'b'], [1]])).toEqual(
      new Map([
        ['a', 1],
        ['b', null],
      ]),
    );
  });
});

describe('lambda functions', () => {
  const same = (t: readonly SqlType[]) => t[0]!;
  it('TRANSFORM arrays and maps; lambda types bind the result', () => {
    const r = resolveScalar('TRANSFORM', [IA, lambda(1, () => T.STRING)]);
    expect(r.returnType).toEqual(T.array(T.STRING));
    expect(invoke(r, [[1, 2], (x: number) => `v${x}`])).toEqual(['v1', 'v2']);
    const rm = resolveScalar('TRANSFORM', [M, lambda(2, () => T.STRING), lambda(2, () => T.BIGINT)]);
    expect(rm.returnType).toEqual(T.map(T.STRING, T.BIGINT));
    expect(invoke(rm, [new Map([['a', 1]]), (k: string) => k.toUpperCase(), (_k: string, v: number) => v * 10])).toEqual(new Map([['A', 10]]));
    expect(invoke(rm, [new Map([['a', 1]]), (k: string) => k, () => null])).toBeNull();
  });
  it('FILTER keeps true entries', () => {
    const r = resolveScalar('FILTER', [IA, lambda(1, () => T.BOOLEAN)]);
    expect(invoke(r, [[3, 6, null, 10], (x: number | null) => x !== null && x > 5])).toEqual([6, 10]);
    const rm = resolveScalar('FILTER', [M, lambda(2, () => T.BOOLEAN)]);
    expect(
      invoke(rm, [
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        (_k: string, v: number) => v > 1,
      ]),
    ).toEqual(new Map([['b', 2]]));
  });
  // ksqlDB Filter: stream().filter(function::apply) unboxes the verdict, and Collectors.toMap refuses NULL values.
  it('FILTER fails on a NULL verdict and on keeping a NULL map value', () => {
    const r = resolveScalar('FILTER', [IA, lambda(1, () => T.BOOLEAN)]);
    expect(callError(() => invoke(r, [[3, null], (x: number | null) => (x === null ? null : x > 1)]))).toEqual({
      code: 50000,
      message: 'FILTER function returned NULL',
    });
    const rm = resolveScalar('FILTER', [M, lambda(2, () => T.BOOLEAN)]);
    expect(
      invoke(rm, [
        new Map<string, number | null>([
          ['a', null],
          ['b', 2],
        ]),
        () => true,
      ]),
    ).toBeNull();
    expect(
      invoke(rm, [
        new Map<string, number | null>([
          ['a', null],
          ['b', 2],
        ]),
        (k: string) => k === 'b',
      ]),
    ).toEqual(new Map([['b', 2]]));
  });
  it('REDUCE folds; null collection gives the initial state, null state gives null', () => {
    const r = resolveScalar('REDUCE', [IA, I, lambda(2, same)]);
    expect(r.returnType).toEqual(T.INTEGER);
    const add = (s: number, x: number | null) => (x === null ? null : s + x);
    expect(r.invoke([[3, 6], 2, add])).toBe(11);
    expect(r.invoke([null, 2, add])).toBe(2);
    expect(r.invoke([[1], null, add])).toBeNull();
    const rm = resolveScalar('REDUCE', [M, arg(T.BIGINT), lambda(3, () => T.BIGINT)]);
    expect(
      rm.invoke([
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        0,
        (s: number, _k: string, v: number) => s + v,
      ]),
    ).toBe(3);
  });
  it('rejects a lambda with the wrong arity', () => {
    expect(resolveError('TRANSFORM', [IA, lambda(2, same)])).toBe(
      [
        "Function 'TRANSFORM' does not accept parameters (ARRAY<INTEGER>, LAMBDA).",
        'Valid alternatives are:',
        'TRANSFORM(ARRAY<T>, LAMBDA(T) => U) => ARRAY<U>',
        'TRANSFORM(MAP<K, V>, LAMBDA(K, V) => A, LAMBDA(K, V) => B) => MAP<A, B>',
      ].join('\n'),
    );
  });
});

describe('conditional functions', () => {
  it('COALESCE, IFNULL, NULLIF', () => {
    expect(call('COALESCE', [I, I, I], [null, 2, 3])).toBe(2);
    expect(resolveScalar('COALESCE', [I, arg(T.BIGINT)]).returnType).toEqual(T.BIGINT);
    expect(resolveError('COALESCE', [])).toMatch(/does not accept parameters \(\)/);
    expect(resolveError('COALESCE', [I, S])).toBe(
      "Function 'COALESCE' does not accept parameters (INTEGER, STRING).\nValid alternatives are:\nCOALESCE(T, T...) => T",
    );
    expect(call('IFNULL', [S, S], [null, 'x'])).toBe('x');
    expect(call('NULLIF', [I, I], [1, 1])).toBeNull();
    expect(call('NULLIF', [I, I], [1, 2])).toBe(1);
    expect(call('AS_VALUE', [S], ['k'])).toBe('k');
  });
});
