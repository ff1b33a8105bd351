import { Decimal } from '../../../common/decimal.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import { type JsonNode, readJson } from '../../support/json-tree.js';

function matches(n: JsonNode, v: unknown): boolean {
  if (v === null) return n.t === 'null';
  if (typeof v === 'string') return n.t === 'str' && n.v === v;
  if (typeof v === 'boolean') return n.t === 'bool' && n.v === v;
  if (typeof v === 'number') return n.t === 'num' && Number(n.raw) === v;
  if (v instanceof Decimal) return n.t === 'num' && Number(n.raw) === v.toNumber();
  return false;
}

/** JSON_ARRAY_CONTAINS(jsonArray, value): whether a JSON array holds a primitive value. */
export const jsonArrayContains = defineScalar({
  name: 'JSON_ARRAY_CONTAINS',
  category: Category.JSON,
  description: 'Given a STRING containing a JSON array, checks if a search value is contained in the array. Returns false if the first parameter does not contain a JSON array.',
  overloads: [
    {
      params: ['STRING', 'ANY'],
      returns: 'BOOLEAN',
      nullTolerant: true,
      fn: (s: string | null, v: unknown) => {
        if (s === null) return false;
        const n = readJson(s, true);
        return n !== undefined && n.t === 'arr' && n.items.some((x) => matches(x, v ?? null));
      },
    },
  ],
});
