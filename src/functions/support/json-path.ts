import type { JsonNode } from './json-tree.js';

/** One step of a JSONPath: an object key or an array index. */
type Step = string | number;

const cache = new Map<string, Step[] | null>();

/** Parses `$.a.b[0]['c d']` into steps; null when the path is malformed. */
export function parseJsonPath(path: string): Step[] | null {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const steps: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  let ok = true;
  while (i < path.length && ok) {
    const c = path[i];
    if (c === '.') {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) ok = false;
      else {
        steps.push(m[0]);
        i += 1 + m[0].length;
      }
    } else if (c === '[') {
      const m = /^\[\s*(?:(-?\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(path.slice(i));
      if (!m) ok = false;
      else {
        steps.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
        i += m[0].length;
      }
    } else if (i === 0) {
      const m = /^[^.[\]]+/.exec(path);
      steps.push(m![0]);
      i += m![0].length;
    } else ok = false;
  }
  const out = ok ? steps : null;
  if (cache.size > 256) cache.clear();
  cache.set(path, out);
  return out;
}

/**
 * Follows a parsed path as ksqlDB's JsonExtractString does: every step is a
 * token, read as an index (Integer.parseInt) on an array and as a key on an
 * object, so `$.a.0` indexes an array and `$[0]` reads an object's "0" key.
 * Undefined when a step is missing, negative, or not a number on an array.
 */
export function followPath(node: JsonNode, steps: readonly Step[]): JsonNode | undefined {
  let cur: JsonNode | undefined = node;
  for (const s of steps) {
    if (!cur) return undefined;
    if (cur.t === 'arr') {
      const token = String(s);
      const index = /^[+-]?\d{1,10}$/.test(token) ? Number(token) : NaN;
      if (!(index >= 0 && index <= 2147483647)) return undefined;
      cur = cur.items[index];
    } else if (cur.t === 'obj') {
      const key = String(s);
      cur = cur.entries.find((e) => e[0] === key)?.[1];
    } else return undefined;
  }
  return cur;
}
