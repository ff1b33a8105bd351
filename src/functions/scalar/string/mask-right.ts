import { Category, defineScalar } from '../../define/define-scalar.js';
import { mask, maskChars, maskParams } from './masker.js';

/** MASK_RIGHT(str, n, …): masks the last n characters. */
export const maskRight = defineScalar({
  name: 'MASK_RIGHT',
  category: Category.STRING,
  description: 'Returns a masked version of the input string. The last n characters will be replaced according to the masking rules.',
  overloads: maskParams(true).map((params) => ({
    params,
    returns: 'STRING',
    nullTolerant: true,
    fn: (s: string | null, n: number | null, ...m: (string | null)[]) => {
      if (s === null || n === null) return null;
      if (n < 0) throw new Error('function mask_right requires a non-negative number of characters to mask or skip');
      const k = Math.max(0, s.length - n);
      return s.slice(0, k) + mask(s.slice(k), maskChars(m));
    },
  })),
});
