import { Category, defineScalar } from '../../define/define-scalar.js';

/** A word and its trailing whitespace; Java's \s is ASCII-only, so a no-break space is part of a word. */
const WORD = /[^ \t\n\x0B\f\r]+[ \t\n\x0B\f\r]*/g;

/** INITCAP(str): first letter of each whitespace-delimited word upper case, the rest lower case; leading whitespace is dropped as in ksqlDB. */
export const initcap = defineScalar({
  name: 'INITCAP',
  category: Category.STRING,
  description: 'Capitalizes the first letter of each word in a string and the rest lowercased. Words are delimited by whitespace.',
  overloads: [
    {
      params: ['STRING'],
      returns: 'STRING',
      fn: (s: string) => {
        let out = '';
        for (const m of s.toLowerCase().matchAll(WORD)) out += m[0].charAt(0).toUpperCase() + m[0].slice(1);
        return out;
      },
    },
  ],
});
