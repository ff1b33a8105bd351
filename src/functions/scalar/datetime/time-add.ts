import { Category, defineScalar } from '../../define/define-scalar.js';
import { arithmetic } from './interval-arithmetic.js';

/** TIMEADD(unit, n, time): wraps around midnight. */
export const timeAdd = defineScalar({
  name: 'TIMEADD',
  category: Category.DATETIME,
  description: 'Adds an interval to a time.',
  overloads: arithmetic('TIME', 1),
});
