import { Category, defineScalar } from '../../define/define-scalar.js';

/** RANDOM(): a uniformly distributed DOUBLE in [0, 1). */
export const random = defineScalar({
  name: 'RANDOM',
  category: Category.MATH,
  description: 'Returns a random DOUBLE value between 0.0 and 1.0.',
  overloads: [{ params: [], returns: 'DOUBLE', fn: () => Math.random() }],
});
