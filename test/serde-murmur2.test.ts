import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor, toPositive } from '../src/runtime/log/murmur2.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('murmur2', () => {
  it('matches the Kafka Java client test vectors', () => {
    expect(murmur2(b('21'))).toBe(-973932308);
    expect(murmur2(b('foobar'))).toBe(-790332482);
    expect(murmur2(b('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(b('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(b('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it('hashes the empty key and high bytes', () => {
    expect(Number.isInteger(murmur2(Buffer.alloc(0)))).toBe(true);
    const h = murmur2(Buffer.from([0xff, 0xfe, 0x80, 0x7f, 0x01]));
    expect(h).toBe(h | 0);
  });

  it('toPositive clears the sign bit', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('partitions like the DefaultPartitioner', () => {
    expect(partitionFor(b('foobar'), 4)).toBe(toPositive(-790332482) % 4);
    expect(partitionFor(b('21'), 1)).toBe(0);
    for (let i = 0; i < 50; i++) {
      const p = partitionFor(b(`key-${i}`), 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
    }
  });
});
