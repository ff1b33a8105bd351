import { Category, defineScalar } from '../../define/define-scalar.js';

/**
 * Java String.replace(old, new), as ksqlDB's Replace calls it: every literal
 * occurrence; an empty `old` matches before every UTF-16 code unit and at the end
 * ('abc' → 'xaxbxcx', '' → 'x').
 */
function javaReplace(s: string, a: string, b: string): string {
  if (a !== '') return s.split(a).join(b);
  return s === '' ? b : b + s.split('').join(b) + b;
}

/** REPLACE(str, old, new): replaces every literal occurrence. */
export const replace = defineScalar({
  name: 'REPLACE',
  category: Category.STRING,
  description: 'Returns a new string with all occurences of the substring in str replaced with newSubstring.',
  overloads: [
    { params: ['STRING', 'STRING', 'STRING'], returns: 'STRING', fn: javaReplace },
  ],
});
