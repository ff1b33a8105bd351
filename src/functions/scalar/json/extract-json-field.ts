import { Category, defineScalar } from '../../define/define-scalar.js';
import { followPath, parseJsonPath } from '../../support/json-path.js';
import { nodeText, readJson } from '../../support/json-tree.js';

/** EXTRACTJSONFIELD(json, path): the value at a JSONPath as text (strings unquoted), else null. */
export const extractJsonField = defineScalar({
  name: 'EXTRACTJSONFIELD',
  category: Category.JSON,
  description: 'Given a STRING that contains JSON data, extract the value at the specified JSONPath or NULL if the specified path does not exist.',
  overloads: [
    {
      params: ['STRING', 'STRING'],
      returns: 'STRING',
      fn: (json: string, path: string) => {
        const steps = parseJsonPath(path);
        const root = steps && readJson(json);
        const node = root && followPath(root, steps);
        return node ? nodeText(node) : null;
      },
    },
  ],
});
