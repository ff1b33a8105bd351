import { Category, defineScalar } from '../../define/define-scalar.js';
import { readJson } from '../../support/json-tree.js';

/** JSON_ARRAY_LENGTH(json): number of elements of a JSON array, null otherwise. */
export const jsonArrayLength = defineScalar({
  name: 'JSON_ARRAY_LENGTH',
  category: Category.JSON,
  description: 'Given a string with JSON array, returns the array length. Returns NULL if the string is not a JSON array.',
  overloads: [
    {
      params: ['STRING'],
      returns: 'INT',
      fn: (s: string) => {
        const n = readJson(s, true);
        return n && n.t === 'arr' ? n.items.length : null;
      },
    },
  ],
});
