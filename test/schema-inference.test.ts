import { describe, expect, it } from 'vitest';
import { T } from '../src/common/types.js';
import { InMemorySchemaRegistry, inferColumns, inferColumnsFromRegistry } from '../src/serde/index.js';
import { guessSchemaFormat, javaHashMapOrder } from '../src/serde/schema-registry.js';

const value = { isKey: false };
const key = { isKey: true };

describe('inferColumns: PROTOBUF', () => {
  const text =
    'syntax = "proto3"; import "google/protobuf/wrappers.proto"; import "google/protobuf/timestamp.proto";' +
    ' import "confluent/type/decimal.proto"; message Trade { message Leg { string venue = 1; } ' +
    'sint32 qty = 1; uint32 lots = 2; fixed64 seq = 3; float px = 4; google.protobuf.StringValue note = 5;' +
    ' repeated Leg legs = 6; map<string, int64> fees = 7; google.protobuf.Timestamp at = 8; bytes raw = 9;' +
    ' confluent.type.Decimal notional = 10 [(confluent.field_meta) = { params: [{ key: "precision", value: "10" }, { key: "scale", value: "3" }] }]; }';

  it('maps protobuf types as Confluent does and upper-cases names without a schema id', () => {
    expect(inferColumns('PROTOBUF', text, value)).toEqual([
      { name: 'QTY', type: T.INTEGER },
      { name: 'LOTS', type: T.BIGINT },
      { name: 'SEQ', type: T.BIGINT },
      { name: 'PX', type: T.DOUBLE },
      { name: 'NOTE', type: T.STRING },
      { name: 'LEGS', type: T.array(T.struct([{ name: 'VENUE', type: T.STRING }])) },
      { name: 'FEES', type: T.map(T.STRING, T.BIGINT) },
      { name: 'AT', type: T.TIMESTAMP },
      { name: 'RAW', type: T.BYTES },
      { name: 'NOTIONAL', type: T.decimal(10, 3) },
    ]);
  });

  it('keeps names from a schema id and selects the message by full name', () => {
    const two = 'syntax = "proto3"; package acme; message A { int32 x = 1; } message B { string yY = 1; }';
    expect(inferColumns('PROTOBUF', two, { ...key, fromSchemaId: true })).toEqual([{ name: 'x', type: T.INTEGER }]);
    expect(inferColumns('PROTOBUF', two, { ...key, fromSchemaId: true, schemaFullName: 'B' })).toEqual([{ name: 'yY', type: T.STRING }]);
    expect(inferColumns('PROTOBUF', two, { ...key, schemaFullName: 'acme.B' })).toEqual([{ name: 'YY', type: T.STRING }]);
    expect(() => inferColumns('PROTOBUF', two, { ...key, schemaFullName: 'C' })).toThrow(/not found/);
  });

  it('resolves imports from references', () => {
    const main = 'syntax = "proto3"; import "part.proto"; message Box { Part part = 1; }';
    const references = [{ name: 'part.proto', schema: 'syntax = "proto3"; message Part { int64 weight = 1; }' }];
    expect(inferColumns('PROTOBUF', main, { ...value, references })).toEqual([{ name: 'PART', type: T.struct([{ name: 'WEIGHT', type: T.BIGINT }]) }]);
  });

  it('refuses recursive messages', () => {
    expect(() => inferColumns('PROTOBUF', 'syntax = "proto3"; message N { N next = 1; }', value)).toThrow(/recursive/);
  });
});

describe('inferColumns: AVRO and JSON_SR', () => {
  it('turns an Avro record into columns and other schemas into ROWKEY / ROWVAL', () => {
    const rec = {
      type: 'record',
      name: 'r',
      fields: [
        { name: 'amount', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 1 }] },
        { name: 'tags', type: { type: 'map', values: 'float' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
      ],
    };
    expect(inferColumns('AVRO', rec, value)).toEqual([
      { name: 'AMOUNT', type: T.decimal(5, 1) },
      { name: 'TAGS', type: T.map(T.STRING, T.DOUBLE) },
      { name: 'DAY', type: T.DATE },
    ]);
    expect(inferColumns('AVRO', rec, { ...value, fromSchemaId: true })[0]!.name).toBe('amount');
    expect(inferColumns('AVRO', 'long', key)).toEqual([{ name: 'ROWKEY', type: T.BIGINT }]);
    expect(inferColumns('AVRO', rec, { ...value, wrapSingleValue: false })[0]!.name).toBe('ROWVAL');
    expect(inferColumns('AVRO', { type: 'array', items: ['null', 'string'] }, value)).toEqual([{ name: 'ROWVAL', type: T.array(T.STRING) }]);
  });

  it('reads JSON Schema with Connect annotations', () => {
    const schema = {
      type: 'object',
      properties: {
        b: { 'connect.index': 1, type: 'integer' },
        a: { 'connect.index': 0, oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] },
        d: { type: 'number', title: 'org.apache.kafka.connect.data.Decimal', 'connect.parameters': { scale: '2', 'connect.decimal.precision': '7' } },
        m: { type: 'object', additionalProperties: { type: 'string' } },
      },
    };
    expect(inferColumns('JSON_SR', schema, value)).toEqual([
      { name: 'A', type: T.INTEGER },
      { name: 'B', type: T.BIGINT },
      { name: 'D', type: T.decimal(7, 2) },
      { name: 'M', type: T.map(T.STRING, T.STRING) },
    ]);
    expect(inferColumns('JSON_SR', JSON.stringify({ type: 'boolean' }), key)).toEqual([{ name: 'ROWKEY', type: T.BOOLEAN }]);
  });

  it('refuses formats without inference', () => {
    expect(() => inferColumns('KAFKA', 'x', value)).toThrow(/schema inference/);
  });
});

describe('inferColumnsFromRegistry', () => {
  it('uses the latest schema of the subject, or the schema id', () => {
    const reg = new InMemorySchemaRegistry();
    const v1 = reg.register('syntax = "proto3"; message M { int32 a = 1; }', { subject: 'orders-value' });
    const v2 = reg.register('syntax = "proto3"; message M { int32 a = 1; string b = 2; }', { subject: 'orders-value' });
    expect(inferColumnsFromRegistry(reg, 'orders', 'PROTOBUF', value)).toEqual({
      columns: [
        { name: 'A', type: T.INTEGER },
        { name: 'B', type: T.STRING },
      ],
      schemaId: v2,
    });
    expect(inferColumnsFromRegistry(reg, 'orders', 'PROTOBUF', { ...value, schemaId: v1 }).columns).toEqual([{ name: 'a', type: T.INTEGER }]);
    expect(() => inferColumnsFromRegistry(reg, 'other', 'PROTOBUF', value)).toThrow(
      "Schema for message values on topic 'other' does not exist in the Schema Registry.",
    );
  });
});

describe('InMemorySchemaRegistry', () => {
  it('deduplicates identical schemas, honours explicit ids and guesses formats', () => {
    const reg = new InMemorySchemaRegistry();
    expect(reg.register({ type: 'int' }, { subject: 'a-key' })).toBe(1);
    expect(reg.register({ type: 'int' }, { subject: 'b-key' })).toBe(1);
    expect(reg.register('syntax = "proto3"; message M {}', { id: 10 })).toBe(10);
    expect(reg.getRegistered(10)?.format).toBe('PROTOBUF');
    expect(reg.register({ type: 'string' })).toBe(2);
    expect(reg.getLatest('b-key')?.id).toBe(1);
    expect(reg.register({ type: 'object' }, { format: 'JSON' })).toBe(3);
    expect(reg.getRegistered(3)?.format).toBe('JSON_SR');
    expect(guessSchemaFormat({ type: 'object', properties: {} })).toBe('JSON_SR');
    expect(guessSchemaFormat({ type: 'record', name: 'x', fields: [] })).toBe('AVRO');
  });
});

describe('javaHashMapOrder', () => {
  it('orders names as a Java HashMap iterates them', () => {
    expect(javaHashMapOrder(['OUTPUT', 'input'])).toEqual(['input', 'OUTPUT']);
    expect(javaHashMapOrder(['left_topic', 'right_topic'])).toEqual(['right_topic', 'left_topic']);
    expect(javaHashMapOrder(['source2', 'source'])).toEqual(['source2', 'source']);
  });
});
