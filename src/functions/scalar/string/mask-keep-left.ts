import { definePartialMask } from './masker.js';

/** MASK_KEEP_LEFT(str, n, …): masks all but the first n characters. */
export const maskKeepLeft = definePartialMask(
  'MASK_KEEP_LEFT',
  'Returns a masked version of the input string. All characters except for the first n will be replaced according to the masking rules.',
  'left',
  true,
);
