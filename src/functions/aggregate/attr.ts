import type { SqlType } from '../../common/types.js';
import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';
import { valueKey } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';
import { attrIntermediate } from './intermediate-types.js';

/** Accumulator: [encoded value, count] entries; counts never drop below zero. */
type Entries = [unknown, number][];

function attr(t: SqlType): AggregateImpl<Entries> {
  const update = (acc: Entries, v: unknown, n: number): Entries => {
    const key = valueKey(v);
    const e = acc.find((x) => valueKey(decodeValue(x[0], t)) === key);
    if (e) e[1] = Math.max(0, e[1] + n);
    else if (n > 0) acc.push([encodeValue(v, t), n]);
    return acc;
  };
  return {
    init: () => [],
    add: (acc, args) => update(acc, args[0] ?? null, 1),
    undo: (acc, args) => update(acc, args[0] ?? null, -1),
    merge: (a, b) => {
      for (const [v, n] of b) update(a, decodeValue(v, t), n);
      return a;
    },
    result: (acc) => {
      const live = acc.filter((e) => e[1] > 0);
      return live.length === 1 ? decodeValue(live[0]![0], t) : null;
    },
  };
}

/** ATTR(col): the group's single value, or null when it holds more than one distinct value. */
export const attrAgg = defineAggregate({
  name: 'ATTR',
  description:
    'The ATTR() aggregation indicates there are multiple values, but only one was expected. If the aggregation encounters more than a single value for the expected singular column, the entire aggregation will return null.',
  overloads: [{ params: ['T'], returns: 'T', intermediate: (ctx) => attrIntermediate(ctx.types[0]!), make: (ctx) => attr(ctx.types[0]!) }],
});
