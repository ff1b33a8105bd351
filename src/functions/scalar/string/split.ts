import { Category, defineScalar } from '../../define/define-scalar.js';

/** Splits bytes on a delimiter; empty delimiter splits every byte. */
export function splitBytes(b: Buffer, d: Buffer): Buffer[] {
  if (d.length === 0) return [...b].map((x) => Buffer.from([x]));
  const out: Buffer[] = [];
  let from = 0;
  for (let i = b.indexOf(d, from); i >= 0; i = b.indexOf(d, from)) {
    out.push(Buffer.from(b.subarray(from, i)));
    from = i + d.length;
  }
  out.push(Buffer.from(b.subarray(from)));
  return out;
}

/** Java's Pattern("").split: one element per UTF-16 code unit; "" → [""]. */
function splitChars(s: string): string[] {
  return s.length === 0 ? [''] : s.split('');
}

/** SPLIT(str, delim): literal split keeping empty parts; empty delimiter splits characters. */
export const split = defineScalar({
  name: 'SPLIT',
  category: Category.STRING,
  description:
    'Splits a string or bytes into an array of substrings or bytes based on a delimiter. Empty parts are kept; an empty delimiter splits every character.',
  overloads: [
    { params: ['STRING', 'STRING'], returns: 'ARRAY<STRING>', fn: (s: string, d: string) => (d === '' ? splitChars(s) : s.split(d)) },
    { params: ['BYTES', 'BYTES'], returns: 'ARRAY<BYTES>', fn: splitBytes },
  ],
});
