import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';
import { avgIntermediate } from './intermediate-types.js';

/** Accumulator: [sum, count]. */
type AvgAcc = [number, number];

function average(wrapInt: boolean): AggregateImpl<AvgAcc> {
  const fix = wrapInt ? (n: number) => n | 0 : (n: number) => n;
  return {
    init: () => [0, 0],
    add: (acc, args) => (args[0] == null ? acc : [fix(acc[0] + (args[0] as number)), acc[1] + 1]),
    undo: (acc, args) => (args[0] == null ? acc : [fix(acc[0] - (args[0] as number)), acc[1] - 1]),
    merge: (a, b) => [fix(a[0] + b[0]), a[1] + b[1]],
    result: (acc) => (acc[1] === 0 ? 0 : acc[0] / acc[1]),
  };
}

/** AVG returns a DOUBLE; nulls are skipped; an empty group averages to 0.0 as in ksqlDB. */
export const avg = defineAggregate({
  name: 'AVG',
  description: 'Returns the average value of the column computed as the sum divided by the count. Applicable only to numeric types.',
  overloads: [
    { params: ['INT'], returns: 'DOUBLE', intermediate: (ctx) => avgIntermediate(ctx.types[0]!), make: () => average(true) },
    { params: ['BIGINT'], returns: 'DOUBLE', intermediate: (ctx) => avgIntermediate(ctx.types[0]!), make: () => average(false) },
    { params: ['DOUBLE'], returns: 'DOUBLE', intermediate: (ctx) => avgIntermediate(ctx.types[0]!), make: () => average(false) },
  ],
});
