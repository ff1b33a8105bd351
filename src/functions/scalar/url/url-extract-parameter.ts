import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseUrl } from './url-parts.js';

function decodeParam(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** URL_EXTRACT_PARAMETER(url, name): the first value of a query parameter (decoded). */
export const urlExtractParameter = defineScalar({
  name: 'URL_EXTRACT_PARAMETER',
  category: Category.URL,
  description: 'Extracts the value of the requested parameter from the query-string of the specified URL. Returns NULL if the parameter is not present, has no value specified for it in the query-string, or the URL is not a valid URI.',
  overloads: [
    {
      params: ['STRING', 'STRING'],
      returns: 'STRING',
      fn: (s: string, name: string) => {
        const q = parseUrl(s)?.query;
        if (q === undefined) return null;
        for (const pair of q.split('&')) {
          const i = pair.indexOf('=');
          const k = decodeParam(i < 0 ? pair : pair.slice(0, i));
          if (k === name) return i < 0 ? null : decodeParam(pair.slice(i + 1));
        }
        return null;
      },
    },
  ],
});
