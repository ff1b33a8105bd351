import { Category, defineScalar } from '../../define/define-scalar.js';
import { mask, maskChars, maskParams } from './masker.js';

/** MASK_KEEP_LEFT(str, n, …): masks all but the first n characters. */
export const maskKeepLeft = defineScalar({
  name: 'MASK_KEEP_LEFT',
  category: Category.STRING,
  description: 'Returns a masked version of the input string. All characters except for the first n will be replaced according to the masking rules.',
  overloads: maskParams(true).map((params) => ({
    params,
    returns: 'STRING',
    nullTolerant: true,
    fn: (s: string | null, n: number | null, ...m: (string | null)[]) => {
      if (s === null || n === null) return null;
      if (n < 0) throw new Error('function mask_keep_left requires a non-negative number of characters to mask or skip');
      const k = Math.min(n, s.length);
      return s.slice(0, k) + mask(s.slice(k), maskChars(m));
    },
  })),
});
