import { Category, defineScalar } from '../../define/define-scalar.js';

/** LEN(str | bytes): length in UTF-16 code units (as Java) or bytes. */
export const len = defineScalar({
  name: 'LEN',
  category: Category.STRING,
  description: 'Returns the length of the input string or bytes.',
  overloads: [
    { params: ['STRING'], returns: 'INT', fn: (s: string) => s.length },
    { params: ['BYTES'], returns: 'INT', fn: (b: Buffer) => b.length },
  ],
});
