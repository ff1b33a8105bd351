import { Category, defineScalar } from '../../define/define-scalar.js';

/** UCASE(str): upper case (locale-independent). */
export const ucase = defineScalar({
  name: 'UCASE',
  category: Category.STRING,
  description: 'Returns the input string with all characters converted to upper case.',
  overloads: [{ params: ['STRING'], returns: 'STRING', fn: (s: string) => s.toUpperCase() }],
});
