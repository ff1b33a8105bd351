import { Decimal } from '../../common/decimal.js';
import { ExecutionError } from '../../common/errors.js';
import type { SqlType } from '../../common/types.js';
import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';

/** Java int arithmetic: sums of INTEGER wrap at 32 bits as in ksqlDB. */
const intSum: AggregateImpl<number> = {
  init: () => 0,
  add: (acc, args) => (args[0] == null ? acc : (acc + (args[0] as number)) | 0),
  undo: (acc, args) => (args[0] == null ? acc : (acc - (args[0] as number)) | 0),
  merge: (a, b) => (a + b) | 0,
  result: (acc) => acc,
};

const numberSum: AggregateImpl<number | string> = {
  init: () => 0,
  add: (acc, args) => (args[0] == null ? acc : toJsonNumber(Number(acc) + (args[0] as number))),
  undo: (acc, args) => (args[0] == null ? acc : toJsonNumber(Number(acc) - (args[0] as number))),
  merge: (a, b) => toJsonNumber(Number(a) + Number(b)),
  result: (acc) => Number(acc),
};

/** Non-finite doubles are kept as strings so the accumulator stays valid JSON. */
function toJsonNumber(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/** DECIMAL sums keep the argument's precision and scale; the accumulator is the decimal's text. */
function decimalSum(t: SqlType): AggregateImpl<string> {
  const { precision, scale } = t as { precision: number; scale: number };
  const digits = precision - scale;
  const limit = 10n ** BigInt(precision);
  const checked = (d: Decimal): string => {
    const v = d.setScale(scale);
    const abs = v.unscaled < 0n ? -v.unscaled : v.unscaled;
    if (abs >= limit) {
      throw new ExecutionError(
        `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${digits}. Got ${v.toString()}`,
      );
    }
    return v.toString();
  };
  return {
    init: () => new Decimal(0n, scale).toString(),
    add: (acc, args) => (args[0] == null ? acc : checked(Decimal.parse(acc).add(args[0] as Decimal))),
    undo: (acc, args) => (args[0] == null ? acc : checked(Decimal.parse(acc).subtract(args[0] as Decimal))),
    merge: (a, b) => checked(Decimal.parse(a).add(Decimal.parse(b))),
    result: (acc) => Decimal.parse(acc).setScale(scale),
  };
}

/** SUM over INTEGER, BIGINT, DOUBLE or DECIMAL; nulls are skipped, an empty sum is 0. */
export const sum = defineAggregate({
  name: 'SUM',
  description: 'Computes the sum for a key.',
  overloads: [
    { params: ['INT'], returns: 'INT', make: () => intSum },
    { params: ['BIGINT'], returns: 'BIGINT', make: () => numberSum },
    { params: ['DOUBLE'], returns: 'DOUBLE', make: () => numberSum },
    { params: ['DECIMAL'], returns: (ctx) => ctx.types[0]!, make: (ctx) => decimalSum(ctx.types[0]!) },
  ],
});
