import { unaryDouble } from './unary-double.js';

/** ASIN(x). */
export const asin = unaryDouble('ASIN', 'Returns the inverse (arc) sine of the value.', Math.asin);
