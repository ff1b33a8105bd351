import type { Decimal } from '../../../common/decimal.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import { roundTo } from '../../support/decimal-rounding.js';

/** FLOOR(x): largest integer ≤ x; integers unchanged; DECIMAL keeps its type. */
export const floor = defineScalar({
  name: 'FLOOR',
  category: Category.MATH,
  description: 'Returns the largest integer less than or equal to the specified numeric expression.',
  overloads: [
    { params: ['INT'], returns: 'INT', fn: (x: number) => x },
    { params: ['BIGINT'], returns: 'BIGINT', fn: (x: number) => x },
    { params: ['DOUBLE'], returns: 'DOUBLE', fn: (x: number) => Math.floor(x) },
    { params: ['DECIMAL'], returns: (ctx) => ctx.types[0]!, fn: (x: Decimal) => roundTo(x, 0, 'FLOOR').setScale(x.scale) },
  ],
});
