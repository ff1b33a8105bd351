import { describe, expect, it } from 'vitest';
import { T, type SqlType } from '../src/common/types.js';
import { createSerde, SerdeError } from '../src/serde/index.js';
import { javaBigDecimalToString, narrowNumberText } from '../src/common/java-text.js';
import { hasInexactNumber } from '../src/serde/json.js';

/**
 * Narrowing of JSON and DELIMITED numbers into INT/BIGINT/DOUBLE columns, each
 * row with what ksqlDB (Java) gives. ksqlDB's JSON deserializer parses with
 * USE_BIG_DECIMAL_FOR_FLOATS: whole literals are Int/Long/BigIntegerNodes whose
 * intValue()/asLong() keep the low 32/64 bits; literals with a fraction or
 * exponent are DecimalNodes, and BigDecimal.intValue()/longValue() drop the
 * fraction, then keep the low bits (no saturation as a double cast would).
 */
const json = (t: SqlType, strict = false) => createSerde('JSON', [{ name: 'V', type: t }], { isKey: false, strictNumbers: strict });
const readJson = (t: SqlType, text: string, strict = false): unknown => json(t, strict).deserialize(Buffer.from(`{"V":${text}}`))![0];

describe('JSON numbers into INT (JsonSerdeUtils.toInteger)', () => {
  // [JSON literal, Java result]
  const rows: [string, number][] = [
    ['7', 7],
    ['2147483647', 2147483647],
    ['2147483648', -2147483648], //                 (int) 2147483648L
    ['-2147483649', 2147483647], //                 (int) -2147483649L
    ['99999999999999999', 1569325055], //           (int) 99999999999999999L (the double 1e17 would give 1569325056)
    ['12345678901234567891', -350287149], //        BigInteger.intValue(): low 32 bits
    ['7.9', 7], //                                  BigDecimal.intValue() truncates
    ['-7.9', -7],
    ['1.5e10', 2115098112], //                      low 32 bits of 15000000000
    ['1e300', 0], //                                low 32 bits of 10^300 (a double cast would saturate to 2147483647)
    ['-1e300', 0],
    ['12345678901234567891.5', -350287149],
    ['1E+2', 100],
    ['0.0000001', 0],
  ];
  it.each(rows)('%s → %d', (text, expected) => {
    expect(readJson(T.INTEGER, text)).toBe(expected);
  });

  it('text is Integer.parseInt: in range or an error; booleans are an error', () => {
    expect(readJson(T.INTEGER, '"123"')).toBe(123);
    expect(() => readJson(T.INTEGER, '"2147483648"')).toThrow("Can't coerce string to type. targetType: INTEGER, path: $.V");
    expect(() => readJson(T.INTEGER, '"1.5"')).toThrow("Can't coerce string to type. targetType: INTEGER, path: $.V");
    expect(() => readJson(T.INTEGER, 'true')).toThrow("Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.V");
  });
});

describe('JSON numbers into BIGINT (JsonSerdeUtils.toLong)', () => {
  const rows: [string, number][] = [
    ['9223372036854775807', 9223372036854775807],
    ['9223372036854775808', -9223372036854775808], //   BigInteger.longValue(): low 64 bits
    ['18446744073709551617', 1], //                      2^64 + 1
    ['1e19', -8446744073709551616], //                   BigDecimal.longValue() of 10^19
    ['1e300', 0],
    ['-7.9', -7],
    ['"-9000000000"', -9000000000], //                   Long.parseLong
  ];
  it.each(rows)('%s → %d', (text, expected) => {
    expect(readJson(T.BIGINT, text)).toBe(expected);
  });

  it('text beyond Long range is an error', () => {
    expect(() => readJson(T.BIGINT, '"9223372036854775808"')).toThrow("Can't coerce string to type. targetType: BIGINT, path: $.V");
  });
});

describe('JSON numbers into DOUBLE (JsonSerdeUtils.toDouble)', () => {
  const rows: [string, number][] = [
    ['1.5', 1.5],
    ['9007199254740993', 9007199254740992], //  BigInteger.doubleValue(): nearest, ties to even
    ['1e400', Infinity], //                     BigDecimal.doubleValue() overflows to Infinity
    ['"1e400"', Infinity], //                   Double.parseDouble
    ['"NaN"', NaN],
  ];
  it.each(rows)('%s → %d', (text, expected) => {
    expect(readJson(T.DOUBLE, text)).toBe(expected);
  });
});

describe('JSON numbers read as STRING (JsonNode.asText)', () => {
  it('prints BigDecimal.toString of fractional literals and every digit of whole ones', () => {
    expect(readJson(T.STRING, '12345678901234567891')).toBe('12345678901234567891');
    expect(javaBigDecimalToString('1.5e3')).toBe('1.5E+3');
    expect(javaBigDecimalToString('1.50')).toBe('1.50');
    expect(javaBigDecimalToString('1e-7')).toBe('1E-7');
    expect(javaBigDecimalToString('0.000001')).toBe('0.000001');
    expect(javaBigDecimalToString('-0.0')).toBe('0.0');
  });
});

describe('sluice.serde.strict.numbers', () => {
  // [type, JSON literal, the value when it fits]
  const fits: [SqlType, string, number][] = [
    [T.INTEGER, '2147483647', 2147483647],
    [T.INTEGER, '1.0', 1],
    [T.INTEGER, '1e2', 100],
    [T.BIGINT, '9223372036854775807', 9223372036854775807],
    [T.DOUBLE, '0.1', 0.1], //  binary rounding of a fraction is not a loss
    [T.DOUBLE, '9007199254740992', 9007199254740992],
  ];
  it.each(fits)('%o %s fits', (t, text, expected) => {
    expect(readJson(t, text, true)).toBe(expected);
  });

  const misfits: [SqlType, string, string][] = [
    [T.INTEGER, '2147483648', 'INTEGER'],
    [T.INTEGER, '99999999999999999', 'INTEGER'],
    [T.INTEGER, '7.9', 'INTEGER'],
    [T.INTEGER, '1e300', 'INTEGER'],
    [T.BIGINT, '9223372036854775808', 'BIGINT'],
    [T.BIGINT, '0.5', 'BIGINT'],
    [T.DOUBLE, '1e400', 'DOUBLE'],
    [T.DOUBLE, '9007199254740993', 'DOUBLE'],
    [T.DOUBLE, '"1e400"', 'DOUBLE'],
  ];
  it.each(misfits)('%o %s is an error naming the value, the type and the column', (t, text, kind) => {
    const shown = text.replace(/"/g, '');
    expect(() => readJson(t, text, true)).toThrow(SerdeError);
    expect(() => readJson(t, text, true)).toThrow(
      `Failed to deserialize value. Number ${shown} does not fit type ${kind} without losing information (sluice.serde.strict.numbers=true), path: $.V`,
    );
  });

  it('applies inside arrays, with the element path', () => {
    expect(() => json(T.array(T.INTEGER), true).deserialize(Buffer.from('{"V":[1,2.5]}'))).toThrow(
      'Number 2.5 does not fit type INTEGER without losing information (sluice.serde.strict.numbers=true), path: $.V[1]',
    );
  });

  it('DELIMITED: INT/BIGINT parse strictly already; strict rejects a DOUBLE that overflows, naming the column', () => {
    const cols = [
      { name: 'I', type: T.INTEGER },
      { name: 'D', type: T.DOUBLE },
    ];
    const lax = createSerde('DELIMITED', cols, { isKey: false });
    const strict = createSerde('DELIMITED', cols, { isKey: false, strictNumbers: true });
    expect(lax.deserialize(Buffer.from('1,1e400'))).toEqual([1, Infinity]);
    expect(() => strict.deserialize(Buffer.from('1,1e400'))).toThrow(
      'Error deserializing delimited value: Number 1e400 does not fit type DOUBLE without losing information (sluice.serde.strict.numbers=true), column: D',
    );
    expect(strict.deserialize(Buffer.from('1,Infinity'))).toEqual([1, Infinity]);
    expect(() => lax.deserialize(Buffer.from('2147483648,1'))).toThrow('Error deserializing delimited value: For input string: "2147483648"');
  });
});

describe('narrowNumberText', () => {
  it('reports whether the narrowing kept the value', () => {
    expect(narrowNumberText('2147483647', 32)).toEqual({ value: 2147483647n, exact: true });
    expect(narrowNumberText('2147483648', 32)).toEqual({ value: -2147483648n, exact: false });
    expect(narrowNumberText('1e64', 64)).toEqual({ value: 0n, exact: false });
    expect(narrowNumberText('1e-999999999', 32)).toEqual({ value: 0n, exact: false });
    expect(narrowNumberText('0e999', 32)).toEqual({ value: 0n, exact: true });
    expect(narrowNumberText('abc', 32)).toBeUndefined();
  });
});

describe('DECIMAL (DecimalUtil.ensureFit)', () => {
  const dec = T.decimal(4, 2);
  it('rescales without rounding, or fails with ksqlDB’s messages', () => {
    expect(String(readJson(dec, '1.5'))).toBe('1.50');
    expect(() => readJson(dec, '1.555')).toThrow("Cannot fit decimal '1.555' into DECIMAL(4, 2) without rounding. (Requires 4,3)");
    expect(() => readJson(dec, '100')).toThrow(
      'Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 100',
    );
  });

  it('a value with an enormous exponent fails at once instead of building its digits', () => {
    expect(() => readJson(dec, '1e999999999')).toThrow(
      'Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 1e999999999',
    );
    expect(() => readJson(dec, '1e-999999999')).toThrow("Cannot fit decimal '1E-999999999' into DECIMAL(4, 2) without rounding.");
    expect(String(readJson(dec, '0e999999999'))).toBe('0.00');
    const delimited = createSerde('DELIMITED', [{ name: 'D', type: dec }], { isKey: false });
    expect(() => delimited.deserialize(Buffer.from('1e999999999'))).toThrow('Numeric field overflow');
  });
});

describe('hasInexactNumber (when JSON text is parsed keeping number text)', () => {
  const rows: [string, boolean][] = [
    ['{"A":12345,"B":12.5}', false],
    ['{"ID":"5e3a1b2c-1d4e","N":"12345678901234567"}', false], // digits inside strings do not count
    ['{"A":"x\\"1e5","B":1}', false], //                         an escaped quote does not end the string
    ['{"A":1e5}', true],
    ['{"A":"x\\\\","B":1E5}', true], //                       an escaped backslash does end it
    ['-12345678901234567', true],
    ['{"A":999999999999999.99}', true],
  ];
  it.each(rows)('%s → %s', (text, expected) => {
    expect(hasInexactNumber(text)).toBe(expected);
  });
});
