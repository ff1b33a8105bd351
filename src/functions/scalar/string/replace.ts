import { Category, defineScalar } from '../../define/define-scalar.js';

/** REPLACE(str, old, new): replaces every literal occurrence. */
export const replace = defineScalar({
  name: 'REPLACE',
  category: Category.STRING,
  description: 'Returns a new string with all occurences of the substring in str replaced with newSubstring.',
  overloads: [
    { params: ['STRING', 'STRING', 'STRING'], returns: 'STRING', fn: (s: string, a: string, b: string) => s.split(a).join(b) },
  ],
});
