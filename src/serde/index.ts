/**
 * Serde factory: picks the implementation for a format and validates that the
 * format can hold the columns (the planner may call {@link createSerde} at plan
 * time just to get ksqlDB's error message).
 */
import { createAvroSerde } from './avro.js';
import { createDelimitedSerde } from './delimited.js';
import { createJsonSerde } from './json.js';
import { createKafkaSerde } from './kafka.js';
import { createNoneSerde, createVoidSerde } from './none.js';
import { createProtobufSerde, validateProtobufColumns } from './protobuf.js';
import type { FormatName, Serde, SerdeColumn, SerdeOptions } from './serde-types.js';

export { SerdeError, STRICT_NUMBERS_PROPERTY } from './serde-types.js';
export type { FormatName, RegisteredSchema, SchemaReference, SchemaRegistry, Serde, SerdeColumn, SerdeOptions } from './serde-types.js';
export { InMemorySchemaRegistry, type RegisterOptions } from './schema-registry.js';
export { inferColumns, inferColumnsFromRegistry, type InferOptions } from './schema-inference.js';
export { parseDelimiter } from './delimited.js';

/**
 * A serde for one side (key or value) of a record in `format`. Throws a plain
 * Error with ksqlDB's message when the format cannot hold these columns, e.g.
 * KAFKA with two columns or a STRUCT, DELIMITED with an ARRAY, JSON with a
 * non-STRING map key, NONE with any column.
 */
export function createSerde(format: FormatName, columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  if (
    options.wrapSingleValue !== undefined &&
    !options.isKey &&
    columns.length !== 1 &&
    format !== 'NONE'
  ) {
    throw new Error("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  }
  switch (format) {
    case 'NONE':
      return createNoneSerde(columns, options);
    case 'JSON':
      return columns.length === 0 ? createVoidSerde() : createJsonSerde(columns, options, false);
    case 'JSON_SR':
      return columns.length === 0 ? createVoidSerde() : createJsonSerde(columns, options, true);
    case 'DELIMITED':
      return columns.length === 0 ? createVoidSerde() : createDelimitedSerde(columns, options);
    case 'KAFKA':
      return columns.length === 0 ? createVoidSerde() : createKafkaSerde(columns, options);
    case 'AVRO':
      return columns.length === 0 ? createVoidSerde() : createAvroSerde(columns, options);
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      validateProtobufColumns(format, columns, options);
      return columns.length === 0 ? createVoidSerde() : createProtobufSerde(columns, options, format === 'PROTOBUF');
  }
}
