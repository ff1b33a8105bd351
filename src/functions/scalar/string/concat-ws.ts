import { Category, defineScalar } from '../../define/define-scalar.js';

function joinStrings(sep: string | null, ...parts: (string | null)[]): string | null {
  if (sep === null) return null;
  const present: string[] = [];
  for (const p of parts) if (p !== null && p !== undefined) present.push(p);
  return present.join(sep);
}

function joinBytes(sep: Buffer | null, ...parts: (Buffer | null)[]): Buffer | null {
  if (sep === null) return null;
  const out: Buffer[] = [];
  for (const p of parts) {
    if (p === null || p === undefined) continue;
    if (out.length > 0) out.push(sep);
    out.push(p);
  }
  return Buffer.concat(out);
}

/** CONCAT_WS(sep, a, b, …): joins non-null values with a separator; null separator → null. */
export const concatWs = defineScalar({
  name: 'CONCAT_WS',
  category: Category.STRING,
  description:
    'Concatenates two or more string or bytes expressions, inserting a separator between each. Null inputs are skipped; a null separator returns null.',
  overloads: [
    { params: ['STRING', 'STRING...'], returns: 'STRING', nullTolerant: true, fn: joinStrings },
    { params: ['BYTES', 'BYTES...'], returns: 'BYTES', nullTolerant: true, fn: joinBytes },
  ],
});
