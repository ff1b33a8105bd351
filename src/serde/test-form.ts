/**
 * Conversion between the "test form" of a record's key or value used in ksqlDB's
 * query-validation test files and the bytes on the topic:
 * - JSON / JSON_SR: the JSON document itself (JSON_SR adds the 5-byte prefix);
 * - DELIMITED: the raw text, e.g. `"a,b,c"`;
 * - KAFKA: a bare number or string typed by the single column (BYTES as Base64);
 * - AVRO: a JSON value converted through the Avro schema (see avro.ts);
 * - PROTOBUF / PROTOBUF_NOSR: an object keyed by the message's field names,
 *   absent proto3 fields rendered as their defaults (see protobuf.ts);
 * - null: a tombstone / null key.
 */
import type { FormatName, SerdeColumn, SerdeOptions } from './serde-types.js';
import { SR_PREFIX_LENGTH, withSrPrefix } from './json.js';
import { avroBytesFromTestForm, avroTestFormFromBytes } from './avro-test-form.js';
import { protobufBytesFromTestForm, protobufTestFormFromBytes } from './protobuf.js';

/** Bytes for a test-form key or value; null (or undefined) gives null bytes. */
export function toBytesFromTestForm(
  json: unknown,
  format: FormatName,
  columns: readonly SerdeColumn[],
  options: SerdeOptions,
): Buffer | null {
  if (json === null || json === undefined) return null;
  switch (format) {
    case 'JSON':
      return Buffer.from(testJsonText(json), 'utf8');
    case 'JSON_SR':
      return withSrPrefix(options.schemaId ?? 1, Buffer.from(testJsonText(json), 'utf8'));
    case 'DELIMITED':
      return Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8');
    case 'KAFKA':
      return kafkaBytes(json, columns[0]);
    case 'AVRO':
      return avroBytesFromTestForm(json, columns, options);
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return protobufBytesFromTestForm(json, columns, options, format === 'PROTOBUF');
    case 'NONE':
      return null;
    default:
      throw new Error(`Test form not supported for format ${format}`);
  }
}

/** The test form of key or value bytes; null bytes give null. */
export function testFormFromBytes(
  bytes: Buffer | null,
  format: FormatName,
  columns: readonly SerdeColumn[],
  options: SerdeOptions,
): unknown {
  if (bytes === null) return null;
  switch (format) {
    case 'JSON':
      return parseOrText(bytes.toString('utf8'));
    case 'JSON_SR':
      return parseOrText(bytes.toString('utf8', bytes[0] === 0 && bytes.length >= SR_PREFIX_LENGTH ? SR_PREFIX_LENGTH : 0));
    case 'DELIMITED':
      return bytes.toString('utf8');
    case 'KAFKA':
      return kafkaTestForm(bytes, columns[0]);
    case 'AVRO':
      return avroTestFormFromBytes(bytes, columns, options);
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return protobufTestFormFromBytes(bytes, columns, options, format === 'PROTOBUF');
    case 'NONE':
      return null;
    default:
      throw new Error(`Test form not supported for format ${format}`);
  }
}

const TWO_63 = 2 ** 63;

/**
 * A test-form JSON document as text. Test files read by JavaScript hold ksqlDB's
 * Long.MAX_VALUE / MIN_VALUE as the nearest double, ±2^63 (printed
 * 9223372036854776000); they are written back as the longs they stand for, since
 * JSON is now read with every digit (2^63 itself would wrap to Long.MIN_VALUE).
 */
function testJsonText(v: unknown): string {
  if (typeof v === 'number') {
    if (v === TWO_63) return '9223372036854775807';
    if (v === -TWO_63) return '-9223372036854775808';
    return JSON.stringify(v);
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + testJsonText(v[i] === undefined ? null : v[i]);
    return s + ']';
  }
  let s = '{';
  let first = true;
  for (const k in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + testJsonText(x);
    first = false;
  }
  return s + '}';
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

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
