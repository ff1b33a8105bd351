import { Category, defineScalar } from '../../define/define-scalar.js';
import { arrayExtreme } from './array-extreme.js';

/** ARRAY_MAX(array): the largest non-null element. */
export const arrayMax = defineScalar({
  name: 'ARRAY_MAX',
  category: Category.ARRAY,
  description:
    'Returns the maximum value from within a given array of primitive elements (not arrays of other arrays, or maps, or structs, or combinations thereof). Array entries are compared according to their natural sort order. Null entries are ignored.',
  overloads: [{ params: ['ARRAY<T>'], returns: 'T', fn: (a: unknown[]) => arrayExtreme(a, 1) }],
});
