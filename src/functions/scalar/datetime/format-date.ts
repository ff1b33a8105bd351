import { Category, defineScalar } from '../../define/define-scalar.js';
import { formatDays } from '../../support/java-datetime.js';

/** FORMAT_DATE(date, pattern). */
export const formatDate = defineScalar({
  name: 'FORMAT_DATE',
  category: Category.DATETIME,
  description: 'Converts a DATE value into a string representing the date in the given format.',
  overloads: [{ params: ['DATE', 'STRING'], returns: 'STRING', fn: formatDays }],
});
