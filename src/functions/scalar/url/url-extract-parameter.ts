import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseUrl, uriDecode } from './url-parts.js';

/**
 * URL_EXTRACT_PARAMETER(url, name): ksqlDB splits the *decoded* query (URI.getQuery:
 * %XX decoded, `+` kept) on `&` and then on the first `=`; the first pair whose key
 * equals `name` gives its value, or '' when it has no `=`.
 */
export const urlExtractParameter = defineScalar({
  name: 'URL_EXTRACT_PARAMETER',
  category: Category.URL,
  description:
    'Extracts the value of the requested parameter from the query-string of the specified URL. Returns NULL if the parameter is not present or the URL is not a valid URI.',
  overloads: [
    {
      params: ['STRING', 'STRING'],
      returns: 'STRING',
      fn: (s: string, name: string) => {
        const q = parseUrl(s)?.query;
        if (q === undefined) return null;
        for (const pair of uriDecode(q).split('&')) {
          const i = pair.indexOf('=');
          if ((i < 0 ? pair : pair.slice(0, i)) === name) return i < 0 ? '' : pair.slice(i + 1);
        }
        return null;
      },
    },
  ],
});
