import type { SqlType } from '../../common/types.js';
import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';
import { valueKey } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';

/** Accumulator: distinct encoded values in first-seen order. */
function collectSet(t: SqlType): AggregateImpl<unknown[]> {
  const indexOf = (acc: unknown[], v: unknown): number => {
    const key = valueKey(v);
    return acc.findIndex((x) => valueKey(decodeValue(x, t)) === key);
  };
  return {
    init: () => [],
    add: (acc, args) => {
      const v = args[0] ?? null;
      if (indexOf(acc, v) < 0) acc.push(encodeValue(v, t));
      return acc;
    },
    undo: (acc, args) => {
      const i = indexOf(acc, args[0] ?? null);
      if (i >= 0) acc.splice(i, 1);
      return acc;
    },
    merge: (a, b) => {
      for (const x of b) if (indexOf(a, decodeValue(x, t)) < 0) a.push(x);
      return a;
    },
    result: (acc) => acc.map((v) => decodeValue(v, t)),
  };
}

/** COLLECT_SET(col): the distinct values of the group in first-seen order. */
export const collectSetAgg = defineAggregate({
  name: 'COLLECT_SET',
  description: 'Gather all of the distinct values from an input grouping into a single Array.',
  overloads: [{ params: ['T'], returns: 'ARRAY<T>', make: (ctx) => collectSet(ctx.types[0]!) }],
});
