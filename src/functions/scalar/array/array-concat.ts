import { Category, defineScalar } from '../../define/define-scalar.js';

/** ARRAY_CONCAT(a, b): a then b; a null side is treated as empty, both null gives null. */
export const arrayConcat = defineScalar({
  name: 'ARRAY_CONCAT',
  category: Category.ARRAY,
  description:
    'Returns an array representing the concatenation of both input arrays. Returns NULL if both input arrays are NULL; a single NULL input is treated as empty.',
  overloads: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      returns: 'ARRAY<T>',
      nullTolerant: true,
      fn: (a: unknown[] | null, b: unknown[] | null) => (a === null && b === null ? null : [...(a ?? []), ...(b ?? [])]),
    },
  ],
});
