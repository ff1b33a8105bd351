import { Category, defineScalar } from '../../define/define-scalar.js';
import { arithmetic } from './interval-arithmetic.js';

/** DATEADD(unit, n, date): whole days added (smaller units truncate to days). */
export const dateAdd = defineScalar({
  name: 'DATEADD',
  category: Category.DATETIME,
  description: 'Adds an interval to a date.',
  overloads: arithmetic('DATE', 1),
});
