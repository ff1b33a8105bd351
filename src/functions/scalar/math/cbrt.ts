import { unaryDouble } from './unary-double.js';

/** CBRT(x). */
export const cbrt = unaryDouble('CBRT', 'Returns the cube root of the value.', Math.cbrt);
