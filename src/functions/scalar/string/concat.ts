import { Category, defineScalar } from '../../define/define-scalar.js';

function concatStrings(...parts: (string | null)[]): string {
  let out = '';
  for (const p of parts) if (p !== null && p !== undefined) out += p;
  return out;
}

function concatBytes(...parts: (Buffer | null)[]): Buffer {
  const present: Buffer[] = [];
  for (const p of parts) if (p !== null && p !== undefined) present.push(p);
  return Buffer.concat(present);
}

/** CONCAT(a, b, …): joins strings (or bytes), skipping nulls. */
export const concat = defineScalar({
  name: 'CONCAT',
  category: Category.STRING,
  description: 'Concatenate an arbitrary number of string or bytes fields together. Null inputs are skipped.',
  overloads: [
    { params: ['STRING...'], returns: 'STRING', nullTolerant: true, fn: concatStrings },
    { params: ['BYTES...'], returns: 'BYTES', nullTolerant: true, fn: concatBytes },
  ],
});
