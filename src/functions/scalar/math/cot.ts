import { unaryDouble } from './unary-double.js';

/** COT(x). */
export const cot = unaryDouble('COT', 'Returns the cotangent of the value.', (x) => 1 / Math.tan(x));
