import { defineTable } from '../define/define-table.js';
import { FunctionArgumentError } from '../support/bounds.js';

/** ksqlDB's Cube.MAX_COLUMNS: 2^20 output rows at most. */
export const MAX_CUBE_COLUMNS = 20;

/**
 * Every combination of keeping or nulling each element, first element varying
 * slowest and the all-null combination first; null elements have one choice only.
 */
export function cubeCombinations(list: readonly unknown[]): unknown[][] {
  if (list.length > MAX_CUBE_COLUMNS) {
    throw new FunctionArgumentError(
      `CUBE_EXPLODE input size (${list.length}) exceeds the maximum of ${MAX_CUBE_COLUMNS} columns. The output cardinality is 2^N rows and would exhaust server memory.`,
    );
  }
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
