import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { getAggregate } from '../src/functions/registry.js';
import { T, aggregateRows, arg, call, resolveAggregate, resolveScalar } from './helpers/function-harness.js';

describe('conformance-driven details', () => {
  it('INSTR returns 0 when a later occurrence is missing', () => {
    expect(call('INSTR', [arg(T.STRING), arg(T.STRING), arg(T.INTEGER), arg(T.INTEGER)], ['short', 'or', 4, 2])).toBe(0);
  });
  it('PARSE_DATE ignores trailing text like SimpleDateFormat', () => {
    expect(call('PARSE_DATE', [arg(T.STRING), arg(T.STRING)], ['2003-12-24-01-01', 'yyyy-MM-dd'])).toBe(12410);
  });
  it('string literals stand for temporal arguments and are cast by the planner', () => {
    const r = resolveScalar('GREATEST', [arg(T.TIMESTAMP), arg(T.STRING, '2022-06-14')]);
    expect(r.returnType).toEqual(T.TIMESTAMP);
    expect(r.argTypes).toEqual([undefined, T.TIMESTAMP]);
  });
  it('COLLECT_LIST honours ksql.functions.collect_list.limit', () => {
    const f = getAggregate('COLLECT_LIST')!;
    const r = f.resolve([arg(T.INTEGER)], { 'ksql.functions.collect_list.limit': '1' });
    if (typeof r === 'string') throw new Error(r);
    expect(aggregateRows(r, [[1], [2]])).toEqual([[1], [1]]);
  });
  it('COLLECT_SET treats maps with the same entries as equal', () => {
    const c = resolveAggregate('COLLECT_SET', [arg(T.map(T.STRING, T.INTEGER))]);
    const out = aggregateRows(c, [
      [
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ],
      [
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ],
    ]);
    expect((out[1] as unknown[]).length).toBe(1);
  });
  it('TOPKDISTINCT orders bytes', () => {
    const t = resolveAggregate('TOPKDISTINCT', [arg(T.BYTES), arg(T.INTEGER, 2)]);
    const out = aggregateRows(t, [[Buffer.from([1])], [Buffer.from([3])], [Buffer.from([3])]]);
    expect(out.at(-1)).toEqual([Buffer.from([3]), Buffer.from([1])]);
  });
});

describe('GREATEST over decimals with a NULL literal', () => {
  it('widens the decimal arguments and ignores the null', () => {
    const r = resolveScalar('GREATEST', [arg(T.decimal(4, 2)), arg(T.decimal(3, 0)), { kind: 'value', type: T.STRING, isNullLiteral: true }]);
    expect(r.returnType).toEqual(T.decimal(5, 2));
  });
});

describe('intermediate types', () => {
  it('reports ksqlDB accumulator types where they differ from the result', () => {
    expect(resolveAggregate('AVG', [arg(T.INTEGER)]).intermediateType?.kind).toBe('STRUCT');
    expect(resolveAggregate('STDDEV_SAMP', [arg(T.DOUBLE)]).intermediateType?.kind).toBe('STRUCT');
    expect(resolveAggregate('CORRELATION', [arg(T.DOUBLE), arg(T.DOUBLE)]).intermediateType?.kind).toBe('STRUCT');
    expect(resolveAggregate('LATEST_BY_OFFSET', [arg(T.INTEGER)]).intermediateType?.kind).toBe('STRUCT');
    expect(resolveAggregate('COUNT', []).intermediateType).toBeUndefined();
  });
});

describe('GREATEST over decimals', () => {
  it('returns the winner at the widened scale', () => {
    const r = resolveScalar('GREATEST', [arg(T.decimal(4, 2)), arg(T.decimal(3, 0))]);
    expect(String(r.invoke([Decimal.parse('1.50'), Decimal.parse('7')]))).toBe('7.00');
  });
});
