import type { SqlType } from '../../common/types.js';
import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';
import { valueKey } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';

/** Accumulator: the encoded values in arrival order (nulls included). */
function collectList(t: SqlType): AggregateImpl<unknown[]> {
  return {
    init: () => [],
    add: (acc, args) => {
      acc.push(encodeValue(args[0] ?? null, t));
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
    merge: (a, b) => a.concat(b),
    result: (acc) => acc.map((v) => decodeValue(v, t)),
  };
}

/** COLLECT_LIST(col): every value of the group, in arrival order, nulls included. */
export const collectListAgg = defineAggregate({
  name: 'COLLECT_LIST',
  description: 'Gather all of the values from an input grouping into a single Array field.',
  overloads: [{ params: ['T'], returns: 'ARRAY<T>', make: (ctx) => collectList(ctx.types[0]!) }],
});
