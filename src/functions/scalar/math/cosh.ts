import { unaryDouble } from './unary-double.js';

/** COSH(x). */
export const cosh = unaryDouble('COSH', 'Returns the hyperbolic cosine of the value.', Math.cosh);
