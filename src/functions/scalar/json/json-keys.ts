import { Category, defineScalar } from '../../define/define-scalar.js';
import { readJson } from '../../support/json-tree.js';

/** JSON_KEYS(jsonObject): the object's keys; null when not an object. */
export const jsonKeys = defineScalar({
  name: 'JSON_KEYS',
  category: Category.JSON,
  description: 'Given a string with JSON object, returns an array of the object keys. Returns NULL if the string is not a JSON object.',
  overloads: [
    {
      params: ['STRING'],
      returns: 'ARRAY<STRING>',
      fn: (s: string) => {
        const n = readJson(s, true);
        return n && n.t === 'obj' ? n.entries.map((e) => e[0]) : null;
      },
    },
  ],
});
