import { uriDecode } from './url-parts.js';
import { extractor } from './url-extractor.js';

/** URL_EXTRACT_PATH(url): the decoded path ('' when empty). */
export const urlExtractPath = extractor(
  'URL_EXTRACT_PATH',
  'Extracts the path from the specified value. Returns NULL if the value is not a valid URI.',
  'STRING',
  (p) => (p.path === undefined ? null : uriDecode(p.path)),
);
