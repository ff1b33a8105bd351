import { Category, defineScalar } from '../../define/define-scalar.js';

/** URL_ENCODE_PARAM(str): application/x-www-form-urlencoded escaping (Java URLEncoder). */
export const urlEncodeParam = defineScalar({
  name: 'URL_ENCODE_PARAM',
  category: Category.URL,
  description: 'Escapes the value by using the application/x-www-form-urlencoded MIME format.',
  overloads: [
    {
      params: ['STRING'],
      returns: 'STRING',
      fn: (s: string) =>
        encodeURIComponent(s)
          .replace(/%20/g, '+')
          .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    },
  ],
});
