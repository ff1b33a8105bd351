import { extractor } from './url-extractor.js';

/** URL_EXTRACT_PROTOCOL(url). */
export const urlExtractProtocol = extractor(
  'URL_EXTRACT_PROTOCOL',
  'Extracts the protocol from the specified value. Returns NULL if the value is not a valid URI.',
  'STRING',
  (p) => p.scheme,
);
