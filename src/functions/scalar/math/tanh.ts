import { unaryDouble } from './unary-double.js';

/** TANH(x). */
export const tanh = unaryDouble('TANH', 'Returns the hyperbolic tangent of the value.', Math.tanh);
