import { Category, defineScalar } from '../../define/define-scalar.js';

/** FROM_DAYS(days): the DATE. */
export const fromDays = defineScalar({
  name: 'FROM_DAYS',
  category: Category.DATETIME,
  description: 'Converts an INT number of days since epoch to a DATE value.',
  overloads: [{ params: ['INT'], returns: 'DATE', fn: (d: number) => d }],
});
