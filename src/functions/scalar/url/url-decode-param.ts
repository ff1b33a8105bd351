import { Category, defineScalar } from '../../define/define-scalar.js';
import { percentDecode } from './url-parts.js';

/**
 * URL_DECODE_PARAM(str): reverses application/x-www-form-urlencoded escaping like
 * Java's URLDecoder (`+` is a space, invalid UTF-8 becomes U+FFFD, a bad `%` escape
 * is an error).
 */
export const urlDecodeParam = defineScalar({
  name: 'URL_DECODE_PARAM',
  category: Category.URL,
  description: 'Unescapes a value encoded with the application/x-www-form-urlencoded MIME format.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: (s: string) => percentDecode(s, true) }],
});
