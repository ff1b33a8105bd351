import { unaryDouble } from './unary-double.js';

/** TAN(x). */
export const tan = unaryDouble('TAN', 'Returns the tangent of the value.', Math.tan);
