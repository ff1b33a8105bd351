import { Category, defineScalar } from '../../define/define-scalar.js';
import { distinct } from './distinct-values.js';

/** ARRAY_DISTINCT(array): distinct elements in first-seen order. */
export const arrayDistinct = defineScalar({
  name: 'ARRAY_DISTINCT',
  category: Category.ARRAY,
  description:
    'Returns an array of all the distinct values, including NULL if present, from the input array. The output array elements are in order of their first occurrence in the input.',
  overloads: [{ params: ['ARRAY<T>'], returns: 'ARRAY<T>', fn: distinct }],
});
