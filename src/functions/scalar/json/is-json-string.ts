import { Category, defineScalar } from '../../define/define-scalar.js';
import { readJson } from '../../support/json-tree.js';

/** IS_JSON_STRING(str): whether the text is one valid JSON value. */
export const isJsonString = defineScalar({
  name: 'IS_JSON_STRING',
  category: Category.JSON,
  description: 'Given a string, returns true if it can be parsed as a valid JSON value, false otherwise.',
  overloads: [{ params: ['STRING'], returns: 'BOOLEAN', nullTolerant: true, fn: (s: string | null) => s !== null && readJson(s, true) !== undefined }],
});
