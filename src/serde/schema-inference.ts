/**
 * Schema inference: the columns ksqlDB derives from a registered AVRO, JSON_SR
 * (JSON Schema) or PROTOBUF schema for a CREATE without columns or with
 * KEY_/VALUE_SCHEMA_ID, by the format's schema translator (schema-translators.ts).
 * Names: as in the schema when the schema came from a schema id (ksqlDB then
 * writes with that exact schema), upper-cased otherwise (including nested struct
 * fields), as ksqlDB does.
 */
import type { FormatName } from '../common/formats.js';
import type { SqlType } from '../common/types.js';
import type { InferOptions } from './format.js';
import { formatNamed } from './formats.js';
import type { SchemaRegistry, SerdeColumn } from './serde-types.js';

export type { InferOptions } from './format.js';

function upperCased(t: SqlType): SqlType {
  switch (t.kind) {
    case 'STRUCT':
      return { kind: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name.toUpperCase(), type: upperCased(f.type) })) };
    case 'ARRAY':
      return { kind: 'ARRAY', item: upperCased(t.item) };
    case 'MAP':
      return { kind: 'MAP', key: t.key, value: upperCased(t.value) };
    default:
      return t;
  }
}

/**
 * The columns of one side (key or value) of a source whose schema is `schema`
 * (Avro JSON / JSON Schema, as object or text; protobuf text) in `format`, by
 * the format's schema translator. Throws an Error naming the problem when the
 * schema cannot be turned into columns, and ksqlDB's error for a format that
 * has no translator.
 */
export function inferColumns(format: FormatName, schema: string | object, options: InferOptions): SerdeColumn[] {
  const translate = formatNamed(format)?.schemaTranslator;
  if (translate === undefined) {
    throw new Error(`${options.isKey ? 'KEY' : 'VALUE'}_FORMAT should support schema inference. Current format is ${format}.`);
  }
  const columns = translate(schema, options);
  if (options.fromSchemaId) return columns;
  const single = options.isKey ? 'ROWKEY' : 'ROWVAL';
  return columns.map((c) => ({ name: c.name === single ? c.name : c.name.toUpperCase(), type: upperCased(c.type) }));
}

/**
 * {@link inferColumns} for the schema a registry holds: the one under `schemaId`
 * when given (names kept), else the latest under `<topic>-key` / `<topic>-value`.
 * Throws ksqlDB's "does not exist in the Schema Registry" error when there is none.
 */
export function inferColumnsFromRegistry(
  registry: SchemaRegistry & { getLatest?(subject: string): { id: number } | undefined },
  topic: string,
  format: FormatName,
  options: Omit<InferOptions, 'fromSchemaId' | 'references'> & { schemaId?: number },
): { columns: SerdeColumn[]; schemaId: number } {
  const side = options.isKey ? 'key' : 'value';
  const id = options.schemaId ?? registry.getLatest?.(`${topic}-${side}`)?.id;
  const entry = id === undefined ? undefined : registry.getRegistered?.(id);
  const schema = entry?.schema ?? (id === undefined ? undefined : registry.getSchema(id));
  if (id === undefined || schema === undefined) {
    throw new Error(
      options.schemaId !== undefined
        ? `Schema for message ${side}s on topic '${topic}' with schema id ${options.schemaId} does not exist in the Schema Registry.`
        : `Schema for message ${side}s on topic '${topic}' does not exist in the Schema Registry.`,
    );
  }
  const columns = inferColumns(format, schema as string | object, {
    ...options,
    fromSchemaId: options.schemaId !== undefined,
    references: entry?.references ?? [],
  });
  return { columns, schemaId: id };
}
