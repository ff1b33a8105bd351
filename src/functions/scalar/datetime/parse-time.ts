import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseTimeOfDay } from '../../support/java-datetime.js';

/** PARSE_TIME(str, pattern). */
export const parseTime = defineScalar({
  name: 'PARSE_TIME',
  category: Category.DATETIME,
  description: 'Converts a string representation of a time in the given format into a TIME value.',
  overloads: [{ params: ['STRING', 'STRING'], returns: 'TIME', fn: parseTimeOfDay }],
});
