/**
 * The KAFKA format: a single primitive column in the byte layout of Kafka's own
 * serializers (IntegerSerializer: 4 bytes big-endian, LongSerializer: 8 bytes,
 * DoubleSerializer: 8-byte IEEE 754, StringSerializer: UTF-8, ByteBufferSerializer:
 * raw). A NULL column value is written as null bytes, as Kafka's serializers do.
 */
import { formatType, type SqlType } from '../common/types.js';
import { SerdeError, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

type Encode = (v: unknown) => Buffer;
type Decode = (b: Buffer) => unknown;

/** Formats columns as ksqlDB lists them in errors: [`A` INTEGER, `B` STRING KEY]. */
export function describeColumns(columns: readonly SerdeColumn[], isKey: boolean): string {
  return `[${columns.map((c) => `\`${c.name}\` ${formatType(c.type)}${isKey ? ' KEY' : ''}`).join(', ')}]`;
}

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
