import { unaryDouble } from './unary-double.js';

/** LN(x): natural logarithm. */
export const ln = unaryDouble('LN', 'Returns the natural logarithm of the value.', Math.log);
