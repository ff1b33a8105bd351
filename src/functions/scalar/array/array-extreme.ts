import { compareValues } from '../../support/sql-values.js';

/** The extreme non-null element (sign 1 = max), or null. */
export function arrayExtreme(a: readonly unknown[], sign: 1 | -1): unknown {
  let best: unknown = null;
  for (const x of a) {
    if (x === null || x === undefined) continue;
    if (best === null || compareValues(x, best) * sign > 0) best = x;
  }
  return best;
}
