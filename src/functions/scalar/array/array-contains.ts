import { Category, defineScalar } from '../../define/define-scalar.js';
import { valuesEqual } from '../../support/sql-values.js';

/** ARRAY_CONTAINS(array, value): false for a null array; finds nulls too. */
export const arrayContains = defineScalar({
  name: 'ARRAY_CONTAINS',
  category: Category.ARRAY,
  description: 'Returns true if the array is non-null and contains the supplied value.',
  overloads: [
    {
      params: ['ARRAY<T>', 'T'],
      returns: 'BOOLEAN',
      nullTolerant: true,
      // biome-ignore lint/complexity/useOptionalChain: a NULL array gives false, not NULL (ksqlDB's ArrayContains)
      fn: (a: unknown[] | null, v: unknown) => a !== null && a.some((x) => valuesEqual(x ?? null, v ?? null)),
    },
  ],
});
