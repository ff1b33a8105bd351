import { unaryDouble } from './unary-double.js';

/** DEGREES(radians). */
export const degrees = unaryDouble('DEGREES', 'Converts a value in radians to a value in degrees.', (x) => (x * 180) / Math.PI);
