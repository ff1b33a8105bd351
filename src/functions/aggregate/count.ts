import { defineAggregate } from '../define/define-aggregate.js';

/** COUNT(*) counts rows; COUNT(col) counts rows where col is not null. */
export const count = defineAggregate({
  name: 'COUNT',
  description: 'Counts records by key.',
  overloads: [
    {
      params: [],
      returns: 'BIGINT',
      make: () => ({
        init: () => 0,
        add: (acc: number) => acc + 1,
        undo: (acc: number) => acc - 1,
        merge: (a: number, b: number) => a + b,
        result: (acc: number) => acc,
      }),
    },
    {
      params: ['ANY'],
      returns: 'BIGINT',
      make: () => ({
        init: () => 0,
        add: (acc: number, args) => (args[0] === null || args[0] === undefined ? acc : acc + 1),
        undo: (acc: number, args) => (args[0] === null || args[0] === undefined ? acc : acc - 1),
        merge: (a: number, b: number) => a + b,
        result: (acc: number) => acc,
      }),
    },
  ],
});
