import { definePartialMask } from './masker.js';

/** MASK_LEFT(str, n, …): masks the first n characters. */
export const maskLeft = definePartialMask(
  'MASK_LEFT',
  'Returns a masked version of the input string. The first n characters will be replaced according to the masking rules.',
  'left',
  false,
);
