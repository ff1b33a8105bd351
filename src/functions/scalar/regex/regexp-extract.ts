import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaRegex } from '../../support/java-regex.js';

function extract(pattern: string, s: string, group = 0): string | null {
  const re = javaRegex(pattern);
  re.lastIndex = 0;
  const m = re.exec(s);
  if (!m) return null;
  if (group < 0 || group >= m.length) return null;
  return m[group] ?? null;
}

/** REGEXP_EXTRACT(pattern, str [, group]): the first match (or its group), else null. */
export const regexpExtract = defineScalar({
  name: 'REGEXP_EXTRACT',
  category: Category.REGEX,
  description: 'Extract the first subtring matched by a regex pattern, optionally the given capturing group.',
  overloads: [
    { params: ['STRING', 'STRING'], returns: 'STRING', fn: extract },
    { params: ['STRING', 'STRING', 'INT'], returns: 'STRING', fn: extract },
  ],
});
