import { unaryDouble } from './unary-double.js';

/** ACOS(x). */
export const acos = unaryDouble('ACOS', 'Returns the inverse (arc) cosine of the value.', Math.acos);
