import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseDaysIgnoringTime } from '../../support/java-datetime.js';

/** STRINGTODATE(str, pattern): days since epoch as an INT. */
export const stringToDate = defineScalar({
  name: 'STRINGTODATE',
  category: Category.DATETIME,
  description: 'Converts a string representation of a date in the given format into an integer representing days since epoch.',
  overloads: [{ params: ['STRING', 'STRING'], returns: 'INT', fn: parseDaysIgnoringTime }],
});
