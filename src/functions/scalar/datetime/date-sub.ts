import { Category, defineScalar } from '../../define/define-scalar.js';
import { arithmetic } from './interval-arithmetic.js';

/** DATESUB(unit, n, date). */
export const dateSub = defineScalar({
  name: 'DATESUB',
  category: Category.DATETIME,
  description: 'Subtracts an interval from a date.',
  overloads: arithmetic('DATE', -1),
});
