import { describe, expect, it } from 'vitest';
import type { Decimal } from '../src/common/decimal.js';
import { T } from '../src/common/types.js';
import { createSerde, parseDelimiter, SerdeError } from '../src/serde/index.js';

const val = { isKey: false };
const t = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

const cols3 = [
  { name: 'ID', type: T.BIGINT },
  { name: 'NAME', type: T.STRING },
  { name: 'AMT', type: T.DOUBLE },
];

describe('DELIMITED serde', () => {
  it('reads and writes a plain record', () => {
    const s = createSerde('DELIMITED', cols3, val);
    expect(s.deserialize(t('5,five,2.5'))).toEqual([5, 'five', 2.5]);
    expect(text(s.serialize([5, 'five', 2]))).toBe('5,five,2.0');
  });

  it('reads empty fields as null and writes null as empty', () => {
    const s = createSerde('DELIMITED', cols3, val);
    expect(s.deserialize(t(',,'))).toEqual([null, null, null]);
    expect(s.deserialize(t('1,"",'))).toEqual([1, null, null]);
    expect(text(s.serialize([null, 'x', null]))).toBe(',x,');
  });

  it('quotes like commons-csv minimal quoting', () => {
    const s = createSerde('DELIMITED', cols3, val);
    expect(text(s.serialize([-1, 'a,b', -0.5]))).toBe('"-1","a,b",-0.5');
    expect(text(s.serialize([1, 'say "hi"', 1]))).toBe('1,"say ""hi""",1.0');
    expect(text(s.serialize([1, '!bang', 1]))).toBe('1,"!bang",1.0');
    expect(text(s.serialize([1, 'trailing ', 1]))).toBe('1,"trailing ",1.0');
    expect(text(s.serialize([1, '-dash', 1]))).toBe('1,-dash,1.0');
    const one = createSerde('DELIMITED', [{ name: 'S', type: T.STRING }], val);
    expect(text(one.serialize(['']))).toBe('""');
    expect(text(one.serialize(['_x']))).toBe('"_x"');
  });

  it('parses quoted fields', () => {
    const s = createSerde('DELIMITED', cols3, val);
    expect(s.deserialize(t('"7","x,""y""",1e3'))).toEqual([7, 'x,"y"', 1000]);
    expect(() => s.deserialize(t('"7"x,a,1'))).toThrow(SerdeError);
    expect(() => s.deserialize(t('"7"x,a,1'))).toThrow('Error deserializing delimited value: invalid char between encapsulated token and delimiter');
  });

  it('checks the field count', () => {
    const s = createSerde('DELIMITED', cols3, val);
    expect(() => s.deserialize(t('1,2'))).toThrow('Unexpected field count, csvFields:2 schemaFields:3');
    expect(() => s.deserialize(t(''))).toThrow('No fields in record');
  });

  it('supports custom, TAB and SPACE delimiters', () => {
    const tab = createSerde('DELIMITED', cols3, { isKey: false, delimiter: 'TAB' });
    expect(tab.deserialize(t('1\ta b\t3'))).toEqual([1, 'a b', 3]);
    expect(text(tab.serialize([1, 'a,b', 3]))).toBe('1\ta,b\t3.0');
    const sp = createSerde('DELIMITED', cols3, { isKey: false, delimiter: 'SPACE' });
    expect(text(sp.serialize([1, 'a b', 3]))).toBe('1 "a b" 3.0');
    const pipe = createSerde('DELIMITED', cols3, { isKey: false, delimiter: '|' });
    expect(pipe.deserialize(t('1|a,b|3'))).toEqual([1, 'a,b', 3]);
    expect(() => parseDelimiter('<>')).toThrow('Delimiter must be a single character or TAB,SPACE');
    expect(() => parseDelimiter('')).toThrow('Delimiter cannot be empty');
  });

  it('handles the other primitive types', () => {
    const cols = [
      { name: 'B', type: T.BOOLEAN },
      { name: 'D', type: T.decimal(6, 2) },
      { name: 'BY', type: T.BYTES },
      { name: 'DT', type: T.DATE },
      { name: 'TM', type: T.TIME },
      { name: 'TS', type: T.TIMESTAMP },
    ];
    const s = createSerde('DELIMITED', cols, val);
    const row = s.deserialize(t('TRUE,.5,AQI=,10,100,1000'))!;
    expect(row[0]).toBe(true);
    expect((row[1] as Decimal).toString()).toBe('0.50');
    expect(row.slice(2)).toEqual([Buffer.from([1, 2]), 10, 100, 1000]);
    expect(text(s.serialize(row))).toBe('true,0.50,AQI=,10,100,1000');
    expect(s.deserialize(t('nope,1,,,,'))![0]).toBe(false);
    expect(() => s.deserialize(t('true,1.234,,,,'))).toThrow('without rounding');
  });

  it('rejects bad numbers and unsupported types', () => {
    const s = createSerde('DELIMITED', [{ name: 'I', type: T.INTEGER }], val);
    expect(() => s.deserialize(t('12x'))).toThrow(SerdeError);
    expect(() => s.deserialize(t('12x'))).toThrow('Error deserializing delimited value: For input string: "12x"');
    expect(() => s.deserialize(t('3000000000'))).toThrow(SerdeError);
    expect(() => s.deserialize(t('3000000000'))).toThrow('Error deserializing delimited value: For input string: "3000000000"');
    expect(() => createSerde('DELIMITED', [{ name: 'A', type: T.array(T.INTEGER) }], val)).toThrow("The 'DELIMITED' format does not support type 'ARRAY'");
    expect(() => createSerde('DELIMITED', [{ name: 'A', type: T.INTEGER }], { isKey: false, wrapSingleValue: true })).toThrow(
      "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
    );
  });
});
