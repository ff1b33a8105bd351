/**
 * The KAFKA format: a single primitive column in the byte layout of Kafka's own
 * serializers (IntegerSerializer: 4 bytes big-endian, LongSerializer: 8 bytes,
 * DoubleSerializer: 8-byte IEEE 754, StringSerializer: UTF-8, ByteBufferSerializer:
 * raw). A NULL column value is written as null bytes, as Kafka's serializers do.
 */
import type { SqlType } from '../common/types.js';
import type { Format } from './format.js';
import { createVoidSerde } from './none.js';
import { describeColumns, SerdeError, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

type Encode = (v: unknown) => Buffer;
type Decode = (b: Buffer) => unknown;

function sizeError(name: string, size: number): SerdeError {
  return new SerdeError(`Size of data received by ${name} is not ${size}`);
}

function codecFor(t: SqlType): { encode: Encode; decode: Decode } {
  switch (t.kind) {
    case 'INTEGER':
      return {
        encode: (v) => {
          const b = Buffer.allocUnsafe(4);
          b.writeInt32BE((v as number) | 0, 0);
          return b;
        },
        decode: (b) => {
          if (b.length !== 4) throw sizeError('IntegerDeserializer', 4);
          return b.readInt32BE(0);
        },
      };
    case 'BIGINT':
      return {
        encode: (v) => {
          const b = Buffer.allocUnsafe(8);
          b.writeBigInt64BE(typeof v === 'bigint' ? BigInt.asIntN(64, v) : BigInt(Math.trunc(v as number)), 0);
          return b;
        },
        decode: (b) => {
          if (b.length !== 8) throw sizeError('LongDeserializer', 8);
          return Number(b.readBigInt64BE(0));
        },
      };
    case 'DOUBLE':
      return {
        encode: (v) => {
          const b = Buffer.allocUnsafe(8);
          b.writeDoubleBE(v as number, 0);
          return b;
        },
        decode: (b) => {
          if (b.length !== 8) throw sizeError('DoubleDeserializer', 8);
          return b.readDoubleBE(0);
        },
      };
    case 'STRING':
      return { encode: (v) => Buffer.from(v as string, 'utf8'), decode: (b) => b.toString('utf8') };
    case 'BYTES':
      return { encode: (v) => Buffer.from(v as Buffer), decode: (b) => Buffer.from(b) };
    default:
      throw new Error(`The 'KAFKA' format does not support type '${t.kind}'`);
  }
}

class KafkaSerde implements Serde {
  constructor(
    private readonly encode: Encode,
    private readonly decode: Decode,
  ) {}

  serialize(values: readonly unknown[] | null): Buffer | null {
    if (values === null) return null;
    const v = values[0];
    return v === null || v === undefined ? null : this.encode(v);
  }

  deserialize(bytes: Buffer | null): unknown[] | null {
    if (bytes === null) return null;
    return [this.decode(bytes)];
  }
}

/** A KAFKA serde for exactly one INTEGER, BIGINT, DOUBLE, STRING or BYTES column. */
export function createKafkaSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  if (options.wrapSingleValue === true) {
    throw new Error("Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
  }
  for (const c of columns) codecFor(c.type);
  if (columns.length !== 1) {
    throw new Error(`The 'KAFKA' format only supports a single field. Got: ${describeColumns(columns, options.isKey)}`);
  }
  const { encode, decode } = codecFor(columns[0]!.type);
  return new KafkaSerde(encode, decode);
}

/** The test form of a KAFKA value: a bare number or string typed by the single column (BYTES as Base64). */
function kafkaBytes(json: unknown, column: SerdeColumn | undefined): Buffer {
  const kind = column?.type.kind;
  switch (kind) {
    case 'INTEGER': {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(Number(json) | 0, 0);
      return b;
    }
    case 'BIGINT': {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(BigInt(Math.trunc(Number(json))), 0);
      return b;
    }
    case 'DOUBLE': {
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleBE(Number(json), 0);
      return b;
    }
    case 'BYTES':
      return typeof json === 'string' ? Buffer.from(json, 'base64') : Buffer.from(JSON.stringify(json), 'utf8');
    default:
      return Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8');
  }
}

function kafkaTestForm(bytes: Buffer, column: SerdeColumn | undefined): unknown {
  switch (column?.type.kind) {
    case 'INTEGER':
      return bytes.length === 4 ? bytes.readInt32BE(0) : bytes.toString('utf8');
    case 'BIGINT':
      return bytes.length === 8 ? Number(bytes.readBigInt64BE(0)) : bytes.toString('utf8');
    case 'DOUBLE':
      return bytes.length === 8 ? bytes.readDoubleBE(0) : bytes.toString('utf8');
    case 'BYTES':
      return bytes.toString('base64');
    default:
      return bytes.toString('utf8');
  }
}

/** KAFKA: one primitive column in the layout of Kafka's own serializers; no configs. */
export const KAFKA_FORMAT: Format = {
  name: 'KAFKA',
  usesSchemaRegistry: false,
  configs: new Set(),
  nullableRepresentation: false,
  holdsNestedAggregateState: true,
  holdsColumns: true,
  create: (columns, options) => (columns.length === 0 ? createVoidSerde() : createKafkaSerde(columns, options)),
  schemaTranslator: undefined,
  testForm: {
    toBytes: (json, columns) => kafkaBytes(json, columns[0]),
    fromBytes: (bytes, columns) => kafkaTestForm(bytes, columns[0]),
  },
};
