import { Category, defineScalar } from '../../define/define-scalar.js';
import { mask, maskChars, maskParams } from './masker.js';

/** MASK_LEFT(str, n, …): masks the first n characters. */
export const maskLeft = defineScalar({
  name: 'MASK_LEFT',
  category: Category.STRING,
  description: 'Returns a masked version of the input string. The first n characters will be replaced according to the masking rules.',
  overloads: maskParams(true).map((params) => ({
    params,
    returns: 'STRING',
    nullTolerant: true,
    fn: (s: string | null, n: number | null, ...m: (string | null)[]) => {
      if (s === null || n === null) return null;
      if (n < 0) throw new Error('function mask_left requires a non-negative number of characters to mask or skip');
      const k = Math.min(n, s.length);
      return mask(s.slice(0, k), maskChars(m)) + s.slice(k);
    },
  })),
});
