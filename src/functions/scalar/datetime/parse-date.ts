import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseDays } from '../../support/java-datetime.js';

/** PARSE_DATE(str, pattern). */
export const parseDate = defineScalar({
  name: 'PARSE_DATE',
  category: Category.DATETIME,
  description: 'Converts a string representation of a date in the given format into a DATE value.',
  overloads: [{ params: ['STRING', 'STRING'], returns: 'DATE', fn: parseDays }],
});
