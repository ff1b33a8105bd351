import { Category, defineScalar } from '../../define/define-scalar.js';

/** SLICE(array, from, to): 1-based inclusive sub-array (clamped). */
export const slice = defineScalar({
  name: 'SLICE',
  category: Category.ARRAY,
  description: 'Returns a subset of the array from the start index (1-based, inclusive) to the end index (inclusive).',
  overloads: [
    {
      params: ['ARRAY<T>', 'INT', 'INT'],
      returns: 'ARRAY<T>',
      fn: (a: unknown[], from: number, to: number) => a.slice(Math.max(from - 1, 0), Math.max(to, 0)),
    },
  ],
});
