import type { TableFunction } from '../define/function-types.js';
import { cubeExplode } from './cube-explode.js';
import { explode } from './explode.js';

/** Every built-in table function. */
export const TABLE_FUNCTIONS: readonly TableFunction[] = [cubeExplode, explode];
