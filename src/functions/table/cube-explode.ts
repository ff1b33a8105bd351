import { defineTable } from '../define/define-table.js';

/**
 * Every combination of keeping or nulling each element, first element varying
 * slowest and the all-null combination first; null elements have one choice only.
 */
export function cubeCombinations(list: readonly unknown[]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const v of list) {
    const next: unknown[][] = [];
    for (const prefix of out) {
      next.push([...prefix, null]);
      if (v !== null && v !== undefined) next.push([...prefix, v]);
    }
    out = next;
  }
  return out;
}

/** CUBE_EXPLODE(array): one row per combination of its elements and nulls. */
export const cubeExplode = defineTable({
  name: 'CUBE_EXPLODE',
  description: 'Takes as argument a list of columns and outputs all possible combinations of them.',
  overloads: [{ params: ['ARRAY<T>'], returns: 'ARRAY<T>', fn: cubeCombinations }],
});
