/** Serialisation formats Sluice reads and writes (ksqlDB's names). */
export type FormatName = 'JSON' | 'DELIMITED' | 'KAFKA' | 'AVRO' | 'JSON_SR' | 'PROTOBUF' | 'PROTOBUF_NOSR' | 'NONE';

export const FORMAT_NAMES: readonly FormatName[] = ['JSON', 'DELIMITED', 'KAFKA', 'AVRO', 'JSON_SR', 'PROTOBUF', 'PROTOBUF_NOSR', 'NONE'];

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

/** Formats whose schemas live in a schema registry (and can be inferred from it). */
export const SCHEMA_REGISTRY_FORMATS: ReadonlySet<FormatName> = new Set(['AVRO', 'JSON_SR', 'PROTOBUF']);
