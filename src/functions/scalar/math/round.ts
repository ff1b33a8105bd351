import type { Decimal } from '../../../common/decimal.js';
import { T } from '../../../common/types.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import { decimalOfDouble, roundHalfPositive } from '../../support/decimal-rounding.js';
import { javaRound } from '../../support/java-numbers.js';

/**
 * ROUND(x [, places]): halves round towards positive infinity (ksqlDB keeps
 * Math.round's behaviour). ROUND(DOUBLE) gives a BIGINT; ROUND(DECIMAL(p,s)) a
 * DECIMAL(p-s, 0); with places, DECIMAL keeps its type and scale.
 */
export const round = defineScalar({
  name: 'ROUND',
  category: Category.MATH,
  description:
    'Round a value to the number of decimal places as specified by scale to the right of the decimal point. If scale is negative then value is rounded to the right of the decimal point. Numbers equidistant to the nearest value are rounded up (in the positive direction). If the number of decimal places is not provided it defaults to zero.',
  overloads: [
    { params: ['INT'], returns: 'BIGINT', fn: (x: number) => x },
    { params: ['BIGINT'], returns: 'BIGINT', fn: (x: number) => x },
    { params: ['DOUBLE'], returns: 'BIGINT', fn: javaRound },
    {
      params: ['DOUBLE', 'INT'],
      returns: 'DOUBLE',
      fn: (x: number, places: number) => roundHalfPositive(decimalOfDouble(x), places).toNumber(),
    },
    {
      params: ['DECIMAL'],
      returns: (ctx) => {
        const t = ctx.types[0] as { precision: number; scale: number };
        return T.decimal(Math.max(1, t.precision - t.scale), 0);
      },
      fn: (x: Decimal) => roundHalfPositive(x, 0),
    },
    {
      params: ['DECIMAL', 'INT'],
      returns: (ctx) => ctx.types[0]!,
      fn: (x: Decimal, places: number) => roundHalfPositive(x, places).setScale(x.scale),
    },
  ],
});
