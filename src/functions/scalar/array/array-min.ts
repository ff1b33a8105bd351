import { Category, defineScalar } from '../../define/define-scalar.js';
import { arrayExtreme } from './array-extreme.js';

/** ARRAY_MIN(array): the smallest non-null element. */
export const arrayMin = defineScalar({
  name: 'ARRAY_MIN',
  category: Category.ARRAY,
  description:
    'Returns the minimum value from within a given array of primitive elements. Array entries are compared according to their natural sort order. Null entries are ignored.',
  overloads: [{ params: ['ARRAY<T>'], returns: 'T', fn: (a: unknown[]) => arrayExtreme(a, -1) }],
});
