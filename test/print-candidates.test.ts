import { describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry } from '../src/serde/schema-registry.js';
import { printCandidates, unrecognisedBytes } from '../src/serde/print-formats.js';

/**
 * PRINT's format readers (src/serde/print-formats.ts) on the cases ksqlDB's
 * RecordFormatterTest pins: which formats read which bytes, and the text shown.
 */

/** The formats that read `bytes`, in order, with the text the first shows. */
function detect(bytes: Buffer, isKey = false, registry?: InMemorySchemaRegistry): { formats: string[]; text: string | undefined } {
  const reads = printCandidates(isKey, registry)
    .map((c) => ({ name: c.name, text: c.read(bytes) }))
    .filter((r) => r.text !== undefined);
  return { formats: reads.map((r) => r.name), text: reads[0]?.text };
}

function long(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}

describe('PRINT format readers', () => {
  it('reads every JSON document kind ksqlDB accepts and shows the text as written', () => {
    for (const json of ['{"a":1}', '[10,22,44]', '"Yes this is valid json"', '24.987', 'true', 'null']) {
      const r = detect(Buffer.from(json));
      expect(r.formats[0]).toBe('JSON');
      expect(r.text).toBe(json);
    }
    expect(detect(Buffer.from('{BAD DATA"name": "myrecord"}')).formats).not.toContain('JSON');
    // Jackson reads one root value: text after a string is not read, a number must end at white space.
    expect(detect(Buffer.from('"a" trailing')).formats).toContain('JSON');
    expect(detect(Buffer.from('123abc')).formats).not.toContain('JSON');
  });

  it('reads 8 bytes as a long before a double, as ksqlDB prefers', () => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(24.199);
    const r = detect(b);
    expect(r.formats.slice(0, 2)).toEqual(['KAFKA_BIGINT', 'KAFKA_DOUBLE']);
    expect(r.text).toBe(b.readBigInt64BE(0).toString());
  });

  it('drops every format on bytes that are no UTF-8 text, showing them as Kafka Bytes.toString', () => {
    const bytes = Buffer.from([0xff, 0xff, 0x69, 0x73, 0x20, 0x5c, 0xff, 0xff, 0x00, 0x01]);
    expect(detect(bytes)).toEqual({ formats: [], text: undefined });
    expect(unrecognisedBytes(bytes)).toBe('\\xFF\\xFFis \\x5C\\xFF\\xFF\\x00\\x01');
  });

  it('decodes session and time windows, refusing a session that ends before it starts', () => {
    const inner = Buffer.from('κόσμε');
    const session = Buffer.concat([inner, long(1534567899999n), long(1534567890123n)]);
    const s = detect(session, true);
    expect(s.formats[0]).toBe('SESSION(KAFKA_STRING)');
    expect(s.text).toBe('[κόσμε@1534567890123/1534567899999]');
    const backwards = Buffer.concat([Buffer.alloc(4, 1), long(99n), long(100n)]);
    expect(detect(backwards, true).formats.filter((f) => f.startsWith('SESSION'))).toEqual([]);
    const time = Buffer.concat([Buffer.from([0, 0, 0, 24]), long(1234567890123n)]);
    expect(detect(time, true)).toMatchObject({ formats: expect.arrayContaining(['HOPPING(KAFKA_INT)', 'TUMBLING(KAFKA_INT)']), text: '[24@1234567890123/-]' });
  });

  it('reads AVRO only with a registered Avro schema for the id, shown as Avro renders a record', () => {
    const registry = new InMemorySchemaRegistry();
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 0x1e]), Buffer.from('My first string')]);
    expect(detect(bytes, false, registry).formats).not.toContain('AVRO');
    registry.register({ type: 'record', name: 'myrecord', fields: [{ name: 'str1', type: 'string' }] }, { format: 'AVRO' });
    const r = detect(bytes, false, registry);
    expect(r.formats[0]).toBe('AVRO');
    expect(r.text).toBe('{"str1": "My first string"}');
  });

  it('reads PROTOBUF in protobuf short text form and JSON_SR as compact JSON, each only with its schema type', () => {
    const registry = new InMemorySchemaRegistry();
    registry.register('syntax = "proto3"; message MyRecord {string str1 = 1; string str2 = 2;}', { format: 'PROTOBUF' });
    const body = Buffer.concat([Buffer.from([0x0a, 15]), Buffer.from('My first string'), Buffer.from([0x12, 16]), Buffer.from('My second string')]);
    const pb = detect(Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 0]), body]), false, registry);
    expect(pb.formats[0]).toBe('PROTOBUF');
    expect(pb.text).toBe('str1: "My first string" str2: "My second string"');

    registry.register({ type: 'object', properties: { str1: { type: 'string' } } }, { format: 'JSON_SR' });
    const sr = detect(Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), Buffer.from('{"str1": "a\\u0001", "n": 1.50, "i": 7}')]), false, registry);
    expect(sr.formats).toContain('JSON_SR');
    expect(sr.formats).not.toContain('PROTOBUF');
    expect(sr.text).toBe('{"str1":"a\\u0001","n":1.5,"i":7}');
  });
});
