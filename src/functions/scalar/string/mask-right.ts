import { definePartialMask } from './masker.js';

/** MASK_RIGHT(str, n, …): masks the last n characters. */
export const maskRight = definePartialMask(
  'MASK_RIGHT',
  'Returns a masked version of the input string. The last n characters will be replaced according to the masking rules.',
  'right',
  false,
);
