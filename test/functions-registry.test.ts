import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { getAggregate, getScalar, getTableFunction, listFunctions } from '../src/functions/registry.js';
import { NULL_ARG, T, aggregateRows, arg, call, callError, explodeCall, resolveAggregate, resolveError } from './helpers/function-harness.js';

describe('registry', () => {
  it('looks names up case-insensitively', () => {
    expect(getScalar('substring')?.name).toBe('SUBSTRING');
    expect(getAggregate('Count')?.name).toBe('COUNT');
    expect(getTableFunction('explode')?.name).toBe('EXPLODE');
    expect(getScalar('WONT_FIND_ME')).toBeUndefined();
  });
  it('lists every public function sorted, with signatures and categories', () => {
    const all = listFunctions();
    const names = all.map((f) => f.name);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    expect(all.find((f) => f.name === 'UCASE')).toMatchObject({ type: 'scalar', category: 'STRING' });
    expect(all.find((f) => f.name === 'SUM')).toMatchObject({ type: 'aggregate' });
    expect(all.find((f) => f.name === 'EXPLODE')).toMatchObject({ type: 'table' });
    expect(all.find((f) => f.name === 'UCASE')!.signatures).toEqual(['UCASE(VARCHAR) => VARCHAR']);
    for (const f of all) {
      expect(f.signatures.length, f.name).toBeGreaterThan(0);
      expect(f.description.length, f.name).toBeGreaterThan(0);
    }
  });
  it('hides ksqlDB test-only functions from the listing but resolves them', () => {
    expect(listFunctions().some((f) => f.name === 'TEST_UDF')).toBe(false);
    expect(getScalar('test_udf')).toBeDefined();
  });
});

describe('table functions', () => {
  it('EXPLODE returns the elements; null gives no rows', () => {
    expect(explodeCall('EXPLODE', [arg(T.array(T.STRING))], [['a', null, 'b']])).toEqual(['a', null, 'b']);
    expect(explodeCall('EXPLODE', [arg(T.array(T.STRING))], [null])).toEqual([]);
    expect(resolveError('EXPLODE', [arg(T.map(T.STRING, T.INTEGER))])).toMatch(/does not accept parameters \(MAP<STRING, INTEGER>\)/);
  });
  it('CUBE_EXPLODE yields every null/value combination, first column slowest', () => {
    expect(explodeCall('CUBE_EXPLODE', [arg(T.array(T.INTEGER))], [[1, 2]])).toEqual([
      [null, null],
      [null, 2],
      [1, null],
      [1, 2],
    ]);
    expect(explodeCall('CUBE_EXPLODE', [arg(T.array(T.INTEGER))], [[1, null]])).toEqual([
      [null, null],
      [1, null],
    ]);
  });
  it("CUBE_EXPLODE takes at most 20 columns, as ksqlDB's Cube.MAX_COLUMNS", () => {
    const a = arg(T.array(T.INTEGER));
    expect(explodeCall('CUBE_EXPLODE', [a], [Array.from({ length: 20 }, () => null)])).toHaveLength(1);
    expect(callError(() => explodeCall('CUBE_EXPLODE', [a], [Array.from({ length: 21 }, (_, i) => i)]))).toEqual({
      code: 50000,
      message: 'CUBE_EXPLODE input size (21) exceeds the maximum of 20 columns. The output cardinality is 2^N rows and would exhaust server memory.',
    });
  });
});

describe('SUM_LIST', () => {
  it('sums the elements of each array, skipping nulls', () => {
    const s = resolveAggregate('SUM_LIST', [arg(T.array(T.BIGINT))]);
    expect(s.returnType).toEqual(T.BIGINT);
    expect(aggregateRows(s, [[[1, 1]], [[2, null]]])).toEqual([2, 4]);
    expect(s.result(s.undo!(s.add(s.init(), [[5, 5]]), [[5]]))).toBe(5);
  });
});

describe('ksqlDB test UDFs', () => {
  it('TEST_UDF picks overloads like ksqlDB', () => {
    const B = arg(T.BIGINT);
    expect(call('TEST_UDF', [B, NULL_ARG], [0, null])).toBe('doStuffLongString');
    expect(call('TEST_UDF', [B, B, NULL_ARG], [0, 0, null])).toBe('doStuffLongLongString');
    expect(call('TEST_UDF', [B, B, B, B, B], [0, 0, 0, 0, 0])).toBe('doStuffLongVarargs');
  });
  it('TEST_UDTF stringifies like Java', () => {
    const st = T.struct([{ name: 'A', type: T.STRING }]);
    const args = [T.INTEGER, T.BIGINT, T.DOUBLE, T.BOOLEAN, T.STRING, T.decimal(30, 10), st].map((t) => arg(t));
    expect(explodeCall('TEST_UDTF', args, [1, 2, 3.1, true, 'foo', Decimal.parse('123.456').setScale(10), { A: 'bar' }])).toEqual([
      '1',
      '2',
      '3.1',
      'true',
      'foo',
      '123.4560000000',
      'Struct{A=bar}',
    ]);
    expect(() => explodeCall('THROWING_UDTF', [arg(T.BOOLEAN)], [true])).toThrow('You asked me to throw...');
  });
  it('WHENCONDITION / WHENRESULT / TOSTRUCT / BAD_UDF', () => {
    expect(call('WHENCONDITION', [arg(T.BOOLEAN), arg(T.BOOLEAN)], [true, true])).toBe(true);
    expect(() => call('WHENRESULT', [arg(T.INTEGER), arg(T.BOOLEAN)], [1, false])).toThrow('This result should not have been evaluated');
    expect(call('TOSTRUCT', [arg(T.STRING)], ['a'])).toEqual({ A: 'a' });
    expect(call('BAD_UDF', [arg(T.BOOLEAN)], [false])).toBe(0);
    expect(() => call('BAD_UDF', [arg(T.INTEGER)], [1])).toThrow('boom!');
  });
});
