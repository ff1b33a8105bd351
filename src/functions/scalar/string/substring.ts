import { Category, defineScalar } from '../../define/define-scalar.js';

/** 0-based start for a 1-based (or negative, from the end) SQL position. */
function startIndex(length: number, pos: number): number {
  return pos >= 0 ? Math.min(Math.max(pos - 1, 0), length) : Math.max(length + pos, 0);
}

/** ksqlDB's end index, `start + count` in Java int arithmetic: a count near 2^31 wraps and yields ''. */
function endIndex(length: number, start: number, count: number): number {
  return Math.max(Math.min((start + count) | 0, length), start);
}

/**
 * SUBSTRING(str, pos [, len]): 1-based position, negative counts from the end,
 * out-of-range positions clamp; works on BYTES too.
 */
export const substring = defineScalar({
  name: 'SUBSTRING',
  category: Category.STRING,
  description:
    'Returns the portion of the string or bytes from the specified position, optionally of the specified length. Positions are 1-based; negative positions count from the end.',
  overloads: [
    { params: ['STRING', 'INT'], returns: 'STRING', fn: (s: string, p: number) => s.slice(startIndex(s.length, p)) },
    {
      params: ['STRING', 'INT', 'INT'],
      returns: 'STRING',
      fn: (s: string, p: number, n: number) => {
        const st = startIndex(s.length, p);
        return s.slice(st, endIndex(s.length, st, n));
      },
    },
    { params: ['BYTES', 'INT'], returns: 'BYTES', fn: (b: Buffer, p: number) => Buffer.from(b.subarray(startIndex(b.length, p))) },
    {
      params: ['BYTES', 'INT', 'INT'],
      returns: 'BYTES',
      fn: (b: Buffer, p: number, n: number) => {
        const st = startIndex(b.length, p);
        return Buffer.from(b.subarray(st, endIndex(b.length, st, n)));
      },
    },
  ],
});
