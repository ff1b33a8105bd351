import { Category, defineScalar } from '../../define/define-scalar.js';
import { type UrlParts, parseUrl, uriDecode } from './url-parts.js';

function extractor(name: string, description: string, returns: string, pick: (p: UrlParts) => unknown) {
  return defineScalar({
    name,
    category: Category.URL,
    description,
    overloads: [
      {
        params: ['STRING'],
        returns,
        fn: (s: string) => {
          const p = parseUrl(s);
          return p ? pick(p) ?? null : null;
        },
      },
    ],
  });
}

/** URL_EXTRACT_FRAGMENT(url): the decoded fragment. */
export const urlExtractFragment = extractor('URL_EXTRACT_FRAGMENT', 'Extracts the fragment portion of the specified value. Returns NULL if the value is not a valid URL or if the fragment does not exist.', 'STRING', (p) => (p.fragment === undefined ? null : uriDecode(p.fragment)));
/** URL_EXTRACT_HOST(url). */
export const urlExtractHost = extractor('URL_EXTRACT_HOST', 'Extracts the host-name portion of the specified value. Returns NULL if the value is not a valid URI according to RFC-2396.', 'STRING', (p) => p.host);
/** URL_EXTRACT_PATH(url): the decoded path ('' when empty). */
export const urlExtractPath = extractor('URL_EXTRACT_PATH', 'Extracts the path from the specified value. Returns NULL if the value is not a valid URI.', 'STRING', (p) => (p.path === undefined ? null : uriDecode(p.path)));
/** URL_EXTRACT_PORT(url). */
export const urlExtractPort = extractor('URL_EXTRACT_PORT', 'Extracts the port number from the specified value. Returns NULL if the value is not a valid URI or if the port does not exist.', 'INT', (p) => p.port);
/** URL_EXTRACT_PROTOCOL(url). */
export const urlExtractProtocol = extractor('URL_EXTRACT_PROTOCOL', 'Extracts the protocol from the specified value. Returns NULL if the value is not a valid URI.', 'STRING', (p) => p.scheme);
/** URL_EXTRACT_QUERY(url): the decoded query. */
export const urlExtractQuery = extractor('URL_EXTRACT_QUERY', 'Extracts the decoded query-string portion of the specified value. Returns NULL if no query-string is present or the value is not a valid URI.', 'STRING', (p) => (p.query === undefined ? null : uriDecode(p.query)));
