import { T } from '../../common/types.js';
import { defineAggregate } from '../define/define-aggregate.js';
import { valueKey } from '../support/sql-values.js';

/**
 * COUNT_DISTINCT: the number of distinct non-null values. ksqlDB estimates with a
 * HyperLogLog sketch; this counts exactly, which agrees for small groups.
 * The accumulator is an object whose keys are the distinct values' keys.
 */
export const countDistinct = defineAggregate({
  name: 'COUNT_DISTINCT',
  description: 'Returns the approximate number of unique values of the column.',
  overloads: [
    {
      params: ['ANY'],
      returns: 'BIGINT',
      intermediate: () => T.array(T.INTEGER),
      make: () => ({
        init: () => ({}) as Record<string, 1>,
        add: (acc: Record<string, 1>, args) => {
          if (args[0] != null) acc[valueKey(args[0])] = 1;
          return acc;
        },
        merge: (a: Record<string, 1>, b: Record<string, 1>) => Object.assign(a, b),
        result: (acc: Record<string, 1>) => Object.keys(acc).length,
      }),
    },
  ],
});
