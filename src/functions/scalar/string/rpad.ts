import { Category, defineScalar } from '../../define/define-scalar.js';
import { padBytes, padString } from './pad.js';

/** RPAD(input, length, padding): null when padding is empty/null or length negative. */
export const rpad = defineScalar({
  name: 'RPAD',
  category: Category.STRING,
  description:
    'Pads the input string or bytes, starting from the end, with the specified padding of the same type, until the target length is reached. If the input is longer than the specified target length it will be truncated. If the padding string or bytes are empty or NULL, or the target length is negative, then NULL is returned.',
  overloads: [
    {
      params: ['STRING', 'INT', 'STRING'],
      returns: 'STRING',
      nullTolerant: true,
      fn: (s: string | null, n: number | null, p: string | null) => (s === null ? null : padString(s, n, p, false)),
    },
    {
      params: ['BYTES', 'INT', 'BYTES'],
      returns: 'BYTES',
      nullTolerant: true,
      fn: (s: Buffer | null, n: number | null, p: Buffer | null) => (s === null ? null : padBytes(s, n, p, false)),
    },
  ],
});
