import { javaToRadians } from '../../support/java-numbers.js';
import { unaryDouble } from './unary-double.js';

/** RADIANS(degrees). */
export const radians = unaryDouble('RADIANS', 'Converts a value in degrees to a value in radians.', javaToRadians);
