import type { SqlType } from '../../common/types.js';
import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';
import { valueKey } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';

/** Property limiting the collected list's size (ksqlDB default: unlimited). */
export const COLLECT_LIST_LIMIT = 'ksql.functions.collect_list.limit';

/** The configured limit; negative or absent means unlimited. */
export function limitFrom(config: Readonly<Record<string, unknown>>, key: string): number {
  const v = config[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseInt(v, 10) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : Number.MAX_SAFE_INTEGER;
}

/** Accumulator: the encoded values in arrival order (nulls included), at most `limit`. */
function collectList(t: SqlType, limit: number): AggregateImpl<unknown[]> {
  return {
    init: () => [],
    add: (acc, args) => {
      if (acc.length < limit) acc.push(encodeValue(args[0] ?? null, t));
      return acc;
    },
    // ksqlDB removes the last equal value, not the one the retracted row added.
    undo: (acc, args) => {
      const key = valueKey(args[0] ?? null);
      for (let i = acc.length - 1; i >= 0; i--) {
        if (valueKey(decodeValue(acc[i], t)) === key) {
          acc.splice(i, 1);
          break;
        }
      }
      return acc;
    },
    merge: (a, b) => a.concat(b.slice(0, Math.max(0, limit - a.length))),
    result: (acc) => acc.map((v) => decodeValue(v, t)),
  };
}

/** COLLECT_LIST(col): every value of the group, in arrival order, nulls included. */
export const collectListAgg = defineAggregate({
  name: 'COLLECT_LIST',
  description: 'Gather all of the values from an input grouping into a single Array field.',
  overloads: [{ params: ['T'], returns: 'ARRAY<T>', make: (ctx) => collectList(ctx.types[0]!, limitFrom(ctx.config, COLLECT_LIST_LIMIT)) }],
});
