import { Category, defineScalar } from '../../define/define-scalar.js';
import { arithmetic } from './interval-arithmetic.js';

/** TIMESTAMPSUB(unit, n, ts). */
export const timestampSub = defineScalar({
  name: 'TIMESTAMPSUB',
  category: Category.DATETIME,
  description: 'Subtracts an interval from a timestamp.',
  overloads: arithmetic('TIMESTAMP', -1),
});
