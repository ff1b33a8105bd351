import { Category, defineScalar } from '../../define/define-scalar.js';
import { compareValues } from '../../support/sql-values.js';

function sort(a: unknown[], direction = 'ASC'): unknown[] | null {
  const d = direction.toUpperCase();
  if (d !== 'ASC' && d !== 'DESC') return null;
  const sign = d === 'ASC' ? 1 : -1;
  return [...a].sort((x, y) => {
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * compareValues(x, y);
  });
}

/** ARRAY_SORT(array [, 'ASC' | 'DESC']): natural order, nulls last either way. */
export const arraySort = defineScalar({
  name: 'ARRAY_SORT',
  category: Category.ARRAY,
  description: 'Sorts an array of primitive values, according to their natural sort order. Any NULLs in the array are placed at the end. The optional direction is ASC (default) or DESC.',
  overloads: [
    { params: ['ARRAY<T>'], returns: 'ARRAY<T>', fn: sort },
    { params: ['ARRAY<T>', 'STRING'], returns: 'ARRAY<T>', fn: sort },
  ],
});
