import { Category, defineScalar } from '../../define/define-scalar.js';
import { arithmetic } from './interval-arithmetic.js';

/** TIMESTAMPADD(unit, n, ts). */
export const timestampAdd = defineScalar({
  name: 'TIMESTAMPADD',
  category: Category.DATETIME,
  description: 'Adds an interval to a timestamp.',
  overloads: arithmetic('TIMESTAMP', 1),
});
