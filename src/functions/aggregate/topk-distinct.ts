import { defineAggregate } from '../define/define-aggregate.js';
import { checkTopK, kOf, topK } from './topk-support.js';

/** TOPKDISTINCT(col, k): the k highest distinct values, highest first. Streams only. */
export const topkDistinct = defineAggregate({
  name: 'TOPKDISTINCT',
  description: 'Calculates the TopK distinct values for a column, per key.',
  overloads: [
    {
      params: ['T', 'INT'],
      returns: 'ARRAY<T>',
      literals: [1],
      check: checkTopK('TOPKDISTINCT'),
      make: (ctx) => topK([ctx.types[0]!], kOf(ctx), true),
    },
  ],
});
