/**
 * The JSON Schema ksqlDB registers for JSON_SR columns (Confluent's Connect
 * JSON Schema translation): every column optional (`oneOf` null or its type),
 * struct fields numbered by `connect.index`, Connect types and logical types
 * named by `connect.type` / `title`. Registered when a JSON_SR source is
 * written without a KEY_/VALUE_SCHEMA_ID, as AVRO and PROTOBUF register theirs.
 */
import { assertNever } from '../common/assert.js';
import type { SqlType } from '../common/types.js';
import type { SerdeColumn } from './serde-types.js';

function logical(title: string, connectType: 'int32' | 'int64'): Record<string, unknown> {
  return { type: 'integer', title: `org.apache.kafka.connect.data.${title}`, 'connect.version': 1, 'connect.type': connectType };
}

function optional(t: SqlType): Record<string, unknown> {
  return { oneOf: [{ type: 'null' }, typeSchema(t)] };
}

function objectOf(fields: readonly { readonly name: string; readonly type: SqlType }[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    properties[f.name] = { 'connect.index': i, ...optional(f.type) };
  });
  return { type: 'object', properties };
}

function typeSchema(t: SqlType): Record<string, unknown> {
  switch (t.kind) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'INTEGER':
      return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT':
      return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE':
      return { type: 'number', 'connect.type': 'float64' };
    case 'STRING':
      return { type: 'string' };
    case 'BYTES':
      return { type: 'string', 'connect.type': 'bytes' };
    case 'DECIMAL':
      return {
        type: 'number',
        title: 'org.apache.kafka.connect.data.Decimal',
        'connect.version': 1,
        'connect.type': 'bytes',
        'connect.parameters': { scale: String(t.scale), 'connect.decimal.precision': String(t.precision) },
      };
    case 'DATE':
      return logical('Date', 'int32');
    case 'TIME':
      return logical('Time', 'int32');
    case 'TIMESTAMP':
      return logical('Timestamp', 'int64');
    case 'ARRAY':
      return { type: 'array', items: optional(t.item) };
    case 'MAP':
      return { type: 'object', additionalProperties: optional(t.value), 'connect.type': 'map' };
    case 'STRUCT':
      return objectOf(t.fields);
    default:
      return assertNever(t);
  }
}

/** The JSON Schema of one side's columns: an object of them, or the bare (optional) column when unwrapped. */
export function jsonSchemaForColumns(columns: readonly SerdeColumn[], wrapped: boolean): Record<string, unknown> {
  const only = columns[0];
  return !wrapped && only !== undefined ? optional(only.type) : objectOf(columns);
}
