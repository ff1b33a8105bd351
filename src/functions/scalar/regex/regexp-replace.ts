import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaRegex, javaReplacer } from '../../support/java-regex.js';

/** REGEXP_REPLACE(str, regex, replacement): replaces every match (Java replacement syntax). */
export const regexpReplace = defineScalar({
  name: 'REGEXP_REPLACE',
  category: Category.REGEX,
  description: 'Returns a new string with all substrings of str that match the regular expression replaced with the replacement string.',
  overloads: [
    {
      params: ['STRING', 'STRING', 'STRING'],
      returns: 'STRING',
      fn: (s: string, re: string, rep: string) => {
        const regex = javaRegex(re);
        return s.replace(regex, javaReplacer(rep, regex));
      },
    },
  ],
});
