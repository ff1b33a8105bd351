/**
 * Avro schemas as ksqlDB generates them from columns (Connect's AvroData output):
 * a record `KsqlDataSourceSchema` in `io.confluent.ksql.avro_schemas`, every field
 * an optional `["null", T]` union defaulting to null, nested structs named
 * `<parent>_<field>`, DECIMAL as bytes with the `decimal` logical type, DATE /
 * TIME / TIMESTAMP with Connect's logical names. Also the avsc `decimal` logical
 * type that turns those bytes into {@link Decimal}s.
 */
import avro from 'avsc';
import { Decimal } from '../common/decimal.js';
import type { SqlType } from '../common/types.js';
import type { SerdeColumn } from './serde-types.js';

/** ksqlDB's default full name for generated record schemas. */
export const DEFAULT_AVRO_FULL_NAME = 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema';

/** A JSON Avro schema (as registered in the schema registry). */
export type AvroSchemaJson = unknown;

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string): void {
  if (AVRO_NAME.test(name)) return;
  const first = name.charAt(0);
  if (!/[A-Za-z_]/.test(first)) {
    throw new Error(`Schema is not compatible with Avro: Illegal initial character: ${name}`);
  }
  throw new Error(`Schema is not compatible with Avro: Illegal character in: ${name}`);
}

function optional(s: AvroSchemaJson): AvroSchemaJson {
  return ['null', s];
}

/** The Avro schema for one SQL type (`fullName` names a STRUCT's record). */
export function avroTypeSchema(t: SqlType, fullName: string): AvroSchemaJson {
  switch (t.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
      return 'int';
    case 'BIGINT':
      return 'long';
    case 'DOUBLE':
      return 'double';
    case 'STRING':
      return 'string';
    case 'BYTES':
      return 'bytes';
    case 'DECIMAL':
      return {
        type: 'bytes',
        scale: t.scale,
        precision: t.precision,
        'connect.version': 1,
        'connect.parameters': { scale: String(t.scale), 'connect.decimal.precision': String(t.precision) },
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      };
    case 'DATE':
      return { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Date', logicalType: 'date' };
    case 'TIME':
      return {
        type: 'int',
        'connect.version': 1,
        'connect.name': 'org.apache.kafka.connect.data.Time',
        logicalType: 'time-millis',
      };
    case 'TIMESTAMP':
      return {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'org.apache.kafka.connect.data.Timestamp',
        logicalType: 'timestamp-millis',
      };
    case 'ARRAY':
      return { type: 'array', items: optional(avroTypeSchema(t.item, fullName)) };
    case 'MAP':
      if (t.key.kind !== 'STRING') throw new Error('Avro only supports MAPs with STRING keys');
      return { type: 'map', values: optional(avroTypeSchema(t.value, fullName)) };
    case 'STRUCT':
      return recordSchema(
        t.fields.map((f) => ({ name: f.name, type: f.type })),
        fullName,
      );
  }
}

function recordSchema(fields: readonly SerdeColumn[], fullName: string): AvroSchemaJson {
  const dot = fullName.lastIndexOf('.');
  const name = dot >= 0 ? fullName.slice(dot + 1) : fullName;
  const namespace = dot >= 0 ? fullName.slice(0, dot) : undefined;
  return {
    type: 'record',
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    fields: fields.map((f) => {
      checkName(f.name);
      return { name: f.name, type: optional(avroTypeSchema(f.type, `${fullName}_${f.name}`)), default: null };
    }),
    'connect.name': fullName,
  };
}

/**
 * The schema ksqlDB registers for one side of a source: a record of the columns
 * when wrapped, else the single column's (non-null) type.
 */
export function avroSchemaForColumns(columns: readonly SerdeColumn[], wrapped: boolean, fullName: string = DEFAULT_AVRO_FULL_NAME): AvroSchemaJson {
  if (wrapped) return recordSchema(columns, fullName);
  return avroTypeSchema(columns[0]!.type, fullName);
}

/** Java's `BigInteger.toByteArray()`: minimal big-endian two's complement. */
export function bigIntToBytes(n: bigint): Buffer {
  let hex = (n < 0n ? -n : n).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let len = hex.length / 2;
  // room for the sign bit
  if (n >= 0n) {
    if (parseInt(hex.slice(0, 2), 16) & 0x80) len++;
  } else {
    const bound = 1n << BigInt(len * 8 - 1);
    if (-n > bound) len++;
  }
  const out = Buffer.alloc(len);
  let v = n < 0n ? (1n << BigInt(len * 8)) + n : n;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Big-endian two's complement bytes to a bigint. */
export function bytesToBigInt(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = 0; i < b.length; i++) v = (v << 8n) | BigInt(b[i]!);
  if (b[0]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** avsc logical type for Avro `decimal` on bytes: decodes to {@link Decimal}. */
export class AvroDecimalType extends avro.types.LogicalType {
  readonly scale: number;
  readonly precision: number;

  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const s = schema as { scale?: number; precision?: number };
    this.scale = s.scale ?? 0;
    this.precision = s.precision ?? 38;
  }

  protected override _fromValue(val: unknown): Decimal {
    return new Decimal(bytesToBigInt(val as Buffer), this.scale);
  }

  protected override _toValue(val: unknown): Buffer {
    const d = val instanceof Decimal ? val : Decimal.parse(String(val));
    return bigIntToBytes(d.setScale(this.scale).unscaled);
  }

  protected override _resolve(type: avro.Type): ((x: unknown) => unknown) | undefined {
    if (type instanceof AvroDecimalType) {
      const from = type.scale;
      return (x) => new Decimal(bytesToBigInt(x as Buffer), from);
    }
    if (type.typeName === 'bytes') return (x) => new Decimal(bytesToBigInt(x as Buffer), this.scale);
    return undefined;
  }

  protected override _export(schema: avro.Schema): void {
    const s = schema as { scale?: number; precision?: number };
    s.scale = this.scale;
    s.precision = this.precision;
  }
}

interface TapLike {
  readLong(): number;
  writeLong(n: number): void;
  buf: Buffer;
  pos: number;
}

/** Zig-zag varint of a 64-bit integer held in a double, exactly (avsc's own loses |v| ≥ 2^53). */
function writeWideLong(tap: TapLike, v: number | bigint): void {
  // A double of ±2^63 stands for Long.MIN/MAX_VALUE; clamp instead of wrapping.
  const n = typeof v === 'bigint' ? BigInt.asIntN(64, v) : v >= 2 ** 63 ? 9223372036854775807n : v <= -(2 ** 63) ? -9223372036854775808n : BigInt(v);
  let zz = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  while (zz >= 0x80n) {
    tap.buf[tap.pos++] = Number(zz & 0x7fn) | 0x80;
    zz >>= 7n;
  }
  tap.buf[tap.pos++] = Number(zz);
}

function readWideLong(tap: TapLike): number {
  // Up to 7 varint bytes (49 bits) avsc reads exactly; only longer ones need BigInt.
  let end = tap.pos;
  while (end < tap.buf.length && (tap.buf[end]! & 0x80) !== 0) end++;
  if (end - tap.pos < 7) return tap.readLong();
  let shift = 0n;
  let zz = 0n;
  for (;;) {
    const b = tap.buf[tap.pos++]!;
    zz |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7n;
  }
  return Number((zz >> 1n) ^ -(zz & 1n));
}

/**
 * avsc's `long` refuses values beyond ±2^53 (on read and write). BIGINT is a JS
 * number in Sluice, so such values are read and written as the nearest double
 * instead of failing the record.
 */
function relaxedLong(): avro.Type {
  class RelaxedLongType extends avro.types.LongType {}
  const proto = RelaxedLongType.prototype as unknown as Record<string, unknown>;
  proto._read = (tap: TapLike) => readWideLong(tap);
  proto._write = (tap: TapLike, v: unknown) => {
    if (typeof v === 'bigint') return writeWideLong(tap, v);
    if (typeof v !== 'number' || v % 1 !== 0) throw new Error(`invalid "long": ${String(v)}`);
    if (Number.isSafeInteger(v)) tap.writeLong(v);
    else writeWideLong(tap, v);
  };
  proto._check = (v: unknown) => typeof v === 'bigint' || (typeof v === 'number' && v % 1 === 0);
  return new RelaxedLongType();
}

const RELAXED_LONG = relaxedLong();

function longHook(schema: avro.Schema): avro.Type | undefined {
  if (schema === 'long') return RELAXED_LONG;
  if (typeof schema === 'object' && schema !== null && !Array.isArray(schema)) {
    const s = schema as { type?: unknown };
    if (s.type === 'long') return RELAXED_LONG;
  }
  return undefined;
}

/** avsc Type for a JSON schema, with Sluice's logical types and unwrapped unions. */
export function avroType(schema: AvroSchemaJson): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, {
    logicalTypes: { decimal: AvroDecimalType },
    wrapUnions: 'auto',
    typeHook: longHook,
  });
}
