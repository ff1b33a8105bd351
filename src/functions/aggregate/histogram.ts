import { defineAggregate } from '../define/define-aggregate.js';

const LIMIT = 1000;

/**
 * HISTOGRAM(col): MAP of each distinct non-null string to its count (at most 1000
 * distinct values). Accumulator: [value, count] pairs in first-seen order.
 */
export const histogram = defineAggregate({
  name: 'HISTOGRAM',
  description:
    'Returns a map containing the distinct String values of col1 mapped to the number of times each one occurs for the given window. This version limits the number of distinct values which can be counted to 1000, beyond which any additional entries are ignored.',
  overloads: [
    {
      params: ['STRING'],
      returns: 'MAP<STRING, BIGINT>',
      make: () => ({
        init: () => [] as [string, number][],
        add: (acc: [string, number][], args) => {
          const v = args[0] as string | null;
          if (v == null) return acc;
          const e = acc.find((x) => x[0] === v);
          if (e) e[1]++;
          else if (acc.length < LIMIT) acc.push([v, 1]);
          return acc;
        },
        undo: (acc: [string, number][], args) => {
          const i = acc.findIndex((x) => x[0] === args[0]);
          if (i >= 0 && --acc[i]![1] < 1) acc.splice(i, 1);
          return acc;
        },
        merge: (a: [string, number][], b: [string, number][]) => {
          for (const [k, n] of b) {
            const e = a.find((x) => x[0] === k);
            if (e) e[1] += n;
            else if (a.length < LIMIT) a.push([k, n]);
          }
          return a;
        },
        result: (acc: [string, number][]) => new Map(acc),
      }),
    },
  ],
});
