import { assertNever } from '../../common/assert.js';
import type { AggregateImpl } from '../define/define-aggregate.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { stddevIntermediate } from './intermediate-types.js';

/** Accumulator: [count, sum, m2] (Youngs-Cramer). */
export type StdDevAcc = [number, number, number];

/**
 * What a standard-deviation aggregate returns. ksqlDB's STDDEV_SAMP
 * (StandardDeviationSampUdaf) returns the sample *variance* and does its INTEGER
 * and BIGINT merge step in integer division; STDDEV_SAMPLE
 * (StandardDeviationSampleUdaf) is the corrected one: the square root of the
 * sample variance, merging means as doubles. STDDEV_POP is Sluice's own: the
 * square root of the population variance, computed like STDDEV_SAMPLE.
 */
export type StdDevKind = 'sampVariance' | 'sample' | 'population';

/**
 * The running Youngs-Cramer accumulator behind the standard-deviation aggregates.
 * `int` mimics Java int arithmetic for INTEGER input: STDDEV_SAMP's old INTEGER
 * overload wraps the `value * count` product too, STDDEV_SAMPLE's only the sum.
 * Every kind returns 0 with too few values.
 */
export function variance(int: boolean, kind: StdDevKind): AggregateImpl<StdDevAcc> {
  const legacy = kind === 'sampVariance';
  const w = int ? (n: number) => n | 0 : (n: number) => n;
  const product = int && legacy ? w : (n: number) => n;
  const delta = (acc: StdDevAcc, v: number, count: number): number => product(v * count) - w(acc[1] + v);
  return {
    init: () => [0, 0, 0],
    add: (acc, args) => {
      const v = args[0] as number | null;
      if (v == null) return acc;
      const n = acc[0] + 1;
      const d = n > 1 ? delta(acc, v, n) : 0;
      return [n, w(acc[1] + v), acc[2] + (n > 1 ? (d * d) / (n * (n - 1)) : 0)];
    },
    undo: (acc, args) => {
      const v = args[0] as number | null;
      if (v == null) return acc;
      const n = acc[0] - 1;
      const d = n > 0 ? delta(acc, v, acc[0] + 1) : 0;
      return [n, w(acc[1] - v), acc[2] - (n > 0 ? (d * d) / (n * (n + 1)) : 0)];
    },
    merge: (a, b) => {
      const n = a[0] + b[0];
      if (a[0] === 0 || b[0] === 0) return [n, w(a[1] + b[1]), a[2] + b[2]];
      const inner = int && legacy ? Math.trunc(a[1] / a[0]) - Math.trunc(b[1] / b[0]) : a[1] / a[0] - b[1] / b[0];
      return [n, w(a[1] + b[1]), a[2] + b[2] + (a[0] * b[0] * inner * inner) / n];
    },
    result: (acc) => {
      switch (kind) {
        case 'sampVariance':
          return acc[0] < 2 ? 0 : acc[2] / (acc[0] - 1);
        case 'sample':
          return acc[0] < 2 ? 0 : Math.sqrt(acc[2] / (acc[0] - 1));
        case 'population':
          return acc[0] < 1 ? 0 : Math.sqrt(acc[2] / acc[0]);
        default:
          return assertNever(kind, 'standard deviation kind');
      }
    },
  };
}

/** Overloads shared by the standard-deviation aggregates. */
export function stddevOverloads(kind: StdDevKind) {
  const intermediate = (ctx: ResolveContext) => stddevIntermediate(ctx.types[0]!, kind === 'sampVariance' ? 'INTEGER' : 'BIGINT');
  return [
    { params: ['INT'], returns: 'DOUBLE', intermediate, make: () => variance(true, kind) },
    { params: ['BIGINT'], returns: 'DOUBLE', intermediate, make: () => variance(false, kind) },
    { params: ['DOUBLE'], returns: 'DOUBLE', intermediate, make: () => variance(false, kind) },
  ];
}
