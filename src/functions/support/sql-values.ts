import { Decimal } from '../../common/decimal.js';

/** Java Double.compare: NaN above everything (and equal to itself), -0.0 below 0.0. */
function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a !== 0 ? 0 : (Object.is(a, -0) ? 0 : 1) - (Object.is(b, -0) ? 0 : 1);
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

/**
 * Orders two non-null SQL values of the same type as ksqlDB (Java's compareTo):
 * numbers and temporal values numerically, strings by UTF-16 code units, booleans
 * false < true, bytes unsigned lexicographically, arrays element-wise.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return compareDoubles(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  if (a instanceof Decimal && typeof b === 'number') return a.toNumber() - b;
  if (typeof a === 'number' && b instanceof Decimal) return a - b.toNumber();
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x === null || y === null) {
        if (x !== y) return x === null ? -1 : 1;
        continue;
      }
      const c = compareValues(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return 0;
}

/**
 * A string that is equal for equal SQL values (Java equals semantics: a DECIMAL's
 * scale counts, struct fields by name, maps by entries). Used for sets and distinct.
 */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  switch (typeof v) {
    case 'number':
      return `#${Object.is(v, -0) ? '-0' : String(v)}`;
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 't' : 'f';
    default:
      break;
  }
  if (v instanceof Decimal) return `d${v.toString()}`;
  if (Buffer.isBuffer(v)) return `b${v.toString('base64')}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (v instanceof Map) {
    // Java map equality ignores entry order.
    const parts = [...v].map(([k, x]) => `${valueKey(k)}:${valueKey(x)}`).sort();
    return `{${parts.join(',')}}`;
  }
  if (typeof v === 'object') {
    return `(${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}:${valueKey(x)}`)
      .join(',')})`;
  }
  return String(v);
}

/** SQL value equality (Java equals: 1.0 and 1.00 as DECIMAL differ). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== 'object' && typeof b !== 'object') return Number.isNaN(a) && Number.isNaN(b);
  return valueKey(a) === valueKey(b);
}
