import { unaryDouble } from './unary-double.js';

/** SQRT(x). */
export const sqrt = unaryDouble('SQRT', 'Returns the correctly rounded positive square root of a DOUBLE value.', Math.sqrt);
