import { extractor } from './url-extractor.js';

/** URL_EXTRACT_PORT(url). */
export const urlExtractPort = extractor(
  'URL_EXTRACT_PORT',
  'Extracts the port number from the specified value. Returns NULL if the value is not a valid URI or if the port does not exist.',
  'INT',
  (p) => p.port,
);
