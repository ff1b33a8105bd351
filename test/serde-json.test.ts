import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { T } from '../src/common/types.js';
import { createSerde, SerdeError } from '../src/serde/index.js';

const val = { isKey: false };
const key = { isKey: true };
const j = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

describe('JSON serde: layout', () => {
  it('wraps values in an object keyed by column name', () => {
    const s = createSerde(
      'JSON',
      [
        { name: 'ID', type: T.BIGINT },
        { name: 'name', type: T.STRING },
      ],
      val,
    );
    expect(text(s.serialize([7, 'x"y']))).toBe('{"ID":7,"name":"x\\"y"}');
    expect(s.deserialize(j('{"ID":7,"name":"q"}'))).toEqual([7, 'q']);
  });

  it('matches field names case-insensitively and treats missing as null', () => {
    const s = createSerde(
      'JSON',
      [
        { name: 'ID', type: T.INTEGER },
        { name: 'NAME', type: T.STRING },
      ],
      val,
    );
    expect(s.deserialize(j('{"id":3}'))).toEqual([3, null]);
    expect(s.deserialize(j('{"Name":"n","ID":1,"extra":true}'))).toEqual([1, 'n']);
    // a quoted lower-case column matches exactly only
    const q = createSerde('JSON', [{ name: 'lower', type: T.INTEGER }], val);
    expect(q.deserialize(j('{"LOWER":1}'))).toEqual([null]);
    expect(q.deserialize(j('{"lower":2}'))).toEqual([2]);
  });

  it('leaves single keys unwrapped and single values wrapped by default', () => {
    const k = createSerde('JSON', [{ name: 'K', type: T.STRING }], key);
    expect(text(k.serialize(['a']))).toBe('"a"');
    expect(k.deserialize(j('"b"'))).toEqual(['b']);
    const v = createSerde('JSON', [{ name: 'V', type: T.STRING }], val);
    expect(text(v.serialize(['a']))).toBe('{"V":"a"}');
    const u = createSerde('JSON', [{ name: 'V', type: T.STRING }], { isKey: false, wrapSingleValue: false });
    expect(text(u.serialize(['a']))).toBe('"a"');
    expect(text(u.serialize([null]))).toBe('null');
    expect(u.deserialize(j('null'))).toEqual([null]);
    const mk = createSerde(
      'JSON',
      [
        { name: 'K1', type: T.INTEGER },
        { name: 'K2', type: T.STRING },
      ],
      key,
    );
    expect(text(mk.serialize([1, 'z']))).toBe('{"K1":1,"K2":"z"}');
  });

  it('treats a JSON null document as a tombstone when wrapped', () => {
    const s = createSerde('JSON', [{ name: 'V', type: T.INTEGER }], val);
    expect(s.deserialize(j('null'))).toBeNull();
    expect(s.deserialize(null)).toBeNull();
    expect(s.serialize(null)).toBeNull();
  });
});

describe('JSON serde: coercion on read', () => {
  const one = (t: Parameters<typeof T.array>[0]) => createSerde('JSON', [{ name: 'V', type: t }], { isKey: false, wrapSingleValue: false });

  it('coerces numbers and strings', () => {
    expect(one(T.INTEGER).deserialize(j('"42"'))).toEqual([42]);
    expect(one(T.INTEGER).deserialize(j('7.9'))).toEqual([7]);
    expect(one(T.BIGINT).deserialize(j('"-9000000000"'))).toEqual([-9000000000]);
    expect(one(T.DOUBLE).deserialize(j('3'))).toEqual([3]);
    expect(one(T.DOUBLE).deserialize(j('"2.5"'))).toEqual([2.5]);
    expect(one(T.STRING).deserialize(j('12'))).toEqual(['12']);
    expect(one(T.STRING).deserialize(j('true'))).toEqual(['true']);
    expect(one(T.STRING).deserialize(j('{"a": 1, "b":[1,2]}'))).toEqual(['{"a":1,"b":[1,2]}']);
    expect(one(T.STRING).deserialize(j('["x", 2, null]'))).toEqual(['[x, 2, null]']);
    expect(one(T.BOOLEAN).deserialize(j('false'))).toEqual([false]);
  });

  it('reads temporal types from numbers or digit strings', () => {
    expect(one(T.TIMESTAMP).deserialize(j('1600000000123'))).toEqual([1600000000123]);
    expect(one(T.TIMESTAMP).deserialize(j('"5"'))).toEqual([5]);
    expect(one(T.DATE).deserialize(j('19000'))).toEqual([19000]);
    expect(one(T.TIME).deserialize(j('3600000'))).toEqual([3600000]);
    expect(() => one(T.TIME).deserialize(j('86400001'))).toThrow('Time values must use number of milliseconds');
  });

  it('reads BYTES from Base64 and DECIMAL from numbers or strings, exactly', () => {
    expect(one(T.BYTES).deserialize(j('"AQID"'))).toEqual([Buffer.from([1, 2, 3])]);
    expect(() => one(T.BYTES).deserialize(j('"not base64!"'))).toThrow('not a valid Base64');
    const d = one(T.decimal(38, 16)).deserialize(j('12345678987654321.2345678987654321'))![0] as Decimal;
    expect(d.toString()).toBe('12345678987654321.2345678987654321');
    const e = one(T.decimal(5, 2)).deserialize(j('"1.5"'))![0] as Decimal;
    expect(e.toString()).toBe('1.50');
    expect(() => one(T.decimal(3, 1)).deserialize(j('123.4'))).toThrow('Numeric field overflow');
    expect(() => one(T.decimal(4, 1)).deserialize(j('1.25'))).toThrow('without rounding');
  });

  it('reads containers', () => {
    expect(one(T.array(T.INTEGER)).deserialize(j('[1,"2",null]'))).toEqual([[1, 2, null]]);
    const m = one(T.map(T.STRING, T.DOUBLE)).deserialize(j('{"a":1,"b":null}'))![0] as Map<string, unknown>;
    expect([...m]).toEqual([
      ['a', 1],
      ['b', null],
    ]);
    const st = T.struct([
      { name: 'A', type: T.INTEGER },
      { name: 'b', type: T.array(T.STRING) },
    ]);
    expect(one(st).deserialize(j('{"a":5,"b":["q"]}'))).toEqual([{ A: 5, b: ['q'] }]);
  });

  it('throws SerdeError with ksqlDB-like messages', () => {
    expect(() => one(T.INTEGER).deserialize(j('"abc"'))).toThrow(SerdeError);
    expect(() => one(T.INTEGER).deserialize(j('"abc"'))).toThrow("Can't coerce string to type. targetType: INTEGER");
    expect(() => one(T.INTEGER).deserialize(j('true'))).toThrow("Can't convert type. sourceType: BooleanNode, requiredType: INTEGER");
    expect(() => one(T.BOOLEAN).deserialize(j('"true"'))).toThrow('sourceType: TextNode, requiredType: BOOLEAN');
    expect(() => one(T.array(T.INTEGER)).deserialize(j('[1,{}]'))).toThrow('path: $[1]');
    const s = createSerde('JSON', [{ name: 'A', type: T.INTEGER }], val);
    expect(() => s.deserialize(j('{"A":"x"}'))).toThrow('path: $.A');
    expect(() => s.deserialize(j('{not json'))).toThrow(SerdeError);
    expect(() => s.deserialize(j('{not json'))).toThrow("Failed to deserialize value. Expected property name or '}' in JSON at position 1");
    expect(() => s.deserialize(j('[1]'))).toThrow(SerdeError);
    expect(() => s.deserialize(j('[1]'))).toThrow("Failed to deserialize value. Can't convert type. sourceType: ArrayNode, requiredType: STRUCT, path: $");
  });
});

describe('JSON serde: writing', () => {
  it('writes every type as ksqlDB does', () => {
    const cols = [
      { name: 'B', type: T.BOOLEAN },
      { name: 'D', type: T.DOUBLE },
      { name: 'E', type: T.DOUBLE },
      { name: 'DEC', type: T.decimal(6, 4) },
      { name: 'BY', type: T.BYTES },
      { name: 'TS', type: T.TIMESTAMP },
      { name: 'M', type: T.map(T.STRING, T.INTEGER) },
      { name: 'S', type: T.struct([{ name: 'x', type: T.array(T.STRING) }]) },
    ];
    const s = createSerde('JSON', cols, val);
    const out = s.serialize([true, 2, 1e10, new Decimal(10n, 0), Buffer.from([255]), 1234, new Map([['k', 1]]), { x: ['a', null] }]);
    expect(text(out)).toBe('{"B":true,"D":2.0,"E":1.0E10,"DEC":10.0000,"BY":"/w==","TS":1234,"M":{"k":1},"S":{"x":["a",null]}}');
    const back = s.deserialize(out)!;
    expect((back[3] as Decimal).toString()).toBe('10.0000');
    expect(back[6]).toEqual(new Map([['k', 1]]));
  });

  it('rejects MAP keys other than STRING', () => {
    expect(() => createSerde('JSON', [{ name: 'M', type: T.map(T.INTEGER, T.DOUBLE) }], val)).toThrow('JSON only supports MAP types with STRING keys');
  });

  it('rejects WRAP_SINGLE_VALUE on multi-column values', () => {
    expect(() =>
      createSerde(
        'JSON',
        [
          { name: 'A', type: T.INTEGER },
          { name: 'B', type: T.INTEGER },
        ],
        {
          isKey: false,
          wrapSingleValue: false,
        },
      ),
    ).toThrow("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  });
});

describe('JSON_SR serde', () => {
  it('adds and checks the 5-byte prefix', () => {
    const s = createSerde('JSON_SR', [{ name: 'A', type: T.INTEGER }], { isKey: false, schemaId: 258 });
    const b = s.serialize([1])!;
    expect(b.subarray(0, 5).toString('hex')).toBe('0000000102');
    expect(b.subarray(5).toString()).toBe('{"A":1}');
    expect(s.deserialize(b)).toEqual([1]);
    expect(() => s.deserialize(j('{"A":1}'))).toThrow('did not start with the magic byte');
  });
});
