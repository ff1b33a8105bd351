import { Category, defineScalar } from '../../define/define-scalar.js';

/**
 * ksqlDB's Slice: List.subList(from - 1, to), 1-based and inclusive. A null
 * `from` starts at the first element and a null `to` ends at the last; bounds
 * outside the array (or from past to) give null, as subList's
 * IndexOutOfBoundsException does in ksqlDB, rather than clamping.
 */
function subList(list: unknown[] | null, from: number | null, to: number | null): unknown[] | null {
  if (list === null) return null;
  const start = from === null ? 0 : from - 1;
  const end = to === null ? list.length : to;
  if (start < 0 || end > list.length || start > end) return null;
  return list.slice(start, end);
}

/** SLICE(array, from, to): 1-based inclusive sub-array. */
export const slice = defineScalar({
  name: 'SLICE',
  category: Category.ARRAY,
  description:
    'Returns a subset of the array from the start index (1-based, inclusive) to the end index (inclusive). A NULL index means the start or end of the array; indexes outside the array return NULL.',
  overloads: [{ params: ['ARRAY<T>', 'INT', 'INT'], returns: 'ARRAY<T>', nullTolerant: true, fn: subList }],
});
