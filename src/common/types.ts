/**
 * SQL types as ksqlDB defines them. A `SqlType` is an immutable value; compare
 * with {@link typeEquals}, print with {@link formatType}.
 *
 * Runtime value representation (every operator, serde and function relies on it):
 * - BOOLEAN: `boolean`; INTEGER, BIGINT, DOUBLE: `number` (INTEGER is int32, BIGINT an
 *   integral number); DECIMAL: {@link Decimal}; STRING: `string`; BYTES: `Buffer`;
 * - DATE: `number` days since the epoch; TIME: `number` milliseconds of the day;
 *   TIMESTAMP: `number` milliseconds since the epoch (UTC);
 * - ARRAY: `unknown[]`; MAP: `Map<unknown, unknown>` (insertion ordered);
 *   STRUCT: a plain object keyed by field name in declared order;
 * - SQL NULL: `null` (never `undefined`).
 */
export type SqlType =
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'INTEGER' }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'STRING' }
  | { readonly kind: 'BYTES' }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIME' }
  | { readonly kind: 'TIMESTAMP' }
  | { readonly kind: 'ARRAY'; readonly item: SqlType }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'STRUCT'; readonly fields: readonly StructField[] };

/** One field of a STRUCT type; `name` keeps the case it was declared with. */
export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];

export const T = {
  BOOLEAN: { kind: 'BOOLEAN' } as SqlType,
  INTEGER: { kind: 'INTEGER' } as SqlType,
  BIGINT: { kind: 'BIGINT' } as SqlType,
  DOUBLE: { kind: 'DOUBLE' } as SqlType,
  STRING: { kind: 'STRING' } as SqlType,
  BYTES: { kind: 'BYTES' } as SqlType,
  DATE: { kind: 'DATE' } as SqlType,
  TIME: { kind: 'TIME' } as SqlType,
  TIMESTAMP: { kind: 'TIMESTAMP' } as SqlType,
  decimal: (precision: number, scale: number): SqlType => ({ kind: 'DECIMAL', precision, scale }),
  array: (item: SqlType): SqlType => ({ kind: 'ARRAY', item }),
  map: (key: SqlType, value: SqlType): SqlType => ({ kind: 'MAP', key, value }),
  struct: (fields: readonly StructField[]): SqlType => ({ kind: 'STRUCT', fields }),
} as const;

/** Structural type equality (struct field names compared exactly). */
export function typeEquals(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'DECIMAL': {
      const o = b as typeof a;
      return a.precision === o.precision && a.scale === o.scale;
    }
    case 'ARRAY':
      return typeEquals(a.item, (b as typeof a).item);
    case 'MAP': {
      const o = b as typeof a;
      return typeEquals(a.key, o.key) && typeEquals(a.value, o.value);
    }
    case 'STRUCT': {
      const o = b as typeof a;
      return a.fields.length === o.fields.length && a.fields.every((f, i) => f.name === o.fields[i]!.name && typeEquals(f.type, o.fields[i]!.type));
    }
    default:
      return true;
  }
}

/** ksqlDB's textual form, e.g. `ARRAY<STRUCT<`A` INTEGER>>`, `DECIMAL(4, 2)`. */
export function formatType(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatType(t.item)}>`;
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `\`${f.name}\` ${formatType(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}

export function isNumeric(t: SqlType): boolean {
  return t.kind === 'INTEGER' || t.kind === 'BIGINT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
}

/** Precision and scale a whole-number type widens to as a DECIMAL (ksqlDB's rules). */
export function decimalOf(t: SqlType): { precision: number; scale: number } | undefined {
  switch (t.kind) {
    case 'INTEGER':
      return { precision: 10, scale: 0 };
    case 'BIGINT':
      return { precision: 19, scale: 0 };
    case 'DECIMAL':
      return { precision: t.precision, scale: t.scale };
    default:
      return undefined;
  }
}

const NUMERIC_RANK: Partial<Record<SqlTypeKind, number>> = { INTEGER: 1, BIGINT: 2, DECIMAL: 3, DOUBLE: 4 };

/**
 * Whether a value of type `from` may be used where `to` is expected without an
 * explicit CAST (ksqlDB's implicit widening: INT → BIGINT → DECIMAL → DOUBLE, and
 * structurally for containers).
 */
export function canImplicitlyCast(from: SqlType, to: SqlType): boolean {
  if (typeEquals(from, to)) return true;
  const rf = NUMERIC_RANK[from.kind];
  const rt = NUMERIC_RANK[to.kind];
  if (rf !== undefined && rt !== undefined) {
    if (to.kind === 'DECIMAL' && from.kind === 'DECIMAL') {
      return to.precision - to.scale >= from.precision - from.scale && to.scale >= from.scale;
    }
    if (to.kind === 'DECIMAL') {
      const d = decimalOf(from)!;
      return to.precision - to.scale >= d.precision - d.scale;
    }
    return rf <= rt;
  }
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return canImplicitlyCast(from.item, to.item);
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    return canImplicitlyCast(from.key, to.key) && canImplicitlyCast(from.value, to.value);
  }
  return false;
}

/**
 * The common type two numeric types widen to in arithmetic and comparison, or
 * undefined when they do not meet. DECIMAL with DECIMAL keeps enough digits for both.
 */
export function widerNumeric(a: SqlType, b: SqlType): SqlType | undefined {
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra === undefined || rb === undefined) return undefined;
  if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return T.DOUBLE;
  if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
    const da = decimalOf(a)!;
    const db = decimalOf(b)!;
    const scale = Math.max(da.scale, db.scale);
    const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
    return T.decimal(Math.min(38, intDigits + scale), scale);
  }
  return ra >= rb ? a : b;
}

/** Whether a type is, or contains, a MAP (ksqlDB rejects such key columns). */
export function containsMap(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP':
      return true;
    case 'ARRAY':
      return containsMap(t.item);
    case 'STRUCT':
      return t.fields.some((f) => containsMap(f.type));
    default:
      return false;
  }
}
