import { Category, defineScalar } from '../../define/define-scalar.js';

/** ARRAY_LENGTH(array): number of elements. */
export const arrayLength = defineScalar({
  name: 'ARRAY_LENGTH',
  category: Category.ARRAY,
  description: 'Returns the number of elements in the array. If the supplied parameter is NULL the method returns NULL.',
  overloads: [{ params: ['ARRAY<T>'], returns: 'INT', fn: (a: unknown[]) => a.length }],
});
