import { uriDecode } from './url-parts.js';
import { extractor } from './url-extractor.js';

/** URL_EXTRACT_FRAGMENT(url): the decoded fragment. */
export const urlExtractFragment = extractor(
  'URL_EXTRACT_FRAGMENT',
  'Extracts the fragment portion of the specified value. Returns NULL if the value is not a valid URL or if the fragment does not exist.',
  'STRING',
  (p) => (p.fragment === undefined ? null : uriDecode(p.fragment)),
);
