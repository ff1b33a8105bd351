import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/common/decimal.js';
import { NULL_ARG, T, arg, call, callError, resolveError, resolveScalar } from './helpers/function-harness.js';

const S = arg(T.STRING);
const I = arg(T.INTEGER);
const D = arg(T.DOUBLE);

describe('JSON functions', () => {
  it('EXTRACTJSONFIELD follows JSONPath and keeps number text', () => {
    const doc = '{"a": {"b": [10, 2.50, {"c": "x"}]}, "@t": true}';
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, '$.a.b[1]'])).toBe('2.50');
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, '$.a.b[2].c'])).toBe('x');
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, "$['a']['b'][2]"])).toBe('{"c":"x"}');
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, '$.@t'])).toBe('true');
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, '$.a.b[-1]'])).toBeNull();
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, '$.missing'])).toBeNull();
    expect(call('EXTRACTJSONFIELD', [S, S], ['not json', '$.a'])).toBeNull();
    expect(call('EXTRACTJSONFIELD', [S, S], ['{"a": 1}} trailing', '$.a'])).toBe('1');
  });
  // ksqlDB JsonExtractString: each token is an index on an array (Integer.parseInt) and a key on an object.
  it.each([
    ['{"a": [10, 20]}', '$.a.1', '20'],
    ['{"a": [10, 20]}', '$.a.x', null],
    ['{"a": [10, 20]}', '$.a.2147483648', null],
    ['{"0": "zero"}', '$[0]', 'zero'],
    ['{"a": "text"}', '$.a.b', null],
    ['[{"k": 1}]', '$[0].k', '1'],
  ] as const)('EXTRACTJSONFIELD(%s, %s) is %j', (doc, path, expected) => {
    expect(call('EXTRACTJSONFIELD', [S, S], [doc, path])).toBe(expected);
  });
  it('IS_JSON_STRING, JSON_ARRAY_LENGTH, JSON_ARRAY_CONTAINS', () => {
    expect(call('IS_JSON_STRING', [S], ['[1, 2]'])).toBe(true);
    expect(call('IS_JSON_STRING', [S], ['abc'])).toBe(false);
    expect(call('IS_JSON_STRING', [S], [''])).toBe(false);
    expect(call('IS_JSON_STRING', [S], [null])).toBe(false);
    expect(call('JSON_ARRAY_LENGTH', [S], ['[1, [2]]'])).toBe(2);
    expect(call('JSON_ARRAY_LENGTH', [S], ['{}'])).toBeNull();
    expect(call('JSON_ARRAY_CONTAINS', [S, S], ['["a", null]', 'a'])).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', [S, I], ['[1, 2]', 2])).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', [S, I], ['[1, 2]', 3])).toBe(false);
  });
  it('JSON_ARRAY_CONTAINS matches integer tokens with INT/BIGINT and fractional ones with DOUBLE only', () => {
    const D = arg(T.DOUBLE);
    const B = arg(T.BIGINT);
    expect(call('JSON_ARRAY_CONTAINS', [S, I], ['[1.0, 2.5]', 1])).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', [S, D], ['[1, 2]', 1])).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', [S, D], ['[1.0, 2.5]', 1])).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', [S, D], ['[1e3]', 1000])).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', [S, B], ['[12345678901]', 12345678901])).toBe(true);
    // Jackson cannot read 12345678901 as an INT: the search stops with false.
    expect(call('JSON_ARRAY_CONTAINS', [S, I], ['[12345678901, 7]', 7])).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', [S, S], ['[1]', '1'])).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', [S, arg(T.BOOLEAN)], ['[false, true]', true])).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', [S, arg(T.decimal(2, 1))], ['[1.5]', Decimal.parse('1.5')])).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', [S, I], ['{"a": 1}', 1])).toBe(false);
  });
  it('JSON_CONCAT merges objects and concatenates arrays', () => {
    expect(call('JSON_CONCAT', [S, S], ['{"a": 1}', '{"b": 2}'])).toBe('{"a":1,"b":2}');
    expect(call('JSON_CONCAT', [S, S], ['{"a": {"x": 1}}', '{"a": 2}'])).toBe('{"a":2}');
    expect(call('JSON_CONCAT', [S, S, S], ['[1]', '{"a": 1}', '4'])).toBe('[1,{"a":1},4]');
    expect(call('JSON_CONCAT', [S, S], ['null', 'null'])).toBe('[null,null]');
    // A single value comes back as it is (JsonConcat only wraps when it concatenates).
    expect(call('JSON_CONCAT', [S], ['1'])).toBe('1');
    expect(call('JSON_CONCAT', [S], ['{"a": [1, 2]}'])).toBe('{"a":[1,2]}');
    expect(call('JSON_CONCAT', [S], ['nope'])).toBeNull();
    expect(call('JSON_CONCAT', [S, S], ['1', ''])).toBeNull();
  });
  it('JSON_ITEMS, JSON_KEYS, JSON_RECORDS', () => {
    expect(call('JSON_ITEMS', [S], ['[{"a": 1}, 2]'])).toEqual(['{"a":1}', '2']);
    expect(call('JSON_KEYS', [S], ['{"x": 1, "y": 2}'])).toEqual(['x', 'y']);
    expect(call('JSON_KEYS', [S], [''])).toBeNull();
    expect(call('JSON_RECORDS', [S], ['{"x": 1, "y": "s"}'])).toEqual(
      new Map([
        ['x', '1'],
        ['y', 's'],
      ]),
    );
  });
  it('TO_JSON_STRING writes typed JSON', () => {
    expect(call('TO_JSON_STRING', [I], [null])).toBe('null');
    expect(call('TO_JSON_STRING', [S], ['a"b'])).toBe('"a\\"b"');
    expect(call('TO_JSON_STRING', [D], [1])).toBe('1.0');
    expect(call('TO_JSON_STRING', [arg(T.decimal(6, 3))], [Decimal.parse('123.450')])).toBe('123.450');
    expect(call('TO_JSON_STRING', [arg(T.DATE)], [1000])).toBe('"1972-09-27"');
    expect(call('TO_JSON_STRING', [arg(T.TIME)], [60220000])).toBe('"16:43:40"');
    expect(call('TO_JSON_STRING', [arg(T.BYTES)], [Buffer.from('!')])).toBe('"IQ=="');
    const st = T.struct([
      { name: 'ID', type: T.INTEGER },
      { name: 'TAGS', type: T.map(T.STRING, T.array(T.INTEGER)) },
    ]);
    expect(call('TO_JSON_STRING', [arg(st)], [{ ID: 1, TAGS: new Map([['k', [1, null]]]) }])).toBe('{"ID":1,"TAGS":{"k":[1,null]}}');
  });
  // ksqlDB ToJsonString copies maps and structs into a TreeMap: keys in String.compareTo order.
  it('TO_JSON_STRING sorts map and struct keys', () => {
    const st = T.struct([
      { name: 'b', type: T.INTEGER },
      { name: 'A', type: T.INTEGER },
      { name: 'a', type: T.INTEGER },
    ]);
    expect(call('TO_JSON_STRING', [arg(st)], [{ b: 1, A: 2, a: null }])).toBe('{"A":2,"a":null,"b":1}');
    const m = new Map<string, number>([
      ['z', 1],
      ['é', 2],
      ['Z', 3],
      ['a', 4],
    ]);
    expect(call('TO_JSON_STRING', [arg(T.map(T.STRING, T.INTEGER))], [m])).toBe('{"Z":3,"a":4,"z":1,"é":2}');
  });
});

describe('URL functions', () => {
  const url = 'https://user@confluent.io:8080/nested%20dir/path?q=a+b&jobs&x=%41#frag';
  it('extracts parts', () => {
    expect(call('URL_EXTRACT_PROTOCOL', [S], [url])).toBe('https');
    expect(call('URL_EXTRACT_HOST', [S], [url])).toBe('confluent.io');
    expect(call('URL_EXTRACT_PORT', [S], [url])).toBe(8080);
    expect(call('URL_EXTRACT_PORT', [S], ['http://x.io'])).toBeNull();
    expect(call('URL_EXTRACT_PATH', [S], [url])).toBe('/nested dir/path');
    expect(call('URL_EXTRACT_PATH', [S], ['http://www.test.com?query#fragment'])).toBe('');
    expect(call('URL_EXTRACT_QUERY', [S], [url])).toBe('q=a+b&jobs&x=A');
    expect(call('URL_EXTRACT_FRAGMENT', [S], [url])).toBe('frag');
    expect(call('URL_EXTRACT_FRAGMENT', [S], ['http://www.nofragment.com'])).toBeNull();
    // ksqlDB splits URI.getQuery(): escapes decoded, '+' kept, a bare key gives ''.
    expect(call('URL_EXTRACT_PARAMETER', [S, S], [url, 'q'])).toBe('a+b');
    expect(call('URL_EXTRACT_PARAMETER', [S, S], [url, 'jobs'])).toBe('');
    expect(call('URL_EXTRACT_PARAMETER', [S, S], [url, 'x'])).toBe('A');
    expect(call('URL_EXTRACT_PARAMETER', [S, S], [url, 'nope'])).toBeNull();
    expect(call('URL_EXTRACT_PARAMETER', [S, S], ['http://test.com?a%20b=c%20d', 'a b'])).toBe('c d');
    expect(call('URL_EXTRACT_PARAMETER', [S, S], ['http://www.test.com/?one=a&two=b&three', 'two'])).toBe('b');
    expect(call('URL_EXTRACT_HOST', [S], ['not a url'])).toBeNull();
  });
  it('encodes and decodes parameters', () => {
    expect(call('URL_ENCODE_PARAM', [S], ['a b&c'])).toBe('a+b%26c');
    expect(call('URL_DECODE_PARAM', [S], ['a+b%26c'])).toBe('a b&c');
    expect(call('URL_DECODE_PARAM', [S], ['%3Ffoo+%24bar'])).toBe('?foo $bar');
    // URLDecoder: invalid UTF-8 becomes U+FFFD; a bad escape is an error.
    expect(call('URL_DECODE_PARAM', [S], ['a%C3b'])).toBe('a\ufffdb');
    expect(() => call('URL_DECODE_PARAM', [S], ['%zz'])).toThrow(/Illegal hex characters/);
    expect(() => call('URL_DECODE_PARAM', [S], ['a%4'])).toThrow(/Incomplete trailing escape/);
  });
  it('opaque URIs have no host, path or query; malformed escapes make the URL invalid', () => {
    expect(call('URL_EXTRACT_PROTOCOL', [S], ['mailto:a@b.com'])).toBe('mailto');
    expect(call('URL_EXTRACT_PATH', [S], ['mailto:a@b.com'])).toBeNull();
    expect(call('URL_EXTRACT_FRAGMENT', [S], ['mailto:a@b.com#x'])).toBe('x');
    expect(call('URL_EXTRACT_HOST', [S], ['localhost:8080'])).toBeNull();
    expect(call('URL_EXTRACT_HOST', [S], ['http://a.com/%zz'])).toBeNull();
  });
});

describe('math functions', () => {
  it('ABS, CEIL, FLOOR keep types; DECIMAL keeps scale', () => {
    expect(call('ABS', [I], [-3])).toBe(3);
    const dt = arg(T.decimal(2, 1));
    expect(resolveScalar('ABS', [dt]).returnType).toEqual(T.decimal(2, 1));
    expect(String(call('ABS', [dt], [Decimal.parse('-3.2')]))).toBe('3.2');
    expect(String(call('CEIL', [dt], [Decimal.parse('-1.5')]))).toBe('-1.0');
    expect(String(call('FLOOR', [dt], [Decimal.parse('-1.5')]))).toBe('-2.0');
    expect(call('CEIL', [D], [1.1])).toBe(2);
    expect(call('FLOOR', [D], [-1.1])).toBe(-2);
  });
  it('ROUND rounds halves towards positive infinity', () => {
    expect(resolveScalar('ROUND', [D]).returnType).toEqual(T.BIGINT);
    expect(call('ROUND', [D], [1.5])).toBe(2);
    expect(call('ROUND', [D], [-1.5])).toBe(-1);
    // Math.round, not floor(x + 0.5): the largest double below 0.5 rounds down.
    expect(call('ROUND', [D], [0.49999999999999994])).toBe(0);
    expect(call('ROUND', [D], [-2.5])).toBe(-2);
    expect(call('ROUND', [D], [NaN])).toBe(0);
    expect(call('ROUND', [D, I], [12345.678, 2])).toBe(12345.68);
    expect(call('ROUND', [D, I], [-12345.678, -2])).toBe(-12300);
    expect(call('ROUND', [D, I], [1.005, 2])).toBe(1.01);
    const dt = arg(T.decimal(33, 16));
    expect(resolveScalar('ROUND', [dt]).returnType).toEqual(T.decimal(17, 0));
    const v = Decimal.parse('12345678987654321.2345678987654321');
    expect(String(call('ROUND', [dt, I], [v, 1]))).toBe('12345678987654321.2000000000000000');
    expect(String(call('ROUND', [dt, I], [v, -1]))).toBe('12345678987654320.0000000000000000');
    expect(String(call('ROUND', [arg(T.decimal(2, 1))], [Decimal.parse('-1.5')]))).toBe('-1');
  });
  it('TRUNC rounds towards zero', () => {
    expect(call('TRUNC', [D], [-1.7])).toBe(-1);
    expect(call('TRUNC', [D, I], [1.789, 2])).toBe(1.78);
    expect(String(call('TRUNC', [arg(T.decimal(4, 2)), I], [Decimal.parse('-1.79'), 1]))).toBe('-1.70');
  });
  // ksqlDB Round/Trunc: BigDecimal.setScale(places, mode) for any int places, no bound.
  it.each([
    ['ROUND', D, 1, -100000000, 0],
    ['ROUND', D, 1.5, 100000000, 1.5],
    ['ROUND', D, -1.5, 2147483647, -1.5],
    ['ROUND', D, 99.5, -2147483648, 0],
    ['ROUND', D, 5e-324, 400, 5e-324],
    ['ROUND', D, 1.7976931348623157e308, -308, Infinity],
    ['ROUND', D, -45, -1, -40],
    ['ROUND', D, -46, -1, -50],
    ['TRUNC', D, -1.5, -100000000, 0],
    ['TRUNC', D, 1.999, 100000000, 1.999],
  ] as const)('%s(%s, %d, %d) is %d without building huge powers of ten', (name, type, x, places, expected) => {
    expect(call(name, [type, I], [x, places])).toBe(expected);
  });
  it.each([
    ['ROUND', '12345678987654321.2345678987654321', -100000000, '0E-16'],
    ['ROUND', '-12345678987654321.2345678987654321', 100000000, '-12345678987654321.2345678987654321'],
    ['ROUND', '-5.5000000000000000', -1, '-10.0000000000000000'],
    ['TRUNC', '-5.5000000000000000', -2147483648, '0E-16'],
  ] as const)('%s(DECIMAL %s, %d) is %s at the argument scale', (name, x, places, expected) => {
    const out = call(name, [arg(T.decimal(33, 16)), I], [Decimal.parse(x), places]) as Decimal;
    expect(out.scale).toBe(16);
    expect(out.compareTo(Decimal.parse(expected))).toBe(0);
  });
  it('SIGN, SQRT, LN, LOG, POWER, EXP, trig', () => {
    expect(call('SIGN', [D], [-3.5])).toBe(-1);
    expect(resolveScalar('SQRT', [I]).argTypes).toEqual([T.DOUBLE]);
    expect(call('SQRT', [D], [16])).toBe(4);
    expect(call('LN', [D], [0])).toBe(-Infinity);
    expect(call('LOG', [D, D], [15, 13])).toBeCloseTo(0.9471572411831843);
    expect(call('LOG', [D, D], [1, 13])).toBeNaN();
    expect(call('POWER', [D, D], [15, -1])).toBeCloseTo(0.0666666667);
    expect(call('EXP', [D], [0])).toBe(1);
    expect(call('COT', [D], [1])).toBeCloseTo(0.6420926159);
    expect(call('ATAN2', [D, D], [1, 1])).toBeCloseTo(Math.PI / 4);
    expect(call('DEGREES', [D], [Math.PI])).toBeCloseTo(180);
    expect(call('PI', [], [])).toBe(Math.PI);
    const r = call('RANDOM', [], []) as number;
    expect(r >= 0 && r < 1).toBe(true);
  });
  it('GREATEST / LEAST pick among widened values, ignoring nulls', () => {
    const r = resolveScalar('GREATEST', [I, arg(T.BIGINT), I]);
    expect(r.returnType).toEqual(T.BIGINT);
    expect(r.invoke([1, null, 7])).toBe(7);
    expect(call('LEAST', [S, S], ['b', 'a'])).toBe('a');
    expect(resolveError('GREATEST', [S, I])).toMatch(/does not accept parameters \(STRING, INTEGER\)/);
    expect(resolveError('LEAST', [])).toBe(
      [
        "Function 'LEAST' does not accept parameters ().",
        'Valid alternatives are:',
        'LEAST(INTEGER, INTEGER...) => INTEGER',
        'LEAST(BIGINT, BIGINT...) => BIGINT',
        'LEAST(DOUBLE, DOUBLE...) => DOUBLE',
        'LEAST(VARCHAR, VARCHAR...) => VARCHAR',
        'LEAST(BYTES, BYTES...) => BYTES',
        'LEAST(DATE, DATE...) => DATE',
        'LEAST(TIME, TIME...) => TIME',
        'LEAST(TIMESTAMP, TIMESTAMP...) => TIMESTAMP',
        'LEAST(DECIMAL, DECIMAL...)',
      ].join('\n'),
    );
    expect(resolveError('GREATEST', [NULL_ARG, NULL_ARG])).toBe("Function 'GREATEST' cannot be resolved due to ambiguous method parameters (null, null).");
    const dec = resolveScalar('GREATEST', [arg(T.decimal(3, 1)), arg(T.decimal(5, 3))]);
    expect(dec.returnType).toEqual(T.decimal(5, 3));
  });
  it('GEO_DISTANCE in km by default or miles', () => {
    expect(call('GEO_DISTANCE', [D, D, D, D], [37.4439, -122.1663, 51.5257, -0.1122])).toBeCloseTo(8634.6598, 3);
    expect(call('GEO_DISTANCE', [D, D, D, D, S], [37.4439, -122.1663, 51.5257, -0.1122, 'MI'])).toBeCloseTo(5365.6597, 3);
    expect(call('GEO_DISTANCE', [D, D, D, D, S], [37.4439, -122.1663, 51.5257, -0.1122, null])).toBeCloseTo(8634.6598, 3);
  });
});

// Double edge cases as ksqlDB's Java computes them (Round, Trunc, Degrees, Radians, Greatest, Least).
describe('math on extreme doubles', () => {
  it.each([
    ['ROUND', [D], [NaN], 0],
    ['ROUND', [D], [Infinity], 9223372036854775807], // Math.round clamps to Long.MAX_VALUE
    ['ROUND', [D], [-1e300], -9223372036854775807],
    ['ROUND', [D], [-0.4], 0],
    ['TRUNC', [D], [NaN], 0], // Double.longValue
    ['TRUNC', [D], [-Infinity], -9223372036854775807],
    ['TRUNC', [D], [1e19], 9223372036854775807],
    ['TRUNC', [D], [-0.9], 0],
    ['DEGREES', [D], [1.1], 1.1 * 57.29577951308232], // Math.toDegrees multiplies once
    ['RADIANS', [D], [123.4], 123.4 * 0.017453292519943295],
    ['GREATEST', [D, D], [-0, 0], 0], // Double.compareTo: -0.0 < 0.0, NaN greatest
    ['LEAST', [D, D], [0, -0], -0],
    ['GREATEST', [D, D, D], [1, NaN, 2], NaN],
    ['LEAST', [D, D, D], [1, NaN, null], 1],
    ['LOG', [D, D], [1, 10], NaN],
    ['LOG', [D, D], [-2, 10], NaN],
    ['SQRT', [D], [-1], NaN],
  ] as const)('%s(%j) of %j is %d', (name, types, values, expected) => {
    expect(call(name, types, [...values])).toBe(expected);
  });
  it.each(['ROUND', 'TRUNC'])('%s(DOUBLE, INT) of NaN or Infinity fails as BigDecimal.valueOf does', (name) => {
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(callError(() => call(name, [D, I], [x, 2]))).toEqual({ code: 50000, message: 'Infinite or NaN' });
    }
  });
});
