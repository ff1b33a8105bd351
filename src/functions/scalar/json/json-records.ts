import { Category, defineScalar } from '../../define/define-scalar.js';
import { nodeText, readJson } from '../../support/json-tree.js';

/** JSON_RECORDS(jsonObject): MAP of key to the value's text; null when not an object. */
export const jsonRecords = defineScalar({
  name: 'JSON_RECORDS',
  category: Category.JSON,
  description: "Given a string with JSON object, returns a map of the object's key-value pairs. Returns NULL if the string is not a JSON object.",
  overloads: [
    {
      params: ['STRING'],
      returns: 'MAP<STRING, STRING>',
      fn: (s: string) => {
        const n = readJson(s, true);
        return n && n.t === 'obj' ? new Map(n.entries.map(([k, v]) => [k, nodeText(v)])) : null;
      },
    },
  ],
});
