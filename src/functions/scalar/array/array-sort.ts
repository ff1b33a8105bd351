import { Category, defineScalar } from '../../define/define-scalar.js';
import { compareValues } from '../../support/sql-values.js';

const DIRECTIONS: Readonly<Record<string, number>> = { ASC: 1, ASCENDING: 1, DESC: -1, DESCENDING: -1 };

function sort(a: unknown[], direction = 'ASC'): unknown[] | null {
  const sign = DIRECTIONS[direction.toUpperCase()];
  if (sign === undefined) return null;
  return [...a].sort((x, y) => {
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * compareValues(x, y);
  });
}

/** ARRAY_SORT(array [, 'ASC[ENDING]' | 'DESC[ENDING]']): natural order, nulls last either way; any other direction gives null. */
export const arraySort = defineScalar({
  name: 'ARRAY_SORT',
  category: Category.ARRAY,
  description:
    'Sorts an array of primitive values, according to their natural sort order. Any NULLs in the array are placed at the end. The optional direction is ASC (default) or DESC.',
  overloads: [
    { params: ['ARRAY<T>'], returns: 'ARRAY<T>', fn: sort },
    { params: ['ARRAY<T>', 'STRING'], returns: 'ARRAY<T>', fn: sort },
  ],
});
