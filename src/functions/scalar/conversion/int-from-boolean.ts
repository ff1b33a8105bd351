import { Category, defineScalar } from '../../define/define-scalar.js';

/** INT_FROM_BOOLEAN(b): 1 for true, 0 for false, null for null. */
export const intFromBoolean = defineScalar({
  name: 'INT_FROM_BOOLEAN',
  category: Category.CONVERSION,
  description: 'Converts a BOOLEAN value to an INT value: 1 for true, 0 for false.',
  overloads: [{ params: ['BOOLEAN'], returns: 'INT', fn: (b: boolean) => (b ? 1 : 0) }],
});
