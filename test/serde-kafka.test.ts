import { describe, expect, it } from 'vitest';
import { T } from '../src/common/types.js';
import { createSerde, SerdeError } from '../src/serde/index.js';

const val = { isKey: false };
const key = { isKey: true };

describe('KAFKA serde', () => {
  it('writes INT as 4 bytes big-endian', () => {
    const s = createSerde('KAFKA', [{ name: 'V', type: T.INTEGER }], val);
    expect(s.serialize([258])!.toString('hex')).toBe('00000102');
    expect(s.serialize([-2])!.toString('hex')).toBe('fffffffe');
    expect(s.deserialize(Buffer.from('00000102', 'hex'))).toEqual([258]);
  });

  it('writes BIGINT as 8 bytes and DOUBLE as IEEE 754', () => {
    const l = createSerde('KAFKA', [{ name: 'K', type: T.BIGINT }], key);
    expect(l.serialize([4294967296])!.toString('hex')).toBe('0000000100000000');
    expect(l.deserialize(Buffer.from('ffffffffffffffff', 'hex'))).toEqual([-1]);
    const d = createSerde('KAFKA', [{ name: 'D', type: T.DOUBLE }], val);
    expect(d.serialize([1.5])!.toString('hex')).toBe('3ff8000000000000');
    expect(d.deserialize(Buffer.from('c000000000000000', 'hex'))).toEqual([-2]);
  });

  it('writes STRING as UTF-8 and BYTES raw', () => {
    const s = createSerde('KAFKA', [{ name: 'S', type: T.STRING }], key);
    expect(s.serialize(['héllo'])!.toString('utf8')).toBe('héllo');
    expect(s.deserialize(Buffer.alloc(0))).toEqual(['']);
    const b = createSerde('KAFKA', [{ name: 'B', type: T.BYTES }], val);
    expect(b.serialize([Buffer.from([1, 2, 3])])).toEqual(Buffer.from([1, 2, 3]));
    expect(b.deserialize(Buffer.from([9]))).toEqual([Buffer.from([9])]);
  });

  it('maps null column and null bytes to null', () => {
    const s = createSerde('KAFKA', [{ name: 'V', type: T.INTEGER }], val);
    expect(s.serialize([null])).toBeNull();
    expect(s.serialize(null)).toBeNull();
    expect(s.deserialize(null)).toBeNull();
  });

  it('rejects bytes of the wrong size', () => {
    const s = createSerde('KAFKA', [{ name: 'V', type: T.INTEGER }], val);
    expect(() => s.deserialize(Buffer.from([1, 2]))).toThrow(SerdeError);
    expect(() => s.deserialize(Buffer.from([1, 2]))).toThrow('Size of data received by IntegerDeserializer is not 4');
    const l = createSerde('KAFKA', [{ name: 'V', type: T.BIGINT }], val);
    expect(() => l.deserialize(Buffer.from([1, 2, 3, 4]))).toThrow('LongDeserializer is not 8');
  });

  it('rejects schemas it cannot hold', () => {
    expect(() => createSerde('KAFKA', [{ name: 'B', type: T.BOOLEAN }], val)).toThrow("The 'KAFKA' format does not support type 'BOOLEAN'");
    expect(() => createSerde('KAFKA', [{ name: 'A', type: T.array(T.INTEGER) }], val)).toThrow("type 'ARRAY'");
    expect(() => createSerde('KAFKA', [{ name: 'D', type: T.decimal(4, 2) }], key)).toThrow("type 'DECIMAL'");
    expect(() =>
      createSerde(
        'KAFKA',
        [
          { name: 'K1', type: T.INTEGER },
          { name: 'K2', type: T.INTEGER },
        ],
        key,
      ),
    ).toThrow("The 'KAFKA' format only supports a single field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]");
    expect(() => createSerde('KAFKA', [{ name: 'V', type: T.INTEGER }], { isKey: false, wrapSingleValue: true })).toThrow(
      "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
    );
  });

  it('ignores bytes when there are no columns', () => {
    const s = createSerde('KAFKA', [], key);
    expect(s.serialize([])).toBeNull();
    expect(s.deserialize(Buffer.from('x'))).toEqual([]);
  });
});
