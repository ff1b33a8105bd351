import { type AggregateImpl, defineAggregate } from '../define/define-aggregate.js';

/** Sums the non-null elements of each array (INTEGER sums wrap at 32 bits like Java). */
function listSum(wrapInt: boolean): AggregateImpl<number> {
  const fix = wrapInt ? (n: number) => n | 0 : (n: number) => n;
  const total = (a: readonly unknown[] | null | undefined): number => {
    let s = 0;
    for (const x of a ?? []) if (typeof x === 'number') s = fix(s + x);
    return s;
  };
  return {
    init: () => 0,
    add: (acc, args) => fix(acc + total(args[0] as unknown[] | null)),
    undo: (acc, args) => fix(acc - total(args[0] as unknown[] | null)),
    merge: (a, b) => fix(a + b),
    result: (acc) => acc,
  };
}

/** SUM_LIST(array): the sum of every element of every row's array. */
export const sumList = defineAggregate({
  name: 'SUM_LIST',
  description: 'Returns the sum of all the elements of the arrays in the group.',
  overloads: [
    { params: ['ARRAY<INT>'], returns: 'INT', make: () => listSum(true) },
    { params: ['ARRAY<BIGINT>'], returns: 'BIGINT', make: () => listSum(false) },
    { params: ['ARRAY<DOUBLE>'], returns: 'DOUBLE', make: () => listSum(false) },
  ],
});
