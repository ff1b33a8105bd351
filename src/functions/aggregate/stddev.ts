import type { AggregateImpl } from '../define/define-aggregate.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { stddevIntermediate } from './intermediate-types.js';

/** Accumulator: [count, sum, m2] (Youngs-Cramer). */
export type StdDevAcc = [number, number, number];

/**
 * The running sample variance ksqlDB's STDDEV_SAMP computes (it returns the
 * variance, not its square root; 0 with fewer than two values). `int` mimics Java
 * int arithmetic for INTEGER input.
 */
export function variance(int: boolean, population = false): AggregateImpl<StdDevAcc> {
  const w = int ? (n: number) => n | 0 : (n: number) => n;
  const delta = (acc: StdDevAcc, v: number, count: number): number => w(w(v * count) - w(acc[1] + v));
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
      const inner = int ? Math.trunc(a[1] / a[0]) - Math.trunc(b[1] / b[0]) : a[1] / a[0] - b[1] / b[0];
      return [n, w(a[1] + b[1]), a[2] + b[2] + (a[0] * b[0] * inner * inner) / n];
    },
    result: (acc) => (population ? (acc[0] < 1 ? 0 : acc[2] / acc[0]) : acc[0] < 2 ? 0 : acc[2] / (acc[0] - 1)),
  };
}

const intermediate = (ctx: ResolveContext) => stddevIntermediate(ctx.types[0]!);

/** Overloads shared by the standard-deviation aggregates. */
export function stddevOverloads(population = false) {
  return [
    { params: ['INT'], returns: 'DOUBLE', intermediate, make: () => variance(true, population) },
    { params: ['BIGINT'], returns: 'DOUBLE', intermediate, make: () => variance(false, population) },
    { params: ['DOUBLE'], returns: 'DOUBLE', intermediate, make: () => variance(false, population) },
  ];
}
