import { Category, defineScalar } from '../../define/define-scalar.js';
import { valueKey } from '../../support/sql-values.js';

/** ARRAY_REMOVE(array, value): every element equal to value (null removes nulls) is dropped. */
export const arrayRemove = defineScalar({
  name: 'ARRAY_REMOVE',
  category: Category.ARRAY,
  description: 'Removes all elements from the input array equal to the given element.',
  overloads: [
    {
      params: ['ARRAY<T>', 'T'],
      returns: 'ARRAY<T>',
      nullTolerant: true,
      fn: (a: unknown[] | null, v: unknown) => {
        if (a === null) return null;
        const k = valueKey(v);
        return a.filter((x) => valueKey(x) !== k);
      },
    },
  ],
});
