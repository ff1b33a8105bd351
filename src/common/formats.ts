/**
 * The serialisation formats Sluice reads and writes (ksqlDB's names), by name.
 *
 * The names are the keys of the `FORMATS` table in `src/serde/formats.ts`, which
 * adds them to {@link FormatNames} by declaration merging: that table is the one
 * list of formats, and common (which may not import serde) still names the type.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in src/serde/formats.ts
export interface FormatNames {}

/** A serialisation format's name, e.g. `JSON`, `DELIMITED`, `AVRO`: a key of serde's `FORMATS`. */
export type FormatName = keyof FormatNames & string;

/**
 * How one side (key or value) of a source's records is laid out: the format and
 * the WITH-clause options that change it.
 */
export interface FormatSpec {
  readonly format: FormatName;
  /** WRAP_SINGLE_VALUE (values) — undefined means the format's default. */
  readonly wrapSingleValue?: boolean;
  /** VALUE_DELIMITER / KEY_DELIMITER for DELIMITED. */
  readonly delimiter?: string;
  /** Full schema name for AVRO/PROTOBUF (VALUE_AVRO_SCHEMA_FULL_NAME …). */
  readonly schemaFullName?: string;
  /** KEY_SCHEMA_ID / VALUE_SCHEMA_ID: write with this registered schema. */
  readonly schemaId?: number;
  /** KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION. */
  readonly nullableRepresentation?: 'OPTIONAL' | 'WRAPPER';
}
