import { Category, defineScalar } from '../../define/define-scalar.js';

/** POWER(base, exponent) as a DOUBLE. */
export const power = defineScalar({
  name: 'POWER',
  category: Category.MATH,
  description: 'Returns the value of the first argument raised to the power of the second argument.',
  overloads: [{ params: ['DOUBLE', 'DOUBLE'], returns: 'DOUBLE', fn: Math.pow }],
});
