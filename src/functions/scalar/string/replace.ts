import { checkGeneratedSize } from '../../support/bounds.js';
import { Category, defineScalar } from '../../define/define-scalar.js';

/**
 * Java String.replace(old, new), as ksqlDB's Replace calls it: every literal
 * occurrence; an empty `old` matches before every UTF-16 code unit and at the end
 * ('abc' → 'xaxbxcx', '' → 'x'). A result that grows past the generated-size
 * bound fails instead of being built (long input that does not grow is fine).
 */
function javaReplace(s: string, a: string, b: string): string {
  if (s === '' && a === '') return b;
  const parts = a === '' ? ['', ...s.split(''), ''] : s.split(a);
  const length = s.length + (parts.length - 1) * (b.length - a.length);
  if (length > s.length) checkGeneratedSize('REPLACE', 'result length', length);
  return parts.join(b);
}

/** REPLACE(str, old, new): replaces every literal occurrence. */
export const replace = defineScalar({
  name: 'REPLACE',
  category: Category.STRING,
  description: 'Returns a new string with all occurences of the substring in str replaced with newSubstring.',
  overloads: [{ params: ['STRING', 'STRING', 'STRING'], returns: 'STRING', fn: javaReplace }],
});
