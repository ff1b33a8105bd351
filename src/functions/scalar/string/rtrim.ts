import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaRtrim } from './java-trim.js';

/** RTRIM(str): removes trailing whitespace. */
export const rtrim = defineScalar({
  name: 'RTRIM',
  category: Category.STRING,
  description: 'Returns the input string with all trailing whitespace removed.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: javaRtrim }],
});
