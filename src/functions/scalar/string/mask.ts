import { Category, defineScalar } from '../../define/define-scalar.js';
import { mask, maskChars, maskParams } from './masker.js';

/** MASK(str [, upper, lower, digit, other]): masks every character. */
export const maskFn = defineScalar({
  name: 'MASK',
  category: Category.STRING,
  description:
    'Returns a masked version of the input string. All characters of the input will be replaced according to the default masking rules (upper case X, lower case x, digits n, other -) or the given replacement characters; a NULL replacement leaves that class unmasked.',
  overloads: maskParams(false).map((params) => ({
    params,
    returns: 'STRING',
    nullTolerant: true,
    fn: (s: string | null, ...m: (string | null)[]) => (s === null ? null : mask(s, maskChars(m))),
  })),
});
