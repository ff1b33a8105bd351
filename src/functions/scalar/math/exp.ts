import { unaryDouble } from './unary-double.js';

/** EXP(x): e raised to x. */
export const exp = unaryDouble('EXP', "Returns Euler's number e raised to the power of the value.", Math.exp);
