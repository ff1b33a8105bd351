import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { T } from '../src/common/types.js';
import { createSerde, InMemorySchemaRegistry, SerdeError, type SerdeColumn } from '../src/serde/index.js';
import { protobufPrefix, readProtobufPrefix } from '../src/serde/protobuf.js';
import { parseProtobufSchema, protobufSchemaText } from '../src/serde/protobuf-schema.js';
import { testFormFromBytes, toBytesFromTestForm } from '../src/serde/test-form.js';
import { run, values } from './helpers/engine-harness.js';

const val = { isKey: false };

const cols: SerdeColumn[] = [
  { name: 'ID', type: T.INTEGER },
  { name: 'AMOUNT', type: T.BIGINT },
  { name: 'RATE', type: T.DOUBLE },
  { name: 'OK', type: T.BOOLEAN },
  { name: 'NAME', type: T.STRING },
];

describe('PROTOBUF schema generation', () => {
  it('names the message ConnectDefault1 and numbers fields from 1', () => {
    expect(protobufSchemaText(cols, undefined, undefined)).toBe(
      'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int32 ID = 1;\n  int64 AMOUNT = 2;\n  double RATE = 3;\n' + '  bool OK = 4;\n  string NAME = 5;\n}\n',
    );
  });

  it('uses optional fields or wrappers for the nullable representations', () => {
    expect(protobufSchemaText([{ name: 'A', type: T.INTEGER }], undefined, 'OPTIONAL')).toContain('optional int32 A = 1;');
    const w = protobufSchemaText([{ name: 'A', type: T.STRING }], undefined, 'WRAPPER');
    expect(w).toContain('import "google/protobuf/wrappers.proto";');
    expect(w).toContain('google.protobuf.StringValue A = 1;');
  });

  it('generates nested messages, maps, and the well-known temporal and decimal types', () => {
    const text = protobufSchemaText(
      [
        { name: 'S', type: T.struct([{ name: 'X', type: T.INTEGER }]) },
        { name: 'M', type: T.map(T.STRING, T.BIGINT) },
        { name: 'D', type: T.decimal(6, 2) },
        { name: 'DAY', type: T.DATE },
        { name: 'TOD', type: T.TIME },
        { name: 'TS', type: T.TIMESTAMP },
      ],
      'my.pkg.Order',
      undefined,
    );
    expect(text).toContain('package my.pkg;');
    expect(text).toContain('message Order {');
    expect(text).toContain('ConnectDefault2 S = 1;');
    expect(text).toContain('map<string, int64> M = 2;');
    expect(text).toContain('google.type.Date DAY = 4;');
    const parsed = parseProtobufSchema(text, { fullName: 'my.pkg.Order' });
    expect(parsed.message.fields.map((f) => f.kind.k)).toEqual(['message', 'scalar', 'decimal', 'date', 'time', 'timestamp']);
    expect(parsed.message.fields[2]!.kind).toEqual({ k: 'decimal', precision: 6, scale: 2 });
  });

  it('refuses maps with non-primitive keys', () => {
    expect(() => createSerde('PROTOBUF', [{ name: 'M', type: T.map(T.DOUBLE, T.INTEGER) }], val)).toThrow(/MAP keys/);
  });

  it('rejects WRAP_SINGLE_VALUE=false with ksqlDB message', () => {
    expect(() => createSerde('PROTOBUF', [{ name: 'A', type: T.INTEGER }], { isKey: false, wrapSingleValue: false })).toThrow(
      "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.",
    );
  });
});

describe('PROTOBUF wire format', () => {
  it('writes magic byte, schema id and a single 0 message index', () => {
    const serde = createSerde('PROTOBUF', cols, { ...val, schemaId: 7 });
    const bytes = serde.serialize([150, 1, 0.5, true, 'x'])!;
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 0, 0, 7, 0]);
    // field 1 varint 150 = 08 96 01
    expect([...bytes.subarray(6, 9)]).toEqual([0x08, 0x96, 0x01]);
    expect(serde.deserialize(bytes)).toEqual([150, 1, 0.5, true, 'x']);
  });

  it('encodes other message indexes as zigzag varints', () => {
    const p = protobufPrefix(3, [1, 0]);
    expect([...p.subarray(5)]).toEqual([4, 2, 0]);
    expect(readProtobufPrefix(Buffer.concat([p, Buffer.from([8, 1])]))).toEqual({ id: 3, indexes: [1, 0], offset: 8 });
  });

  it('PROTOBUF_NOSR is the bare message', () => {
    const serde = createSerde('PROTOBUF_NOSR', [{ name: 'A', type: T.STRING }], val);
    const bytes = serde.serialize(['hi'])!;
    expect([...bytes]).toEqual([0x0a, 2, 0x68, 0x69]);
    expect(serde.deserialize(bytes)).toEqual(['hi']);
  });

  it('reads absent proto3 fields as defaults and nulls as absent', () => {
    const serde = createSerde(
      'PROTOBUF_NOSR',
      [...cols, { name: 'L', type: T.array(T.BIGINT) }, { name: 'S', type: T.struct([{ name: 'F', type: T.INTEGER }]) }],
      val,
    );
    const bytes = serde.serialize([null, null, null, null, null, null, null])!;
    expect(bytes.length).toBe(0);
    expect(serde.deserialize(bytes)).toEqual([0, 0, 0, false, '', [], null]);
    expect(serde.deserialize(serde.serialize([0, 0, 0, false, '', [], { F: null }]))).toEqual([0, 0, 0, false, '', [], { F: 0 }]);
  });

  it('keeps nulls with the OPTIONAL and WRAPPER representations', () => {
    for (const nullableRepresentation of ['OPTIONAL', 'WRAPPER'] as const) {
      const serde = createSerde('PROTOBUF', cols, { ...val, nullableRepresentation });
      expect(serde.deserialize(serde.serialize([null, 0, null, false, null]))).toEqual([null, 0, null, false, null]);
      expect(serde.deserialize(serde.serialize([0, null, 0, null, '']))).toEqual([0, null, 0, null, '']);
    }
  });

  it('round-trips decimals, dates, times, timestamps, bytes, maps and nested arrays of structs', () => {
    const c: SerdeColumn[] = [
      { name: 'D', type: T.decimal(6, 4) },
      { name: 'DAY', type: T.DATE },
      { name: 'TOD', type: T.TIME },
      { name: 'TS', type: T.TIMESTAMP },
      { name: 'B', type: T.BYTES },
      { name: 'M', type: T.map(T.STRING, T.INTEGER) },
      { name: 'A', type: T.array(T.struct([{ name: 'X', type: T.STRING }])) },
      { name: 'BIG', type: T.BIGINT },
    ];
    const serde = createSerde('PROTOBUF', c, val);
    const row = [
      Decimal.parse('-12.5000'),
      -10,
      45_296_789,
      1_700_000_000_123,
      Buffer.from([1, 2, 3]),
      new Map([
        ['a', 1],
        ['b', 0],
      ]),
      [{ X: 'p' }, { X: 'q' }],
      998877665544332200,
    ];
    const back = serde.deserialize(serde.serialize(row))!;
    expect((back[0] as Decimal).toString()).toBe('-12.5000');
    expect(back.slice(1)).toEqual(row.slice(1));
  });

  it('reads records written with another registered schema by field name', () => {
    const registry = new InMemorySchemaRegistry();
    const id = registry.register('syntax = "proto3"; message Other { string name = 2; uint32 id = 1; float rate = 7; }', { format: 'PROTOBUF' });
    const writer = createSerde(
      'PROTOBUF',
      [
        { name: 'id', type: T.BIGINT },
        { name: 'name', type: T.STRING },
        { name: 'rate', type: T.DOUBLE },
      ],
      {
        ...val,
        schemaId: id,
        schemaRegistry: registry,
      },
    );
    const bytes = writer.serialize([4000000000, 'n', 1.5])!;
    const reader = createSerde(
      'PROTOBUF',
      [
        { name: 'ID', type: T.BIGINT },
        { name: 'NAME', type: T.STRING },
        { name: 'RATE', type: T.DOUBLE },
      ],
      {
        ...val,
        schemaRegistry: registry,
      },
    );
    expect(reader.deserialize(bytes)).toEqual([4000000000, 'n', 1.5]);
  });

  it('writes the message named by schemaFullName with its index', () => {
    const registry = new InMemorySchemaRegistry();
    const id = registry.register('syntax = "proto3"; message K1 { uint32 a = 1; } message K2 { string k = 1; }', { format: 'PROTOBUF' });
    const serde = createSerde('PROTOBUF', [{ name: 'K', type: T.STRING }], { isKey: true, schemaId: id, schemaFullName: 'K2', schemaRegistry: registry });
    const bytes = serde.serialize(['z'])!;
    expect([...bytes.subarray(5, 7)]).toEqual([2, 2]);
    expect(serde.deserialize(bytes)).toEqual(['z']);
  });

  it('throws SerdeError on a missing magic byte', () => {
    const serde = createSerde('PROTOBUF', cols, val);
    expect(() => serde.deserialize(Buffer.from([1, 2, 3, 4, 5, 6]))).toThrow(SerdeError);
  });
});

describe('PROTOBUF test form', () => {
  it('writes test JSON matched case-insensitively and renders defaults', () => {
    const options = { ...val };
    const bytes = toBytesFromTestForm({ id: 3, name: null }, 'PROTOBUF', cols, options)!;
    expect(testFormFromBytes(bytes, 'PROTOBUF', cols, options)).toEqual({ ID: 3, AMOUNT: 0, RATE: 0, OK: false, NAME: '' });
  });

  it('uses the registered schema for inputs and the record id for outputs', () => {
    const registry = new InMemorySchemaRegistry();
    const id = registry.register('syntax = "proto3"; message V { float c1 = 1; bytes c2 = 2; }', { subject: 't-value' });
    const options = { ...val, schemaId: id, schemaRegistry: registry };
    const c = [
      { name: 'C1', type: T.DOUBLE },
      { name: 'C2', type: T.BYTES },
    ];
    const bytes = toBytesFromTestForm({ c1: 1.25, c2: 'AQI=' }, 'PROTOBUF', c, options)!;
    expect(testFormFromBytes(bytes, 'PROTOBUF', c, { ...val, schemaRegistry: registry })).toEqual({ c1: 1.25, c2: 'AQI=' });
    const empty = toBytesFromTestForm({ c1: 0 }, 'PROTOBUF', c, options)!;
    expect(testFormFromBytes(empty, 'PROTOBUF', c, { ...val, schemaRegistry: registry })).toEqual({ c1: 0, c2: null });
  });

  it('renders decimals as numbers and maps as objects', () => {
    const c = [
      { name: 'D', type: T.decimal(4, 2) },
      { name: 'M', type: T.map(T.STRING, T.STRING) },
    ];
    const bytes = toBytesFromTestForm({ D: 10.5, M: { a: 'b' } }, 'PROTOBUF_NOSR', c, val)!;
    expect(testFormFromBytes(bytes, 'PROTOBUF_NOSR', c, val)).toEqual({ D: 10.5, M: { a: 'b' } });
  });
});

describe('PROTOBUF sinks of CREATE … AS SELECT', () => {
  it('take VALUE_PROTOBUF_NULLABLE_REPRESENTATION from WITH, so null primitives stay null', async () => {
    for (const rep of ['OPTIONAL', 'WRAPPER']) {
      const sql =
        `CREATE STREAM I (K STRING KEY, N INTEGER, S STRING) WITH (kafka_topic='i', value_format='PROTOBUF', partitions=1, value_protobuf_nullable_representation='${rep}');` +
        `CREATE STREAM O WITH (value_format='PROTOBUF', value_protobuf_nullable_representation='${rep}') AS SELECT * FROM I;`;
      const out = await run(sql, [
        { topic: 'i', key: 'a', value: { N: null, S: '' }, timestamp: 0 },
        { topic: 'i', key: 'b', value: { N: 0, S: null }, timestamp: 1 },
      ]);
      expect(values('O', out)).toEqual([
        { N: null, S: '' },
        { N: 0, S: null },
      ]);
    }
  });
});
