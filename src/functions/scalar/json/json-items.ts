import { Category, defineScalar } from '../../define/define-scalar.js';
import { readJson, writeJson } from '../../support/json-tree.js';

/** JSON_ITEMS(jsonArray): each element's JSON text; null when not an array. */
export const jsonItems = defineScalar({
  name: 'JSON_ITEMS',
  category: Category.JSON,
  description: 'Given a string with JSON array, converts it to a ksqlDB array of JSON strings.',
  overloads: [
    {
      params: ['STRING'],
      returns: 'ARRAY<STRING>',
      fn: (s: string) => {
        const n = readJson(s, true);
        return n && n.t === 'arr' ? n.items.map(writeJson) : null;
      },
    },
  ],
});
