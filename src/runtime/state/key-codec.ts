import { Decimal } from '../../common/decimal.js';

/**
 * A string that is equal for equal key tuples, used to index state by key. Fast
 * path for one string or number key; falls back to a tagged JSON form.
 */
export function keyString(values: readonly unknown[] | null): string {
  if (values === null) return '\u0000';
  if (values.length === 1) {
    const v = values[0];
    if (typeof v === 'string') return `s${v}`;
    if (typeof v === 'number') return `n${v}`;
  }
  return `j${JSON.stringify(values, replacer)}`;
}

function replacer(this: unknown, _k: string, v: unknown): unknown {
  if (v instanceof Decimal) return { $d: v.toString() };
  if (v instanceof Map) return { $m: [...v.entries()] };
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer') return { $b: (v as { data: number[] }).data };
  return v;
}
