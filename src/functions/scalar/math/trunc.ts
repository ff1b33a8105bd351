import type { Decimal } from '../../../common/decimal.js';
import { T } from '../../../common/types.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import { decimalOfDouble, roundTo } from '../../support/decimal-rounding.js';
import { javaLongOfDouble } from '../../support/java-numbers.js';

/** TRUNC(x [, places]): rounds towards zero; TRUNC(DOUBLE) gives a BIGINT (Double.longValue: NaN 0, clamped). */
export const trunc = defineScalar({
  name: 'TRUNC',
  category: Category.MATH,
  description:
    'Truncates a value to the number of decimal places as specified by scale to the right of the decimal point. If scale is negative then value is truncated to the right of the decimal point.',
  overloads: [
    { params: ['INT'], returns: 'BIGINT', fn: (x: number) => x },
    { params: ['BIGINT'], returns: 'BIGINT', fn: (x: number) => x },
    { params: ['DOUBLE'], returns: 'BIGINT', fn: javaLongOfDouble },
    {
      params: ['DOUBLE', 'INT'],
      returns: 'DOUBLE',
      fn: (x: number, places: number) => roundTo(decimalOfDouble(x), places, 'DOWN').toNumber(),
    },
    {
      params: ['DECIMAL'],
      returns: (ctx) => {
        const t = ctx.types[0] as { precision: number; scale: number };
        return T.decimal(Math.max(1, t.precision - t.scale), 0);
      },
      fn: (x: Decimal) => roundTo(x, 0, 'DOWN'),
    },
    {
      params: ['DECIMAL', 'INT'],
      returns: (ctx) => ctx.types[0]!,
      fn: (x: Decimal, places: number) => roundTo(x, places, 'DOWN').setScale(x.scale),
    },
  ],
});
