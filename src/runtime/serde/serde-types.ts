import type { SqlType } from '../../common/types.js';

export type { FormatName } from '../../common/formats.js';

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
}

/** The part of a schema registry the serdes use (ids are global, as Confluent's). */
export interface SchemaRegistry {
  /** Registers a schema (Avro JSON), returning its id; the same schema gets the same id. */
  register(schema: unknown): number;
  /** The schema registered under `id`, if any. */
  getSchema(id: number): unknown;
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
}

/** Bytes that cannot be read or values that cannot be written with the schema. */
export class SerdeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerdeError';
  }
}
