import { Category, defineScalar } from '../../define/define-scalar.js';
import { formatDays } from '../../support/java-datetime.js';

/** DATETOSTRING(days, pattern). */
export const dateToString = defineScalar({
  name: 'DATETOSTRING',
  category: Category.DATETIME,
  description: 'Converts an integer representation of a date (days since epoch) into a string representing the date in the given format.',
  overloads: [{ params: ['INT', 'STRING'], returns: 'STRING', fn: formatDays }],
});
