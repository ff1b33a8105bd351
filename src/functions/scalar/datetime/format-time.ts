import { Category, defineScalar } from '../../define/define-scalar.js';
import { formatTimeOfDay } from '../../support/java-datetime.js';

/** FORMAT_TIME(time, pattern). */
export const formatTime = defineScalar({
  name: 'FORMAT_TIME',
  category: Category.DATETIME,
  description: 'Converts a TIME value into a string representing the time in the given format.',
  overloads: [{ params: ['TIME', 'STRING'], returns: 'STRING', fn: formatTimeOfDay }],
});
