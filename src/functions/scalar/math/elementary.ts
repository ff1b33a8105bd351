import { unaryDouble } from './unary-double.js';

/** SQRT(x). */
export const sqrt = unaryDouble('SQRT', 'Returns the correctly rounded positive square root of a DOUBLE value.', Math.sqrt);
/** CBRT(x). */
export const cbrt = unaryDouble('CBRT', 'Returns the cube root of the value.', Math.cbrt);
/** EXP(x): e raised to x. */
export const exp = unaryDouble('EXP', 'Returns Euler\'s number e raised to the power of the value.', Math.exp);
/** LN(x): natural logarithm. */
export const ln = unaryDouble('LN', 'Returns the natural logarithm of the value.', Math.log);
/** DEGREES(radians). */
export const degrees = unaryDouble('DEGREES', 'Converts a value in radians to a value in degrees.', (x) => (x * 180) / Math.PI);
/** RADIANS(degrees). */
export const radians = unaryDouble('RADIANS', 'Converts a value in degrees to a value in radians.', (x) => (x / 180) * Math.PI);
