import { unaryDouble } from './unary-double.js';

/** ATAN(x). */
export const atan = unaryDouble('ATAN', 'Returns the inverse (arc) tangent of the value.', Math.atan);
