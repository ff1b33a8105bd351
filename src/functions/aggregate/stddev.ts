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
 * The running Youngs-Cramer accumulator behind the standard-deviation aggregates,
 * for INTEGER, BIGINT or DOUBLE input. INTEGER sums wrap like a Java int; STDDEV_SAMP
 * merges the means of INTEGER and BIGINT partials with integer division, as its
 * Java does. Every kind returns 0 with too few values.
 */
export function variance(input: 'INT' | 'BIGINT' | 'DOUBLE', kind: StdDevKind): AggregateImpl<StdDevAcc> {
  const integerMeans = kind === 'sampVariance' && input !== 'DOUBLE';
  const w = input === 'INT' ? (n: number) => n | 0 : (n: number) => n;
  // value * (count + 1) is a long product in Java (COUNT is a BIGINT); only the sum wraps.
  const delta = (acc: StdDevAcc, v: number, count: number): number => v * count - w(acc[1] + v);
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
      const inner = integerMeans ? Math.trunc(a[1] / a[0]) - Math.trunc(b[1] / b[0]) : a[1] / a[0] - b[1] / b[0];
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
  const intermediate = (ctx: ResolveContext) => stddevIntermediate(ctx.types[0]!);
  return [
    { params: ['INT'], returns: 'DOUBLE', intermediate, make: () => variance('INT', kind) },
    { params: ['BIGINT'], returns: 'DOUBLE', intermediate, make: () => variance('BIGINT', kind) },
    { params: ['DOUBLE'], returns: 'DOUBLE', intermediate, make: () => variance('DOUBLE', kind) },
  ];
}
