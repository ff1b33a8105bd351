import { defineTable } from '../define/define-table.js';

/** EXPLODE(array): one row per element, in order; a null or empty array gives no rows. */
export const explode = defineTable({
  name: 'EXPLODE',
  description: 'Explodes an array. This function outputs one value for each element of the array.',
  overloads: [{ params: ['ARRAY<T>'], returns: 'T', fn: (list: unknown[]) => list }],
});
