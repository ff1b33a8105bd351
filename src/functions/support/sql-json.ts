import type { Decimal } from '../../common/decimal.js';
import type { SqlType } from '../../common/types.js';
import { formatInstant, formatDays, formatTimeOfDay } from './java-datetime.js';
import { javaDoubleToString } from '../../common/java-text.js';
import { zoneOf } from './time-zones.js';

/**
 * A JSON object of already-written values with its keys in String.compareTo
 * order: ksqlDB's ToJsonString copies maps and structs into a TreeMap.
 */
function jsonObject(entries: [string, string][]): string {
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '{';
  for (let i = 0; i < entries.length; i++) out += `${i > 0 ? ',' : ''}${JSON.stringify(entries[i]![0])}:${entries[i]![1]}`;
  return `${out}}`;
}

/**
 * JSON text of a SQL value as ksqlDB's TO_JSON_STRING writes it: DATE/TIME as ISO
 * text, TIMESTAMP as ISO local date-time, BYTES as base64, DECIMAL as a number,
 * map and struct keys sorted.
 */
export function sqlToJson(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'null';
  switch (t.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
      return String(v);
    case 'DOUBLE':
      return Number.isFinite(v as number) ? javaDoubleToString(v as number) : JSON.stringify(javaDoubleToString(v as number));
    case 'DECIMAL':
      return (v as Decimal).toString();
    case 'STRING':
      return JSON.stringify(v);
    case 'BYTES':
      return JSON.stringify((v as Buffer).toString('base64'));
    case 'DATE':
      return JSON.stringify(formatDays(v as number, 'yyyy-MM-dd'));
    case 'TIME':
      return JSON.stringify(formatTimeOfDay(v as number, (v as number) % 1000 ? 'HH:mm:ss.SSS' : 'HH:mm:ss'));
    case 'TIMESTAMP':
      return JSON.stringify(formatInstant(v as number, "yyyy-MM-dd'T'HH:mm:ss.SSS", zoneOf('UTC')));
    case 'ARRAY':
      return `[${(v as unknown[]).map((x) => sqlToJson(x, t.item)).join(',')}]`;
    case 'MAP': {
      const entries: [string, string][] = [];
      for (const [k, x] of v as Map<unknown, unknown>) entries.push([String(k), sqlToJson(x, t.value)]);
      return jsonObject(entries);
    }
    case 'STRUCT': {
      const o = v as Record<string, unknown>;
      const entries: [string, string][] = [];
      for (const f of t.fields) entries.push([f.name, sqlToJson(o[f.name] ?? null, f.type)]);
      return jsonObject(entries);
    }
  }
}
