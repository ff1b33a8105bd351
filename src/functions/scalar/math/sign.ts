import type { Decimal } from '../../../common/decimal.js';
import { Category, defineScalar } from '../../define/define-scalar.js';

const signOf = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** SIGN(x): -1, 0 or 1 as an INT. */
export const sign = defineScalar({
  name: 'SIGN',
  category: Category.MATH,
  description: 'Returns the sign of its argument as an INT: -1 if negative, 0 if zero, 1 if positive.',
  overloads: [
    { params: ['INT'], returns: 'INT', fn: signOf },
    { params: ['BIGINT'], returns: 'INT', fn: signOf },
    { params: ['DOUBLE'], returns: 'INT', fn: signOf },
    { params: ['DECIMAL'], returns: 'INT', fn: (x: Decimal) => (x.unscaled > 0n ? 1 : x.unscaled < 0n ? -1 : 0) },
  ],
});
