import { unaryDouble } from './unary-double.js';

/** SINH(x). */
export const sinh = unaryDouble('SINH', 'Returns the hyperbolic sine of the value.', Math.sinh);
