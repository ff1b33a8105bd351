import { Category, defineScalar } from '../../define/define-scalar.js';
import { arithmetic } from './interval-arithmetic.js';

/** TIMESUB(unit, n, time): wraps around midnight. */
export const timeSub = defineScalar({
  name: 'TIMESUB',
  category: Category.DATETIME,
  description: 'Subtracts an interval from a time.',
  overloads: arithmetic('TIME', -1),
});
