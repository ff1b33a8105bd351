import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaRegex, javaSplit } from '../../support/java-regex.js';

/** REGEXP_SPLIT_TO_ARRAY(str, regex): splits on a regular expression, keeping empty parts. */
export const regexpSplitToArray = defineScalar({
  name: 'REGEXP_SPLIT_TO_ARRAY',
  category: Category.REGEX,
  description: 'Splits a string into an array of substrings based on a regular expression. Empty parts are kept; an empty regex splits every character.',
  overloads: [
    {
      params: ['STRING', 'STRING'],
      returns: 'ARRAY<STRING>',
      fn: (s: string, re: string) => (re === '' ? (s === '' ? [''] : s.split('')) : javaSplit(s, javaRegex(re))),
    },
  ],
});
