/**
 * The PROTOBUF format (Confluent wire format: magic byte 0, 4-byte big-endian
 * schema id, the message-indexes varint array — a single 0 for the first
 * message — then the protobuf binary) and PROTOBUF_NOSR (the protobuf binary
 * alone). Both always write a message holding the columns (ksqlDB does not
 * unwrap single protobuf columns). The writer schema is the one registered under
 * `options.schemaId` (message chosen by `schemaFullName`), else the one ksqlDB
 * generates from the columns (registered in `options.schemaRegistry` when given).
 * PROTOBUF reads each record with the schema registered under its id and the
 * message its indexes name, falling back to the writer schema.
 */
import { Decimal } from '../common/decimal.js';
import type { SqlType } from '../common/types.js';
import type { Format } from './format.js';
import { protobufSchemaColumns } from './schema-translators.js';
import { createVoidSerde } from './none.js';
import { decodeBase64 } from '../common/java-text.js';
import { compileMessage, decodeMessage, encodeMessage, naturalColumns, type MessageCodec } from './protobuf-codec.js';
import { generatedProtobufSchema, parseProtobufSchema, type PbSchema } from './protobuf-schema.js';
import { SerdeError, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

/** The registered protobuf schema under `id`, parsed, or undefined when none is registered. */
export function registeredProtobufSchema(options: SerdeOptions, id: number, fullName?: string, indexes?: readonly number[]): PbSchema | undefined {
  const reg = options.schemaRegistry;
  if (!reg) return undefined;
  const entry = reg.getRegistered?.(id);
  const schema = entry ? entry.schema : reg.getSchema(id);
  if (typeof schema !== 'string') return undefined;
  if (entry && entry.format !== 'PROTOBUF' && entry.format !== 'PROTOBUF_NOSR') return undefined;
  return parseProtobufSchema(schema, {
    ...(fullName !== undefined ? { fullName } : {}),
    ...(indexes !== undefined ? { indexes } : {}),
    references: entry?.references ?? [],
  });
}

/** The writer schema and id for one side: registered under `schemaId`, else generated (and registered). */
export function protobufWriter(columns: readonly SerdeColumn[], options: SerdeOptions, sr: boolean): { schema: PbSchema; id: number } {
  if (sr && options.schemaId !== undefined) {
    const registered = registeredProtobufSchema(options, options.schemaId, options.schemaFullName);
    if (registered) return { schema: registered, id: options.schemaId };
  }
  const schema = generatedProtobufSchema(columns, options.schemaFullName, options.nullableRepresentation);
  const id = !sr
    ? 0
    : (options.schemaId ??
      options.schemaRegistry?.register(schema.text, { format: 'PROTOBUF', ...(options.subject === undefined ? {} : { subject: options.subject }) }) ??
      1);
  return { schema, id };
}

/** Zigzag varint (Kafka's ByteUtils.writeVarint), as in Confluent's message indexes. */
function writeZigzag(out: number[], n: number): void {
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** The wire-format prefix: magic byte, schema id, message indexes (`[0]` as a single 0). */
export function protobufPrefix(id: number, indexes: readonly number[]): Buffer {
  const bytes: number[] = [0, (id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
  if (indexes.length === 1 && indexes[0] === 0) bytes.push(0);
  else {
    writeZigzag(bytes, indexes.length);
    for (const i of indexes) writeZigzag(bytes, i);
  }
  return Buffer.from(bytes);
}

/** Parses the prefix: schema id, message indexes and where the protobuf body starts. */
export function readProtobufPrefix(bytes: Buffer): { id: number; indexes: number[]; offset: number } {
  if (bytes.length < 6 || bytes[0] !== 0) throw new SerdeError('Failed to deserialize PROTOBUF: Unknown magic byte!');
  const id = bytes.readInt32BE(1);
  let pos = 5;
  const next = (): number => {
    let shift = 0;
    let v = 0;
    for (;;) {
      if (pos >= bytes.length) throw new SerdeError('Failed to deserialize PROTOBUF: truncated message indexes');
      const b = bytes[pos++]!;
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    return (v >>> 1) ^ -(v & 1);
  };
  const count = next();
  const indexes: number[] = [];
  if (count === 0) indexes.push(0);
  for (let i = 0; i < count; i++) indexes.push(next());
  return { id, indexes, offset: pos };
}

class ProtobufSerde implements Serde {
  private readonly prefix: Buffer;
  private readonly writer: MessageCodec;
  private readonly readers = new Map<string, MessageCodec>();

  constructor(
    private readonly columns: readonly SerdeColumn[],
    private readonly options: SerdeOptions,
    private readonly sr: boolean,
  ) {
    const { schema, id } = protobufWriter(columns, options, sr);
    this.writer = compileMessage(schema.message, columns);
    this.prefix = sr ? protobufPrefix(id, schema.indexes) : Buffer.alloc(0);
    if (sr) this.readers.set(`${id}:${schema.indexes.join(',')}`, this.writer);
  }

  private readerFor(id: number, indexes: readonly number[]): MessageCodec {
    const key = `${id}:${indexes.join(',')}`;
    let codec = this.readers.get(key);
    if (codec) return codec;
    let schema: PbSchema | undefined;
    try {
      schema = registeredProtobufSchema(this.options, id, undefined, indexes);
    } catch {
      schema = undefined;
    }
    codec = schema ? compileMessage(schema.message, this.columns) : this.writer;
    this.readers.set(key, codec);
    return codec;
  }

  serialize(values: readonly unknown[] | null): Buffer | null {
    if (values === null) return null;
    let body: Buffer;
    try {
      body = encodeMessage(values, this.writer);
    } catch (e) {
      throw new SerdeError(`Failed to serialize PROTOBUF: ${(e as Error).message}`);
    }
    return this.sr ? Buffer.concat([this.prefix, body]) : body;
  }

  deserialize(bytes: Buffer | null): unknown[] | null {
    if (bytes === null) return null;
    let codec = this.writer;
    let offset = 0;
    if (this.sr) {
      const p = readProtobufPrefix(bytes);
      codec = this.readerFor(p.id, p.indexes);
      offset = p.offset;
    }
    try {
      return decodeMessage(bytes, offset, codec);
    } catch (e) {
      if (e instanceof SerdeError) throw e;
      throw new SerdeError(`Failed to deserialize PROTOBUF: ${(e as Error).message}`);
    }
  }
}

/** Throws ksqlDB's message when PROTOBUF cannot hold the columns (or WRAP_SINGLE_VALUE=false). */
export function validateProtobufColumns(format: 'PROTOBUF' | 'PROTOBUF_NOSR', columns: readonly SerdeColumn[], options: SerdeOptions): void {
  if (options.wrapSingleValue === false) {
    throw new Error(`Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to 'false'.`);
  }
  if (columns.length > 0) generatedProtobufSchema(columns, options.schemaFullName, options.nullableRepresentation);
}

/** A PROTOBUF (`sr`) or PROTOBUF_NOSR serde for the columns. */
export function createProtobufSerde(columns: readonly SerdeColumn[], options: SerdeOptions, sr: boolean): Serde {
  return new ProtobufSerde(columns, options, sr);
}

// ---------------------------------------------------------------- test form

function lookup(o: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(o, name)) return o[name];
  const up = name.toUpperCase();
  for (const k in o) if (k.toUpperCase() === up) return o[k];
  return undefined;
}

/** A JSON test value → the runtime value of `t`. */
function fromJson(t: SqlType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'DECIMAL':
      return Decimal.parse(String(v)).setScale(t.scale);
    case 'BYTES':
      return typeof v === 'string' ? (decodeBase64(v) ?? Buffer.from(v, 'utf8')) : null;
    case 'STRING':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'BOOLEAN':
      return v === true || v === 'true';
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return typeof v === 'number' ? v : Number(v);
    case 'ARRAY':
      return Array.isArray(v) ? v.map((x) => fromJson(t.item, x)) : null;
    case 'MAP': {
      const m = new Map<unknown, unknown>();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        m.set(t.key.kind === 'STRING' ? k : fromJson(t.key, k), fromJson(t.value, x));
      }
      return m;
    }
    case 'STRUCT': {
      const o: Record<string, unknown> = {};
      for (const f of t.fields) o[f.name] = fromJson(f.type, lookup(v as Record<string, unknown>, f.name));
      return o;
    }
  }
}

/** A runtime value → its JSON test form (decimals as numbers, bytes as Base64, empty bytes as null). */
function toJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Decimal) return v.toNumber();
  if (Buffer.isBuffer(v)) return v.length === 0 ? null : v.toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[String(k)] = toJson(x);
    return o;
  }
  if (typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = toJson(x);
    return o;
  }
  return v;
}

/**
 * Bytes for a PROTOBUF (`sr`) / PROTOBUF_NOSR test-form value (a JSON object keyed
 * by field name, matched case-insensitively), written with the schema registered
 * under `options.schemaId` when there is one, else the columns' generated schema.
 */
export function protobufBytesFromTestForm(json: unknown, columns: readonly SerdeColumn[], options: SerdeOptions, sr: boolean): Buffer {
  const { schema, id } = protobufWriter(columns, options, sr);
  const natural = naturalColumns(schema.message);
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const row = natural.map((c) => fromJson(c.type, lookup(o, c.name)));
  const body = encodeMessage(row, compileMessage(schema.message, natural));
  return sr ? Buffer.concat([protobufPrefix(id, schema.indexes), body]) : body;
}

/** The test form of PROTOBUF / PROTOBUF_NOSR bytes: an object keyed by the writer schema's field names. */
export function protobufTestFormFromBytes(bytes: Buffer, columns: readonly SerdeColumn[], options: SerdeOptions, sr: boolean): unknown {
  let schema: PbSchema | undefined;
  let offset = 0;
  if (sr) {
    const p = readProtobufPrefix(bytes);
    offset = p.offset;
    schema = registeredProtobufSchema(options, p.id, undefined, p.indexes);
  }
  schema ??= protobufWriter(columns, { ...options, schemaId: undefined, schemaRegistry: undefined }, sr).schema;
  const natural = naturalColumns(schema.message);
  const row = decodeMessage(bytes, offset, compileMessage(schema.message, natural));
  const out: Record<string, unknown> = {};
  natural.forEach((c, i) => {
    out[c.name] = toJson(row[i]);
  });
  return out;
}

/** PROTOBUF: proto3 messages after the schema-registry prefix (with message indexes). */
export const PROTOBUF_FORMAT: Format = {
  name: 'PROTOBUF',
  usesSchemaRegistry: true,
  configs: new Set(['fullSchemaName']),
  nullableRepresentation: true,
  holdsNestedAggregateState: true,
  holdsColumns: true,
  create: (columns, options) => {
    validateProtobufColumns('PROTOBUF', columns, options);
    return columns.length === 0 ? createVoidSerde() : createProtobufSerde(columns, options, true);
  },
  schemaTranslator: (schema, options) => protobufSchemaColumns('PROTOBUF', schema, options),
  testForm: {
    toBytes: (json, columns, options) => protobufBytesFromTestForm(json, columns, options, true),
    fromBytes: (bytes, columns, options) => protobufTestFormFromBytes(bytes, columns, options, true),
  },
};

/** PROTOBUF_NOSR: proto3 messages without the registry prefix. */
export const PROTOBUF_NOSR_FORMAT: Format = {
  name: 'PROTOBUF_NOSR',
  usesSchemaRegistry: false,
  configs: new Set(['fullSchemaName']),
  nullableRepresentation: true,
  holdsNestedAggregateState: true,
  holdsColumns: true,
  create: (columns, options) => {
    validateProtobufColumns('PROTOBUF_NOSR', columns, options);
    return columns.length === 0 ? createVoidSerde() : createProtobufSerde(columns, options, false);
  },
  schemaTranslator: (schema, options) => protobufSchemaColumns('PROTOBUF_NOSR', schema, options),
  testForm: {
    toBytes: (json, columns, options) => protobufBytesFromTestForm(json, columns, options, false),
    fromBytes: (bytes, columns, options) => protobufTestFormFromBytes(bytes, columns, options, false),
  },
};
