import { Category, defineScalar } from '../../define/define-scalar.js';
import { valueKey } from '../../support/sql-values.js';
import { distinct, keysOf } from './distinct-values.js';

/** ARRAY_EXCEPT(a, b): distinct elements of a that are not in b. */
export const arrayExcept = defineScalar({
  name: 'ARRAY_EXCEPT',
  category: Category.ARRAY,
  description:
    'Returns an array of all the distinct elements from an array, except for those also present in a second array. The order of entries in the first array is preserved.',
  overloads: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      returns: 'ARRAY<T>',
      fn: (a: unknown[], b: unknown[]) => {
        const drop = keysOf(b);
        return distinct(a).filter((x) => !drop.has(valueKey(x)));
      },
    },
  ],
});
