import { Category, defineScalar } from '../../define/define-scalar.js';
import { javaRegex } from '../../support/java-regex.js';

function extractAll(pattern: string, s: string, group = 0): (string | null)[] {
  const re = javaRegex(pattern);
  re.lastIndex = 0;
  const out: (string | null)[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[0].length === 0) re.lastIndex++;
    if (group < 0 || group >= m.length) throw new Error(`No group ${group}`);
    out.push(m[group] ?? null);
  }
  return out;
}

/** REGEXP_EXTRACT_ALL(pattern, str [, group]): every match (or its group). */
export const regexpExtractAll = defineScalar({
  name: 'REGEXP_EXTRACT_ALL',
  category: Category.REGEX,
  description: 'Extract all subtrings matched by a regex pattern, optionally the given capturing group.',
  overloads: [
    { params: ['STRING', 'STRING'], returns: 'ARRAY<STRING>', fn: extractAll },
    { params: ['STRING', 'STRING', 'INT'], returns: 'ARRAY<STRING>', fn: extractAll },
  ],
});
