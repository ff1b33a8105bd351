import { Category, defineScalar } from '../../define/define-scalar.js';
import { extremeOverloads } from './extreme.js';

/** LEAST(a, b, …): the lowest non-null value. */
export const least = defineScalar({
  name: 'LEAST',
  category: Category.MATH,
  description: 'Returns the lowest non-null value among a variable number of comparable columns.',
  overloads: extremeOverloads(-1),
});
