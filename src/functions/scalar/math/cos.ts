import { unaryDouble } from './unary-double.js';

/** COS(x). */
export const cos = unaryDouble('COS', 'Returns the cosine of the value.', Math.cos);
