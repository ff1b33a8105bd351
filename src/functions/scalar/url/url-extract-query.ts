import { uriDecode } from './url-parts.js';
import { extractor } from './url-extractor.js';

/** URL_EXTRACT_QUERY(url): the decoded query. */
export const urlExtractQuery = extractor(
  'URL_EXTRACT_QUERY',
  'Extracts the decoded query-string portion of the specified value. Returns NULL if no query-string is present or the value is not a valid URI.',
  'STRING',
  (p) => (p.query === undefined ? null : uriDecode(p.query)),
);
