import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { T } from '../src/common/types.js';
import { avroSchemaForColumns, bigIntToBytes, bytesToBigInt } from '../src/serde/avro-schema.js';
import { createSerde, InMemorySchemaRegistry, SerdeError } from '../src/serde/index.js';
import { testFormFromBytes, toBytesFromTestForm } from '../src/serde/test-form.js';

const val = { isKey: false };

describe('AVRO schema generation', () => {
  it('generates ksqlDB-style records', () => {
    const s = avroSchemaForColumns(
      [
        { name: 'ID', type: T.BIGINT },
        { name: 'S', type: T.struct([{ name: 'X', type: T.decimal(4, 2) }]) },
        { name: 'D', type: T.DATE },
      ],
      true,
    ) as Record<string, unknown>;
    expect(s.name).toBe('KsqlDataSourceSchema');
    expect(s.namespace).toBe('io.confluent.ksql.avro_schemas');
    const fields = s.fields as Record<string, unknown>[];
    expect(fields[0]).toEqual({ name: 'ID', type: ['null', 'long'], default: null });
    const nested = (fields[1]!.type as unknown[])[1] as Record<string, unknown>;
    expect(nested.name).toBe('KsqlDataSourceSchema_S');
    expect(((nested.fields as Record<string, unknown>[])[0]!.type as unknown[])[1]).toMatchObject({
      type: 'bytes',
      logicalType: 'decimal',
      precision: 4,
      scale: 2,
    });
    expect((fields[2]!.type as unknown[])[1]).toMatchObject({ type: 'int', logicalType: 'date' });
  });

  it('rejects non-STRING map keys and bad names', () => {
    expect(() => createSerde('AVRO', [{ name: 'M', type: T.map(T.INTEGER, T.INTEGER) }], val)).toThrow('Avro only supports MAPs with STRING keys');
    expect(() => createSerde('AVRO', [{ name: '1A', type: T.INTEGER }], val)).toThrow('Schema is not compatible with Avro: Illegal initial character: 1A');
  });

  it('encodes two-complement decimals like BigInteger.toByteArray', () => {
    for (const [n, hex] of [
      [0n, '00'],
      [127n, '7f'],
      [128n, '0080'],
      [-1n, 'ff'],
      [-128n, '80'],
      [-129n, 'ff7f'],
      [65535n, '00ffff'],
    ] as const) {
      expect(bigIntToBytes(n).toString('hex')).toBe(hex);
      expect(bytesToBigInt(Buffer.from(hex, 'hex'))).toBe(n);
    }
  });
});

describe('AVRO serde', () => {
  const cols = [
    { name: 'ID', type: T.BIGINT },
    { name: 'NAME', type: T.STRING },
    { name: 'AMT', type: T.decimal(6, 2) },
    { name: 'TAGS', type: T.array(T.STRING) },
    { name: 'M', type: T.map(T.STRING, T.DOUBLE) },
    { name: 'B', type: T.BYTES },
  ];

  it('writes the Confluent wire format and reads it back', () => {
    const s = createSerde('AVRO', cols, { isKey: false, schemaId: 7 });
    const row = [5, 'n', new Decimal(1234n, 2), ['a', null], new Map([['k', 1.5]]), Buffer.from([1])];
    const b = s.serialize(row)!;
    expect(b.subarray(0, 5).toString('hex')).toBe('0000000007');
    // ID: union index 1 (0x02), zigzag 5 (0x0a)
    expect(b.subarray(5, 7).toString('hex')).toBe('020a');
    const back = s.deserialize(b)!;
    expect(back[0]).toBe(5);
    expect((back[2] as Decimal).toString()).toBe('12.34');
    expect(back[3]).toEqual(['a', null]);
    expect(back[4]).toEqual(new Map([['k', 1.5]]));
    expect(back[5]).toEqual(Buffer.from([1]));
    expect(s.deserialize(s.serialize([null, null, null, null, null, null]))).toEqual([null, null, null, null, null, null]);
  });

  it('writes unwrapped single values with the bare type and null as a tombstone', () => {
    const s = createSerde('AVRO', [{ name: 'V', type: T.INTEGER }], { isKey: false, wrapSingleValue: false });
    const b = s.serialize([3])!;
    expect(b.subarray(5).toString('hex')).toBe('06');
    expect(s.deserialize(b)).toEqual([3]);
    expect(s.serialize([null])).toBeNull();
  });

  it('registers its schema and reads records written with another registered schema', () => {
    const reg = new InMemorySchemaRegistry();
    const s = createSerde(
      'AVRO',
      [
        { name: 'C1', type: T.STRING },
        { name: 'C2', type: T.BIGINT },
      ],
      {
        isKey: false,
        schemaRegistry: reg,
      },
    );
    const writer = {
      type: 'record',
      name: 'other',
      fields: [
        { name: 'c2', type: 'int' },
        { name: 'c1', type: 'int' },
      ],
    };
    const id = reg.register(writer);
    const bytes = toBytesFromTestForm({ c1: 4, c2: 9 }, 'AVRO', [], { isKey: false, schemaRegistry: reg, schemaId: id })!;
    expect(s.deserialize(bytes)).toEqual(['4', 9]);
    expect(s.serialize(['x', 1])!.readInt32BE(1)).not.toBe(id);
  });

  it('with a registered writer schema, a null in a non-nullable field (also nested) takes its default', () => {
    const reg = new InMemorySchemaRegistry();
    const writer = {
      type: 'record',
      name: 'w',
      fields: [
        { name: 'N', type: 'int', default: 7 },
        {
          name: 'S',
          type: {
            type: 'record',
            name: 's',
            fields: [
              { name: 'a', type: 'int', default: 0 },
              { name: 'b', type: ['null', 'int'], default: null },
            ],
          },
        },
      ],
    };
    const id = reg.register(writer);
    const cols = [
      { name: 'N', type: T.INTEGER },
      {
        name: 'S',
        type: T.struct([
          { name: 'a', type: T.INTEGER },
          { name: 'b', type: T.INTEGER },
        ]),
      },
    ];
    const s = createSerde('AVRO', cols, { isKey: false, schemaRegistry: reg, schemaId: id });
    const bytes = s.serialize([null, { a: null, b: null }])!;
    expect(testFormFromBytes(bytes, 'AVRO', cols, { isKey: false, schemaRegistry: reg })).toEqual({ N: 7, S: { a: 0, b: null } });
  });

  it('keeps BIGINT values beyond 2^53 instead of failing', () => {
    const s = createSerde('AVRO', [{ name: 'K', type: T.BIGINT }], { isKey: true });
    const big = 2 ** 60;
    expect(s.deserialize(s.serialize([big]))).toEqual([big]);
  });

  it('test-form bytes use the id the registry gives the columns schema', () => {
    const reg = new InMemorySchemaRegistry();
    reg.register('string');
    const kc = [{ name: 'K', type: T.INTEGER }];
    const o = { isKey: true, schemaRegistry: reg };
    const bytes = toBytesFromTestForm(12, 'AVRO', kc, o)!;
    expect(bytes.readInt32BE(1)).toBe(2);
    expect(createSerde('AVRO', kc, o).deserialize(bytes)).toEqual([12]);
    expect(testFormFromBytes(bytes, 'AVRO', kc, o)).toBe(12);
  });

  it('rejects bytes without the magic byte', () => {
    const s = createSerde('AVRO', cols, val);
    expect(() => s.deserialize(Buffer.from('{}'))).toThrow(SerdeError);
  });
});

describe('AVRO test form', () => {
  it('converts JSON through the generated schema', () => {
    const cols = [
      { name: 'FOO', type: T.INTEGER },
      { name: 'DEC', type: T.decimal(6, 4) },
      { name: 'B', type: T.BYTES },
    ];
    const bytes = toBytesFromTestForm({ foo: 10, DEC: 1, B: 'AQI=' }, 'AVRO', cols, val)!;
    const row = createSerde('AVRO', cols, val).deserialize(bytes)!;
    expect(row[0]).toBe(10);
    expect((row[1] as Decimal).toString()).toBe('1.0000');
    expect(testFormFromBytes(bytes, 'AVRO', cols, val)).toEqual({ FOO: 10, DEC: 1, B: 'AQI=' });
    expect(toBytesFromTestForm(null, 'AVRO', cols, val)).toBeNull();
  });
});
