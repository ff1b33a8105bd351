import { T } from '../../common/types.js';
import { defineAggregate } from '../define/define-aggregate.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { checkTopK, kOf, topK } from './topk-support.js';

/** TOPK(col, [other, …,] k) with up to this many extra columns. */
const MAX_EXTRA = 8;

function structResult(ctx: ResolveContext) {
  const types = ctx.types.slice(0, -1).map((t) => t!);
  return T.array(T.struct([{ name: 'sort_col', type: types[0]! }, ...types.slice(1).map((type, i) => ({ name: `col${i}`, type }))]));
}

/** TOPK: the k highest values (or rows, as STRUCT<sort_col, col0, …>), highest first. Streams only. */
export const topk = defineAggregate({
  name: 'TOPK',
  description: 'Computes the top k values for a column, per key.',
  overloads: [
    {
      params: ['T', 'INT'],
      returns: 'ARRAY<T>',
      literals: [1],
      check: checkTopK('TOPK'),
      make: (ctx) => topK([ctx.types[0]!], kOf(ctx), false),
    },
    ...Array.from({ length: MAX_EXTRA }, (_, n) => ({
      params: ['T', ...Array.from({ length: n + 1 }, () => 'ANY'), 'INT'],
      returns: structResult,
      literals: [n + 2],
      check: checkTopK('TOPK'),
      make: (ctx: ResolveContext) =>
        topK(
          ctx.types.slice(0, -1).map((t) => t!),
          kOf(ctx),
          false,
        ),
    })),
  ],
});
