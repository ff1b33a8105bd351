import type { SqlType } from '../../common/types.js';
import type { Column } from '../../planner/schema.js';

/** ksqlDB's `SchemaInfo` JSON: a type, its struct fields and its array/map member type. */
export interface SchemaInfoJson {
  readonly type: string;
  readonly fields: readonly FieldInfoJson[] | null;
  readonly memberSchema: SchemaInfoJson | null;
  readonly parameters?: { readonly precision: number; readonly scale: number };
}

/** ksqlDB's `FieldInfo` JSON; `type` is `KEY` or `HEADER` for those columns, absent for values. */
export interface FieldInfoJson {
  readonly name: string;
  readonly schema: SchemaInfoJson;
  readonly type?: 'KEY' | 'HEADER';
  readonly headerKey?: string;
}

/** The `SchemaInfo` of a SQL type (DECIMAL carries `parameters`, as ksqlDB 0.2x does). */
export function schemaInfo(t: SqlType): SchemaInfoJson {
  switch (t.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(t.item) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaInfo(t.value) };
    case 'STRUCT':
      return { type: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })), memberSchema: null };
    case 'DECIMAL':
      return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: t.precision, scale: t.scale } };
    default:
      return { type: t.kind, fields: null, memberSchema: null };
  }
}

/** The `FieldInfo` of a source column. */
export function fieldInfo(c: Column): FieldInfoJson {
  const base = { name: c.name, schema: schemaInfo(c.type) };
  if (c.namespace === 'KEY') return { ...base, type: 'KEY' };
  if (c.namespace === 'HEADER') return c.headerKey !== undefined ? { ...base, type: 'HEADER', headerKey: c.headerKey } : { ...base, type: 'HEADER' };
  return base;
}
