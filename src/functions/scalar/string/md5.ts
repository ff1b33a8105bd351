import { createHash } from 'node:crypto';
import { Category, defineScalar } from '../../define/define-scalar.js';

/** MD5(str): hex digest of the UTF-8 bytes. */
export const md5 = defineScalar({
  name: 'MD5',
  category: Category.STRING,
  description: 'Returns the hex-encoded MD5 hash of the input string.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: (s: string) => createHash('md5').update(s, 'utf8').digest('hex') }],
});
