import { unescapeJava } from '../../support/unescape-java.js';
import { Category, defineScalar } from '../../define/define-scalar.js';

/** ksqlDB's Chr(INT): Character.isValidCodePoint, else null. */
function fromCode(code: number): string | null {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

/** ksqlDB's Chr(STRING): null unless it starts with `\u` and is ≥ 6 long, else commons-lang unescapeJava. */
function fromEscape(s: string): string | null {
  if (s.length < 6 || !s.startsWith('\\u')) return null;
  return unescapeJava(s);
}

/** CHR(code | '\uXXXX'): the character for a code point or UTF-16 escape. */
export const chr = defineScalar({
  name: 'CHR',
  category: Category.STRING,
  description: 'Returns a single-character string corresponding to the input character code.',
  overloads: [
    { params: ['INT'], returns: 'STRING', fn: fromCode },
    { params: ['STRING'], returns: 'STRING', fn: fromEscape },
  ],
});
