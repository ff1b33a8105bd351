import type { Decimal } from '../../common/decimal.js';
import type { SqlType } from '../../common/types.js';
import { javaDoubleToString } from '../../common/java-text.js';

/** Java's String.valueOf for a SQL value of type `t` (Kafka Connect `Struct{A=x}` for structs). */
export function javaValueOf(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'null';
  switch (t.kind) {
    case 'DOUBLE':
      return javaDoubleToString(v as number);
    case 'DECIMAL':
      return (v as Decimal).toString();
    case 'STRUCT': {
      const o = v as Record<string, unknown>;
      const parts = t.fields.filter((f) => o[f.name] != null).map((f) => `${f.name}=${javaValueOf(o[f.name], f.type)}`);
      return `Struct{${parts.join(',')}}`;
    }
    case 'ARRAY':
      return `[${(v as unknown[]).map((x) => javaValueOf(x, t.item)).join(', ')}]`;
    case 'MAP':
      return `{${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${javaValueOf(k, t.key)}=${javaValueOf(x, t.value)}`).join(', ')}}`;
    default:
      return String(v);
  }
}
