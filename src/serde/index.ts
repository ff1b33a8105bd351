/**
 * Serde factory: picks the implementation for a format from the {@link FORMATS}
 * table and validates that the format can hold the columns (the planner may call
 * {@link createSerde} at plan time just to get ksqlDB's error message).
 */
import { formatNamed } from './formats.js';
import type { FormatName, Serde, SerdeColumn, SerdeOptions } from './serde-types.js';

export { SerdeError, STRICT_NUMBERS_PROPERTY } from './serde-types.js';
export type { FormatName, RegisteredSchema, SchemaReference, SchemaRegistry, Serde, SerdeColumn, SerdeOptions } from './serde-types.js';
export type { Format, FormatConfig, TestFormCodec } from './format.js';
export { FORMATS, FORMAT_NAMES, isFormatName } from './formats.js';
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
  const f = formatNamed(format);
  if (f === undefined) throw new Error(`Unknown format: ${format}`);
  if (options.wrapSingleValue !== undefined && !options.isKey && columns.length !== 1 && f.holdsColumns) {
    throw new Error("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  }
  return f.create(columns, options);
}
