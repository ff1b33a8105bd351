import { definePartialMask } from './masker.js';

/** MASK_KEEP_RIGHT(str, n, …): masks all but the last n characters. */
export const maskKeepRight = definePartialMask(
  'MASK_KEEP_RIGHT',
  'Returns a masked version of the input string. All characters except for the last n will be replaced according to the masking rules.',
  'right',
  true,
);
