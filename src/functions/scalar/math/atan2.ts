import { Category, defineScalar } from '../../define/define-scalar.js';

/** ATAN2(y, x). */
export const atan2 = defineScalar({
  name: 'ATAN2',
  category: Category.MATH,
  description: 'Returns the angle theta from the conversion of rectangular coordinates (x, y) to polar coordinates (r, theta).',
  overloads: [{ params: ['DOUBLE', 'DOUBLE'], returns: 'DOUBLE', fn: Math.atan2 }],
});
