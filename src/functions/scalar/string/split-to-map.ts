import { Category, defineScalar } from '../../define/define-scalar.js';

function splitToMap(input: string, entryDelim: string, kvDelim: string): Map<string, string> | null {
  if (entryDelim === '' || kvDelim === '' || entryDelim === kvDelim) return null;
  const out = new Map<string, string>();
  for (const entry of input.split(entryDelim)) {
    if (entry === '' || !entry.includes(kvDelim)) continue;
    const parts = entry.split(kvDelim);
    out.set(parts[0]!, parts[1]!);
  }
  return out;
}

/** SPLIT_TO_MAP(str, entryDelim, kvDelim): parses `k1=v1;k2=v2`; later keys win. */
export const splitToMapFn = defineScalar({
  name: 'SPLIT_TO_MAP',
  category: Category.STRING,
  description:
    'Splits a string into key-value pairs and creates a map from them. The entryDelimiter splits the string into key-value pairs which are then split by kvDelimiter. If the same key is present multiple times in the input, the latest value for that key is returned.',
  overloads: [{ params: ['STRING', 'STRING', 'STRING'], returns: 'MAP<STRING, STRING>', fn: splitToMap }],
});
