import { Category, defineScalar } from '../../define/define-scalar.js';

/** LCASE(str): lower case (locale-independent). */
export const lcase = defineScalar({
  name: 'LCASE',
  category: Category.STRING,
  description: 'Returns the input string with all characters converted to lower case.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: (s: string) => s.toLowerCase() }],
});
