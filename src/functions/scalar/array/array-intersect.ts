import { Category, defineScalar } from '../../define/define-scalar.js';
import { valueKey } from '../../support/sql-values.js';
import { distinct, keysOf } from './distinct-values.js';

/** ARRAY_INTERSECT(a, b): distinct elements of a that are also in b. */
export const arrayIntersect = defineScalar({
  name: 'ARRAY_INTERSECT',
  category: Category.ARRAY,
  description:
    'Returns an array of all the distinct elements from the intersection of both input arrays. The order of entries in the output is the same as in the first input array.',
  overloads: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      returns: 'ARRAY<T>',
      fn: (a: unknown[], b: unknown[]) => {
        const keep = keysOf(b);
        return distinct(a).filter((x) => keep.has(valueKey(x)));
      },
    },
  ],
});
