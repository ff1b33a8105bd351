import { Category, defineScalar } from '../../define/define-scalar.js';

function fromCode(code: number): string | null {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

/** Java unescape of `\uXXXX` sequences (input must start with `\u` and be ≥ 6 long). */
function fromEscape(s: string): string | null {
  if (s.length < 6 || !s.startsWith('\\u')) return null;
  return s.replace(/\\u+([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
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
