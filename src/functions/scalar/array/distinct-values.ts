import { valueKey } from '../../support/sql-values.js';

/** Distinct values in first-seen order (nulls count as one value). */
export function distinct(xs: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const x of xs) {
    const k = valueKey(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x ?? null);
  }
  return out;
}

/** The set of value keys of an array. */
export function keysOf(xs: readonly unknown[]): Set<string> {
  return new Set(xs.map(valueKey));
}
