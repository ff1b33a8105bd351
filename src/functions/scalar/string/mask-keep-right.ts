import { Category, defineScalar } from '../../define/define-scalar.js';
import { mask, maskChars, maskParams } from './masker.js';

/** MASK_KEEP_RIGHT(str, n, …): masks all but the last n characters. */
export const maskKeepRight = defineScalar({
  name: 'MASK_KEEP_RIGHT',
  category: Category.STRING,
  description: 'Returns a masked version of the input string. All characters except for the last n will be replaced according to the masking rules.',
  overloads: maskParams(true).map((params) => ({
    params,
    returns: 'STRING',
    nullTolerant: true,
    fn: (s: string | null, n: number | null, ...m: (string | null)[]) => {
      if (s === null || n === null) return null;
      if (n < 0) throw new Error('function mask_keep_right requires a non-negative number of characters to mask or skip');
      const k = Math.max(0, s.length - n);
      return mask(s.slice(0, k), maskChars(m)) + s.slice(k);
    },
  })),
});
