import { Category, defineScalar } from '../../define/define-scalar.js';

/** URL_DECODE_PARAM(str): reverses application/x-www-form-urlencoded escaping. */
export const urlDecodeParam = defineScalar({
  name: 'URL_DECODE_PARAM',
  category: Category.URL,
  description: 'Unescapes a value encoded with the application/x-www-form-urlencoded MIME format.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: (s: string) => decodeURIComponent(s.replace(/\+/g, ' ')) }],
});
