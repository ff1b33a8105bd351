/**
 * Conversion between the "test form" of a record's key or value used in ksqlDB's
 * query-validation test files and the bytes on the topic, by the format's
 * {@link TestFormCodec} (see each format's descriptor):
 * - JSON / JSON_SR: the JSON document itself (JSON_SR adds the 5-byte prefix);
 * - DELIMITED: the raw text, e.g. `"a,b,c"`;
 * - KAFKA: a bare number or string typed by the single column (BYTES as Base64);
 * - AVRO: a JSON value converted through the Avro schema (see avro-test-form.ts);
 * - PROTOBUF / PROTOBUF_NOSR: an object keyed by the message's field names,
 *   absent proto3 fields rendered as their defaults (see protobuf.ts);
 * - null: a tombstone / null key.
 */
import type { TestFormCodec } from './format.js';
import { formatNamed } from './formats.js';
import type { FormatName, SerdeColumn, SerdeOptions } from './serde-types.js';

/** The codec of `format`; throws for a name that is no format. */
function codecOf(format: FormatName): TestFormCodec {
  const f = formatNamed(format);
  if (f === undefined) throw new Error(`Test form not supported for format ${format}`);
  return f.testForm;
}

/** Bytes for a test-form key or value; null (or undefined) gives null bytes. */
export function toBytesFromTestForm(json: unknown, format: FormatName, columns: readonly SerdeColumn[], options: SerdeOptions): Buffer | null {
  if (json === null || json === undefined) return null;
  return codecOf(format).toBytes(json, columns, options);
}

/** The test form of key or value bytes; null bytes give null. */
export function testFormFromBytes(bytes: Buffer | null, format: FormatName, columns: readonly SerdeColumn[], options: SerdeOptions): unknown {
  if (bytes === null) return null;
  return codecOf(format).fromBytes(bytes, columns, options);
}
