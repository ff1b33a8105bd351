import { Decimal } from '../../common/decimal.js';
import type { SqlType } from '../../common/types.js';

/**
 * Converts SQL values to plain JSON data for accumulators kept in state stores and
 * back, given the SQL type: DECIMAL as its string, BYTES as base64, MAP as an entry
 * list, non-finite DOUBLEs as strings; everything else is already JSON.
 */
export function encodeValue(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'DECIMAL':
      return (v as Decimal).toString();
    case 'BYTES':
      return (v as Buffer).toString('base64');
    case 'DOUBLE':
      return Number.isFinite(v as number) ? v : String(v);
    case 'ARRAY':
      return (v as unknown[]).map((x) => encodeValue(x, t.item));
    case 'MAP':
      return [...(v as Map<unknown, unknown>)].map(([k, x]) => [encodeValue(k, t.key), encodeValue(x, t.value)]);
    case 'STRUCT': {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = encodeValue(o[f.name] ?? null, f.type);
      return out;
    }
    default:
      return v;
  }
}

/** Inverse of {@link encodeValue}. */
export function decodeValue(j: unknown, t: SqlType): unknown {
  if (j === null || j === undefined) return null;
  switch (t.kind) {
    case 'DECIMAL':
      return Decimal.parse(j as string).setScale(t.scale);
    case 'BYTES':
      return Buffer.from(j as string, 'base64');
    case 'DOUBLE':
      return typeof j === 'string' ? Number(j) : j;
    case 'ARRAY':
      return (j as unknown[]).map((x) => decodeValue(x, t.item));
    case 'MAP':
      return new Map((j as [unknown, unknown][]).map(([k, x]) => [decodeValue(k, t.key), decodeValue(x, t.value)]));
    case 'STRUCT': {
      const o = j as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = decodeValue(o[f.name] ?? null, f.type);
      return out;
    }
    default:
      return j;
  }
}

/** Whether values of this type are already plain JSON (no codec needed). */
export function isJsonNative(t: SqlType): boolean {
  switch (t.kind) {
    case 'DECIMAL':
    case 'BYTES':
    case 'DOUBLE':
    case 'MAP':
      return false;
    case 'ARRAY':
      return isJsonNative(t.item);
    case 'STRUCT':
      return t.fields.every((f) => isJsonNative(f.type));
    default:
      return true;
  }
}
