import { Category, defineScalar } from '../../define/define-scalar.js';
import { valuesEqual } from '../../support/sql-values.js';

/** NULLIF(a, b): null when a equals b, else a. */
export const nullif = defineScalar({
  name: 'NULLIF',
  category: Category.CONDITIONAL,
  description: 'Returns NULL if expr1 is equal to expr2; otherwise it returns expr1.',
  overloads: [
    {
      params: ['T', 'T'],
      returns: 'T',
      nullTolerant: true,
      fn: (a: unknown, b: unknown) => (a === null || a === undefined ? null : b !== null && valuesEqual(a, b) ? null : a),
    },
  ],
});
