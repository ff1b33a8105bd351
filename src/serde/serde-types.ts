import type { FormatName } from '../common/formats.js';
import { formatType, type SqlType } from '../common/types.js';

export type { FormatName } from '../common/formats.js';

/**
 * The property (`SET 'sluice.serde.strict.numbers'='true';`, default false) that
 * makes reading a number its column cannot hold exactly a deserialization error.
 */
export const STRICT_NUMBERS_PROPERTY = 'sluice.serde.strict.numbers';

/** The error for a number (as written) that does not fit type `kind` under {@link STRICT_NUMBERS_PROPERTY}. */
export function numberDoesNotFit(text: string, kind: string): Error {
  return new Error(`Number ${text} does not fit type ${kind} without losing information (${STRICT_NUMBERS_PROPERTY}=true)`);
}

/** Formats columns as ksqlDB lists them in errors: [`A` INTEGER, `B` STRING KEY]. */
export function describeColumns(columns: readonly SerdeColumn[], isKey: boolean): string {
  return `[${columns.map((c) => `\`${c.name}\` ${formatType(c.type)}${isKey ? ' KEY' : ''}`).join(', ')}]`;
}

/** A column as a serde sees it: the name as in the schema and its SQL type. */
export interface SerdeColumn {
  readonly name: string;
  readonly type: SqlType;
}

/** Options from the WITH clause that change how a format lays out bytes. */
export interface SerdeOptions {
  /** Key or value side; keys and values differ for some formats. */
  readonly isKey: boolean;
  /**
   * For a single column: true = wrapped in a record/object `{"COL": v}`, false =
   * the bare value. Undefined = the format's default (wrapped for values, unwrapped
   * for keys).
   */
  readonly wrapSingleValue?: boolean;
  /** DELIMITED separator (one character, or TAB/SPACE spelled out); default ','. */
  readonly delimiter?: string;
  /** AVRO/PROTOBUF: the full schema name to write, e.g. `io.confluent.ksql.avro_schemas.KsqlDataSourceSchema`. */
  readonly schemaFullName?: string;
  /**
   * AVRO/JSON_SR/PROTOBUF: the schema-registry id written in the 5-byte Confluent
   * prefix (magic byte 0 + 4-byte big-endian id). Default 1.
   */
  readonly schemaId?: number;
  /**
   * AVRO: where writer schemas are looked up by the id in a record's prefix (a
   * record written with another schema is decoded with it, then coerced to the
   * columns), and where the generated schema is registered when `schemaId` is unset.
   */
  readonly schemaRegistry?: SchemaRegistry;
  /**
   * PROTOBUF / PROTOBUF_NOSR: how nullable primitives are written
   * (KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION). Undefined = plain proto3 fields
   * (null written as absent, read back as the type's default 0 / "" / false).
   */
  readonly nullableRepresentation?: 'OPTIONAL' | 'WRAPPER';
  /** The registry subject the generated schema is registered under (`<topic>-key|value`). */
  readonly subject?: string;
  /**
   * JSON / DELIMITED reads (`sluice.serde.strict.numbers`): a number that its
   * INT/BIGINT/DOUBLE column cannot hold without losing information is a
   * deserialization error instead of being narrowed as ksqlDB narrows it.
   */
  readonly strictNumbers?: boolean;
  /**
   * JSON value reads: per column, whether the query reads it (default all). A
   * column it does not read may be returned as null, but its value is still
   * checked, so a record that does not fit the schema anywhere is still an error
   * (ksqlDB deserializes the whole value).
   */
  readonly readColumns?: readonly boolean[];
}

/** A protobuf import of a registered schema, resolved by its name (`event.proto`). */
export interface SchemaReference {
  readonly name: string;
  readonly schema: string;
  readonly subject?: string;
  readonly version?: number;
}

/** A schema as held by a registry: its id, format, text or JSON, and references. */
export interface RegisteredSchema {
  readonly id: number;
  readonly format: FormatName;
  /** Avro JSON / JSON Schema object, or protobuf text. */
  readonly schema: unknown;
  readonly references: readonly SchemaReference[];
}

/** The part of a schema registry the serdes use (ids are global, as Confluent's). */
export interface SchemaRegistry {
  /** Registers a schema (Avro JSON), returning its id; the same schema gets the same id. */
  register(schema: unknown, options?: { readonly format?: FormatName; readonly subject?: string }): number;
  /** The schema registered under `id`, if any. */
  getSchema(id: number): unknown;
  /** The schema under `id` with its format and references (protobuf needs them). */
  getRegistered?(id: number): RegisteredSchema | undefined;
  /** The latest schema registered under `subject`, if any (ASSERT SCHEMA). */
  getLatest?(subject: string): RegisteredSchema | undefined;
}

/**
 * Turns the column values of one side of a record (key or value) into bytes and
 * back. Values use the runtime representation documented in common/types.ts.
 * `serialize(null)` and `deserialize(null)` mean a tombstone / absent key.
 * `deserialize` throws {@link SerdeError} on bytes that do not fit the schema.
 */
export interface Serde {
  serialize(values: readonly unknown[] | null): Buffer | null;
  deserialize(bytes: Buffer | null): unknown[] | null;
  /**
   * Optional: {@link deserialize} of non-null bytes writing the values into
   * `out` from index `at` (a source's row) instead of a new array. False when
   * the bytes hold no values (what `deserialize` returns null for).
   */
  deserializeInto?(bytes: Buffer, out: unknown[], at: number): boolean;
}

/** Bytes that cannot be read or values that cannot be written with the schema. */
export class SerdeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerdeError';
  }
}
