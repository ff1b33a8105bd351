import { Decimal } from '../../common/decimal.js';
import { formatDate, formatTime, formatTimestamp, javaDoubleToString } from '../../common/java-text.js';
import { formatType, type SqlType } from '../../common/types.js';
import type { ResultColumn } from '../../runtime/query/transient-query.js';

/**
 * A number kept as its exact decimal text, so a DECIMAL is written to JSON as
 * a number without going through a double (ksqlDB writes `1.50`, not `1.5`).
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** JSON value tree the server writes; like JSON but with exact numbers. */
export type JsonValue = null | boolean | number | string | JsonNumber | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/**
 * Converts a SQL value (runtime representation, see common/types.ts) to the
 * JSON ksqlDB's REST API returns for that type: DOUBLE always with a decimal
 * point or exponent (`11.0`), DECIMAL as a JSON number,
 * BYTES base64, DATE `yyyy-MM-dd`, TIME `HH:mm[:ss[.SSS]]`, TIMESTAMP
 * `yyyy-MM-ddTHH:mm:ss.SSS` (UTC), MAP and STRUCT as objects, and non-finite
 * doubles as the strings `NaN` / `Infinity` / `-Infinity`.
 */
export function toJsonValue(v: unknown, t: SqlType): JsonValue {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BOOLEAN':
    case 'STRING':
      return v as boolean | string;
    case 'INTEGER':
    case 'BIGINT':
      return typeof v === 'bigint' ? new JsonNumber(v.toString()) : (v as number);
    case 'DOUBLE': {
      // Written as Jackson writes a double (Java's Double.toString): `11.0`, `1.0E7`.
      const n = v as number;
      return Number.isFinite(n) ? new JsonNumber(javaDoubleToString(n)) : String(n);
    }
    case 'DECIMAL':
      return v instanceof Decimal ? new JsonNumber(v.toString()) : (v as number);
    case 'BYTES':
      return Buffer.isBuffer(v) ? v.toString('base64') : String(v);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number);
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'ARRAY':
      return (v as readonly unknown[]).map((x) => toJsonValue(x, t.item));
    case 'MAP': {
      const out: Record<string, JsonValue> = {};
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
      for (const [k, x] of entries) out[k === null ? 'null' : String(toPlainKey(k, t.key))] = toJsonValue(x, t.value);
      return out;
    }
    case 'STRUCT': {
      const out: Record<string, JsonValue> = {};
      const obj = v as Record<string, unknown>;
      for (const f of t.fields) out[f.name] = toJsonValue(obj[f.name] ?? null, f.type);
      return out;
    }
    default:
      return null;
  }
}

function toPlainKey(k: unknown, t: SqlType): string {
  const j = toJsonValue(k, t);
  return j instanceof JsonNumber ? j.text : typeof j === 'object' && j !== null ? stringifyJson(j) : String(j);
}

/** One result row as a JSON array, in `columns` order. */
export function rowToJson(row: readonly unknown[], columns: readonly ResultColumn[]): JsonValue[] {
  return columns.map((c, i) => toJsonValue(row[i] ?? null, c.type));
}

/** ksqlDB's `/query` header schema: `` `ID` BIGINT KEY, `B` STRING ``, `KEY` after each of `keyColumns`. */
export function schemaString(columns: readonly ResultColumn[], keyColumns: readonly string[] = []): string {
  return columns.map((c) => `\`${c.name}\` ${formatType(c.type)}${keyColumns.includes(c.name) ? ' KEY' : ''}`).join(', ');
}

/** Serialises a {@link JsonValue} (or any plain JSON-able value) to text, writing {@link JsonNumber}s verbatim. */
export function stringifyJson(v: unknown): string {
  if (v instanceof JsonNumber) return v.text;
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stringifyJson(x))).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${stringifyJson(x)}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}
