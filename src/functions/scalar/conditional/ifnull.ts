import { Category, defineScalar } from '../../define/define-scalar.js';

/** IFNULL(expr, alt): expr unless it is null, then alt. */
export const ifnull = defineScalar({
  name: 'IFNULL',
  category: Category.CONDITIONAL,
  description: 'If the provided VALUE is NULL, return ALTERNATIVE; otherwise return VALUE.',
  overloads: [{ params: ['T', 'T'], returns: 'T', nullTolerant: true, fn: (x: unknown, alt: unknown) => x ?? alt ?? null }],
});
