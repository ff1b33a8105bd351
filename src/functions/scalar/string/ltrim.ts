import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaLtrim } from './java-trim.js';

/** LTRIM(str): removes leading whitespace. */
export const ltrim = defineScalar({
  name: 'LTRIM',
  category: Category.STRING,
  description: 'Returns the input string with all leading whitespace removed.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: javaLtrim }],
});
