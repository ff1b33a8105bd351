import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaTrim } from './java-trim.js';

/** TRIM(str): removes leading and trailing whitespace (Java trim semantics). */
export const trim = defineScalar({
  name: 'TRIM',
  category: Category.STRING,
  description: 'Returns the input string with all leading and trailing whitespace removed.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: javaTrim }],
});
