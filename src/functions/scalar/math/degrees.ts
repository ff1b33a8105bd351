import { javaToDegrees } from '../../support/java-numbers.js';
import { unaryDouble } from './unary-double.js';

/** DEGREES(radians). */
export const degrees = unaryDouble('DEGREES', 'Converts a value in radians to a value in degrees.', javaToDegrees);
