import { describe, expect, it } from 'vitest';
import { T } from '../src/common/types.js';
import { createSerde } from '../src/serde/index.js';
import { testFormFromBytes, toBytesFromTestForm } from '../src/serde/test-form.js';

const val = { isKey: false };
const key = { isKey: true };

describe('test form', () => {
  it('JSON: the document itself', () => {
    const cols = [{ name: 'A', type: T.INTEGER }];
    const b = toBytesFromTestForm({ a: 3 }, 'JSON', cols, val)!;
    expect(createSerde('JSON', cols, val).deserialize(b)).toEqual([3]);
    expect(testFormFromBytes(Buffer.from('{"A":3}'), 'JSON', cols, val)).toEqual({ A: 3 });
    expect(toBytesFromTestForm(null, 'JSON', cols, val)).toBeNull();
    expect(testFormFromBytes(null, 'JSON', cols, val)).toBeNull();
  });

  it('DELIMITED: the raw text', () => {
    const cols = [
      { name: 'A', type: T.INTEGER },
      { name: 'B', type: T.STRING },
    ];
    expect(toBytesFromTestForm('1,x', 'DELIMITED', cols, val)!.toString()).toBe('1,x');
    expect(testFormFromBytes(Buffer.from('"-1",y'), 'DELIMITED', cols, val)).toBe('"-1",y');
  });

  it('KAFKA: numbers typed by the column', () => {
    const i = [{ name: 'K', type: T.INTEGER }];
    const l = [{ name: 'K', type: T.BIGINT }];
    const d = [{ name: 'K', type: T.DOUBLE }];
    const s = [{ name: 'K', type: T.STRING }];
    expect(toBytesFromTestForm(1, 'KAFKA', i, key)!.toString('hex')).toBe('00000001');
    expect(toBytesFromTestForm(1, 'KAFKA', l, key)!.toString('hex')).toBe('0000000000000001');
    expect(toBytesFromTestForm(0.5, 'KAFKA', d, key)!.toString('hex')).toBe('3fe0000000000000');
    expect(toBytesFromTestForm('k', 'KAFKA', s, key)!.toString()).toBe('k');
    expect(testFormFromBytes(Buffer.from('00000009', 'hex'), 'KAFKA', i, key)).toBe(9);
    expect(testFormFromBytes(Buffer.from('0000000000000009', 'hex'), 'KAFKA', l, key)).toBe(9);
    expect(testFormFromBytes(Buffer.from('k'), 'KAFKA', s, key)).toBe('k');
    const by = [{ name: 'B', type: T.BYTES }];
    expect(toBytesFromTestForm('AQI=', 'KAFKA', by, val)).toEqual(Buffer.from([1, 2]));
    expect(testFormFromBytes(Buffer.from([1, 2]), 'KAFKA', by, val)).toBe('AQI=');
  });

  it('round-trips through serdes', () => {
    const cols = [{ name: 'V', type: T.BIGINT }];
    const serde = createSerde('KAFKA', cols, val);
    const bytes = serde.serialize(serde.deserialize(toBytesFromTestForm(77, 'KAFKA', cols, val)));
    expect(testFormFromBytes(bytes, 'KAFKA', cols, val)).toBe(77);
  });
});
