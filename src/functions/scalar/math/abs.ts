import type { Decimal } from '../../../common/decimal.js';
import { Category, defineScalar } from '../../define/define-scalar.js';

/** ABS(x): absolute value keeping the argument's type (DECIMAL keeps precision and scale). */
export const abs = defineScalar({
  name: 'ABS',
  category: Category.MATH,
  description:
    'Returns the absolute value of its argument. If the argument is not negative, the argument is returned. If the argument is negative, the negation of the argument is returned.',
  overloads: [
    { params: ['INT'], returns: 'INT', fn: (x: number) => Math.abs(x) | 0 },
    { params: ['BIGINT'], returns: 'BIGINT', fn: (x: number) => Math.abs(x) },
    { params: ['DOUBLE'], returns: 'DOUBLE', fn: (x: number) => Math.abs(x) },
    { params: ['DECIMAL'], returns: (ctx) => ctx.types[0]!, fn: (x: Decimal) => (x.unscaled < 0n ? x.negate() : x) },
  ],
});
