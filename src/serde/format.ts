/**
 * What a serialization format is, as the planner and the runtime ask it: one
 * {@link Format} descriptor per format (ksqlDB's `ksqldb-serde` `Format`
 * interface: name, supported features and properties, serde factory), kept next
 * to the format's serde and listed once in `formats.ts`'s `FORMATS` table.
 */
import type { FormatName } from '../common/formats.js';
import type { SchemaReference, Serde, SerdeColumn, SerdeOptions } from './serde-types.js';

/**
 * A format config the WITH clause can set for one side, by ksqlDB's FormatInfo
 * property name: `delimiter` (KEY_/VALUE_DELIMITER) and `fullSchemaName`
 * (KEY_SCHEMA_FULL_NAME, VALUE_SCHEMA_FULL_NAME, VALUE_AVRO_SCHEMA_FULL_NAME).
 */
export type FormatConfig = 'delimiter' | 'fullSchemaName';

/**
 * Conversion between the "test form" of a key or value in ksqlDB's
 * query-validation test files (a JSON value) and the bytes on the topic. Null
 * never reaches a codec: null stands for null bytes on both sides.
 */
export interface TestFormCodec {
  toBytes(json: unknown, columns: readonly SerdeColumn[], options: SerdeOptions): Buffer | null;
  fromBytes(bytes: Buffer, columns: readonly SerdeColumn[], options: SerdeOptions): unknown;
}

/** Options of schema inference (`inferColumns` in schema-inference.ts). */
export interface InferOptions {
  readonly isKey: boolean;
  /** KEY_/VALUE_SCHEMA_FULL_NAME: the protobuf message (or Avro record) to use. */
  readonly schemaFullName?: string;
  /** True when the schema was chosen by KEY_/VALUE_SCHEMA_ID: names are kept, else upper-cased. */
  readonly fromSchemaId?: boolean;
  /** WRAP_SINGLE_VALUE for values (false: one ROWVAL column of the whole schema). */
  readonly wrapSingleValue?: boolean;
  /** Protobuf imports by name (the registry's references). */
  readonly references?: readonly SchemaReference[];
}

/**
 * A schema translator (ksqlDB's SCHEMA_INFERENCE feature): the columns of a
 * schema as a registry holds it (Avro / JSON Schema as object or text, protobuf
 * text), with names as in the schema. Throws an Error naming the problem.
 */
export type SchemaTranslator = (schema: string | object, options: InferOptions) => SerdeColumn[];

/**
 * One serialization format. Every rule that depends on the format is a field
 * here, so the planner asks `FORMATS[name]` instead of naming formats.
 * Invariant: `name` is the format's key in the `FORMATS` table.
 */
export interface Format {
  /** The name as written in `FORMAT='…'` (upper case). */
  readonly name: FormatName;
  /**
   * Schemas live in a schema registry: columns can be inferred from it, and
   * KEY_/VALUE_SCHEMA_ID are accepted (ksqlDB's SCHEMA_INFERENCE feature).
   */
  readonly usesSchemaRegistry: boolean;
  /** The format configs this format accepts (its `getSupportedProperties`). */
  readonly configs: ReadonlySet<FormatConfig>;
  /** Accepts KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION. */
  readonly nullableRepresentation: boolean;
  /**
   * As the value format, holds an aggregate whose intermediate state is a STRUCT,
   * ARRAY or MAP (AVG, COLLECT_LIST, …); false rejects such aggregates at plan
   * time. ksqlDB rejects them for DELIMITED only (KAFKA is refused by its own
   * GROUP BY rule and its serde).
   */
  readonly holdsNestedAggregateState: boolean;
  /**
   * Holds columns at all; false only for NONE, the format of a side without
   * columns, to which the WRAP_SINGLE_VALUE single-field rule does not apply.
   */
  readonly holdsColumns: boolean;
  /**
   * The serde for one side (key or value) with these columns. Throws a plain
   * Error with ksqlDB's message when the format cannot hold them; the planner
   * may call it at plan time just for that check.
   */
  create(columns: readonly SerdeColumn[], options: SerdeOptions): Serde;
  /** Columns from a schema in this format; undefined when the format cannot infer columns. */
  readonly schemaTranslator: SchemaTranslator | undefined;
  /** The test-form codec used by `sluice test`. */
  readonly testForm: TestFormCodec;
}
