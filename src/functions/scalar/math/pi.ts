import { Category, defineScalar } from '../../define/define-scalar.js';

/** PI(): the constant π. */
export const pi = defineScalar({
  name: 'PI',
  category: Category.MATH,
  description: 'Returns an approximate value of PI.',
  overloads: [{ params: [], returns: 'DOUBLE', fn: () => Math.PI }],
});
