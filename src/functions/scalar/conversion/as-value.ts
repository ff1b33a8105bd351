import { Category, defineScalar } from '../../define/define-scalar.js';

/** AS_VALUE(col): copies a key column into the value (identity on the value). */
export const asValue = defineScalar({
  name: 'AS_VALUE',
  category: Category.OTHER,
  description: 'Used exclusively in the projection of a query to allow a key column to be copied into the value schema. Has no affect if used anywhere else.',
  overloads: [{ params: ['T'], returns: 'T', nullTolerant: true, fn: (x: unknown) => x ?? null }],
});
