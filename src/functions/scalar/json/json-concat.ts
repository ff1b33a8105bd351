import { Category, defineScalar } from '../../define/define-scalar.js';
import { type JsonNode, readJson, writeJson } from '../../support/json-tree.js';

function concat(...texts: (string | null)[]): string | null {
  const nodes: JsonNode[] = [];
  for (const t of texts) {
    if (t === null) return null;
    const n = readJson(t, true);
    if (!n) return null;
    nodes.push(n);
  }
  // ksqlDB's JsonConcat starts from the first value as is: a single argument is returned unwrapped.
  if (nodes.length === 1) return writeJson(nodes[0]!);
  if (nodes.every((n) => n.t === 'obj')) {
    const entries: [string, JsonNode][] = [];
    for (const n of nodes) {
      if (n.t !== 'obj') continue;
      for (const [k, v] of n.entries) {
        const i = entries.findIndex((e) => e[0] === k);
        if (i >= 0) entries[i] = [k, v];
        else entries.push([k, v]);
      }
    }
    return writeJson({ t: 'obj', entries });
  }
  const items: JsonNode[] = [];
  for (const n of nodes) {
    if (n.t === 'arr') items.push(...n.items);
    else items.push(n);
  }
  return writeJson({ t: 'arr', items });
}

/** JSON_CONCAT(json, json, …): merges objects (later keys win) or concatenates arrays. */
export const jsonConcat = defineScalar({
  name: 'JSON_CONCAT',
  category: Category.JSON,
  description:
    'Given N strings, parse them as JSON values and return a string representing their concatenation. Objects are merged; arrays are concatenated, other values are appended as array elements.',
  overloads: [{ params: ['STRING', 'STRING...'], returns: 'STRING', nullTolerant: true, fn: concat }],
});
