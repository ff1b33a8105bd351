import { unaryDouble } from './unary-double.js';

/** SIN(x). */
export const sin = unaryDouble('SIN', 'Returns the sine of the value.', Math.sin);
