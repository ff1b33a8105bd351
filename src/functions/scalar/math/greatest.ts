import { Category, defineScalar } from '../../define/define-scalar.js';
import { extremeOverloads } from './extreme.js';

/** GREATEST(a, b, …): the highest non-null value. */
export const greatest = defineScalar({
  name: 'GREATEST',
  category: Category.MATH,
  description: 'Returns the highest non-null value among a variable number of comparable columns.',
  overloads: extremeOverloads(1),
});
