import type { SqlType } from '../../common/types.js';
import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';
import { valueKey } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';
import { limitFrom } from './collect-list.js';

/** Property limiting the collected set's size (ksqlDB's CollectSetUdaf.LIMIT_CONFIG, default unlimited). */
export const COLLECT_SET_LIMIT = 'ksql.functions.collect_set.limit';

/**
 * Accumulator: distinct encoded values in first-seen order, at most `limit`.
 * No undo: ksqlDB's CollectSetUdaf is a plain Udaf (a set cannot take back one
 * of several equal values), so COLLECT_SET is refused over a table source.
 */
function collectSet(t: SqlType, limit: number): AggregateImpl<unknown[]> {
  const indexOf = (acc: unknown[], v: unknown): number => {
    const key = valueKey(v);
    return acc.findIndex((x) => valueKey(decodeValue(x, t)) === key);
  };
  return {
    init: () => [],
    add: (acc, args) => {
      const v = args[0] ?? null;
      if (acc.length < limit && indexOf(acc, v) < 0) acc.push(encodeValue(v, t));
      return acc;
    },
    merge: (a, b) => {
      for (const x of b) {
        if (a.length >= limit) break;
        if (indexOf(a, decodeValue(x, t)) < 0) a.push(x);
      }
      return a;
    },
    result: (acc) => acc.map((v) => decodeValue(v, t)),
  };
}

/** COLLECT_SET(col): the distinct values of the group in first-seen order. */
export const collectSetAgg = defineAggregate({
  name: 'COLLECT_SET',
  description: 'Gather all of the distinct values from an input grouping into a single Array.',
  overloads: [{ params: ['T'], returns: 'ARRAY<T>', make: (ctx) => collectSet(ctx.types[0]!, limitFrom(ctx.config, COLLECT_SET_LIMIT)) }],
});
