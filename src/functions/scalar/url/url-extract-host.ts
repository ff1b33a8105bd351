import { extractor } from './url-extractor.js';

/** URL_EXTRACT_HOST(url). */
export const urlExtractHost = extractor(
  'URL_EXTRACT_HOST',
  'Extracts the host-name portion of the specified value. Returns NULL if the value is not a valid URI according to RFC-2396.',
  'STRING',
  (p) => p.host,
);
