import { Decimal } from '../../common/decimal.js';
import { ExecutionError } from '../../common/errors.js';
import { formatDate, formatTime, formatTimestamp, javaDoubleToString, parseDate, parseTime, parseTimestamp } from '../../common/java-text.js';
import { formatType, type SqlType } from '../../common/types.js';

const DAY_MS = 86_400_000;

/** Java-like `toString` of a SQL value of type `t` (what CAST(x AS STRING) gives). */
export function valueToString(v: unknown, t: SqlType): string | null {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'STRING':
      return v as string;
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
      return String(v);
    case 'DOUBLE':
      return javaDoubleToString(v as number);
    case 'DECIMAL':
      return (v as Decimal).toString();
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number);
    case 'BYTES':
      return (v as Buffer).toString('base64');
    case 'ARRAY':
      return `[${(v as unknown[]).map((x) => valueToString(x, t.item) ?? 'null').join(', ')}]`;
    case 'MAP':
      return `{${[...(v as Map<unknown, unknown>).entries()].map(([k, x]) => `${valueToString(k, t.key) ?? 'null'}=${valueToString(x, t.value) ?? 'null'}`).join(', ')}}`;
    case 'STRUCT':
      return `Struct{${t.fields
        .filter((f) => (v as Record<string, unknown>)[f.name] !== null && (v as Record<string, unknown>)[f.name] !== undefined)
        .map((f) => `${f.name}=${valueToString((v as Record<string, unknown>)[f.name], f.type)}`)
        .join(',')}}`;
  }
}

function parseNumberStrict(s: string, t: SqlType): number {
  const x = s.trim();
  if (t.kind === 'INTEGER' || t.kind === 'BIGINT') {
    if (!/^[+-]?\d+$/.test(x)) throw new ExecutionError(`invalid input syntax for type ${t.kind}: "${s}"`);
    const n = Number(x);
    if (t.kind === 'INTEGER' && (n > 2147483647 || n < -2147483648)) throw new ExecutionError(`Value out of range for INTEGER: "${s}"`);
    return n;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x) && !/^[+-]?(NaN|Infinity)$/.test(x)) {
    throw new ExecutionError(`invalid input syntax for type ${t.kind}: "${s}"`);
  }
  return Number(x);
}

function toDecimal(v: unknown, from: SqlType, to: { precision: number; scale: number }): Decimal {
  let d: Decimal;
  if (v instanceof Decimal) d = v;
  else if (typeof v === 'number') d = Decimal.fromNumber(v);
  else if (typeof v === 'string') {
    try {
      d = Decimal.parse(v);
    } catch {
      throw new ExecutionError(`invalid input syntax for type DECIMAL: "${v}"`);
    }
  } else throw new ExecutionError(`Cannot cast ${formatType(from)} to DECIMAL`);
  const r = d.setScale(to.scale);
  if (r.precision > to.precision && r.unscaled !== 0n) {
    throw new ExecutionError(
      `Numeric field overflow: A field with precision ${to.precision} and scale ${to.scale} must round to an absolute value less than 10^${to.precision - to.scale}. Got ${d.toString()}`,
    );
  }
  return r;
}

/** CAST semantics of ksqlDB (Java narrowing for numbers, ISO text for temporals). */
export function castValue(v: unknown, from: SqlType, to: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (to.kind) {
    case 'STRING':
      return valueToString(v, from);
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (s === 'true' || s === 't' || s === 'yes' || s === 'y') return true;
        if (s === 'false' || s === 'f' || s === 'no' || s === 'n') return false;
        throw new ExecutionError(`invalid input syntax for type BOOLEAN: "${v}"`);
      }
      throw new ExecutionError(`Cannot cast ${formatType(from)} to BOOLEAN`);
    case 'INTEGER':
    case 'BIGINT': {
      let n: number;
      if (typeof v === 'bigint') return to.kind === 'BIGINT' ? v : Number(BigInt.asIntN(32, v));
      if (typeof v === 'number') n = v;
      else if (v instanceof Decimal) n = Number(v.setScale(0).unscaled === v.unscaled ? v.unscaled : truncDecimal(v));
      else if (typeof v === 'string') n = parseNumberStrict(v, to);
      else throw new ExecutionError(`Cannot cast ${formatType(from)} to ${to.kind}`);
      n = Math.trunc(n);
      if (to.kind === 'INTEGER') return from.kind === 'DOUBLE' ? clampInt(n) : n | 0;
      return n;
    }
    case 'DOUBLE':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (v instanceof Decimal) return v.toNumber();
      if (typeof v === 'string') return parseNumberStrict(v, to);
      throw new ExecutionError(`Cannot cast ${formatType(from)} to DOUBLE`);
    case 'DECIMAL':
      return toDecimal(v, from, to);
    case 'TIMESTAMP':
      if (from.kind === 'DATE') return (v as number) * DAY_MS;
      if (typeof v === 'string') return wrapParse(() => parseTimestamp(v));
      return v;
    case 'DATE':
      if (from.kind === 'TIMESTAMP') return Math.floor((v as number) / DAY_MS);
      if (typeof v === 'string') return wrapParse(() => parseDate(v));
      return v;
    case 'TIME':
      if (from.kind === 'TIMESTAMP') return (((v as number) % DAY_MS) + DAY_MS) % DAY_MS;
      if (typeof v === 'string') return wrapParse(() => parseTime(v));
      return v;
    case 'BYTES':
      return v;
    case 'ARRAY':
      if (from.kind !== 'ARRAY') throw new ExecutionError(`Cannot cast ${formatType(from)} to ${formatType(to)}`);
      return (v as unknown[]).map((x) => castValue(x, from.item, to.item));
    case 'MAP': {
      if (from.kind !== 'MAP') throw new ExecutionError(`Cannot cast ${formatType(from)} to ${formatType(to)}`);
      const out = new Map<unknown, unknown>();
      for (const [k, x] of v as Map<unknown, unknown>) out.set(castValue(k, from.key, to.key), castValue(x, from.value, to.value));
      return out;
    }
    case 'STRUCT': {
      if (from.kind !== 'STRUCT') throw new ExecutionError(`Cannot cast ${formatType(from)} to ${formatType(to)}`);
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of to.fields) {
        const ff = from.fields.find((x) => x.name === f.name);
        out[f.name] = ff ? castValue(src[ff.name] ?? null, ff.type, f.type) : null;
      }
      return out;
    }
  }
}

function wrapParse(f: () => number): number {
  try {
    return f();
  } catch (e) {
    throw new ExecutionError((e as Error).message);
  }
}

function truncDecimal(d: Decimal): bigint {
  return d.scale <= 0 ? d.unscaled * 10n ** BigInt(-d.scale) : d.unscaled / 10n ** BigInt(d.scale);
}

/** Java's (int) cast of a double: saturating. */
function clampInt(n: number): number {
  if (Number.isNaN(n)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/** Total order used by comparisons, MIN/MAX and sorting; both non-null and of one type. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  return valuesEqual(a, b) ? 0 : String(a) < String(b) ? -1 : 1;
}

/** Deep equality of SQL values (null equals null here; SQL null logic is the caller's). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b) === 0;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
