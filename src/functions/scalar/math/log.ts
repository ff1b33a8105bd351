import { Category, defineScalar } from '../../define/define-scalar.js';

/** LOG(x): natural logarithm; LOG(base, x): NaN for a base ≤ 0 or 1. */
export const log = defineScalar({
  name: 'LOG',
  category: Category.MATH,
  description: 'Returns the natural logarithm of the value, or the logarithm of the value with the given base.',
  overloads: [
    { params: ['DOUBLE'], returns: 'DOUBLE', fn: Math.log },
    {
      params: ['DOUBLE', 'DOUBLE'],
      returns: 'DOUBLE',
      fn: (base: number, x: number) => (base <= 0 || base === 1 ? NaN : Math.log(x) / Math.log(base)),
    },
  ],
});
