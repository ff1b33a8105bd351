import type { SqlType } from '../../../common/types.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import { type JsonNode, readJson } from '../../support/json-tree.js';

/** Jackson's token kinds for numbers: no fraction or exponent makes an INT token. */
const isIntToken = (raw: string) => !/[.eE]/.test(raw);

const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n],
  BIGINT: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * Whether element `n` equals `v` the way ksqlDB compares a JSON token with a value
 * of `type`: integer tokens only match INT/BIGINT values, fractional ones only
 * DOUBLE values, DECIMAL values never match. `'abort'` when Jackson would fail to
 * read the token as the value's type (an integer out of range), which ends the
 * search with false.
 */
function matches(n: JsonNode, v: unknown, type: SqlType | undefined): boolean | 'abort' {
  if (v === null) return n.t === 'null';
  if (typeof v === 'string') return n.t === 'str' && n.v === v;
  if (typeof v === 'boolean') return n.t === 'bool' && n.v === v;
  if (typeof v !== 'number' || n.t !== 'num') return false;
  const range = type === undefined ? undefined : INT_RANGE[type.kind];
  if (range) {
    if (!isIntToken(n.raw)) return false;
    const big = BigInt(n.raw);
    if (big < range[0] || big > range[1]) return 'abort';
    return big === BigInt(Math.trunc(v));
  }
  if (type?.kind === 'DOUBLE') return !isIntToken(n.raw) && Number(n.raw) === v;
  return false;
}

/** JSON_ARRAY_CONTAINS(jsonArray, value): whether a JSON array holds a primitive value of the same JSON kind. */
export const jsonArrayContains = defineScalar({
  name: 'JSON_ARRAY_CONTAINS',
  category: Category.JSON,
  description:
    'Given a STRING containing a JSON array, checks if a search value is contained in the array. Returns false if the first parameter does not contain a JSON array.',
  overloads: [
    {
      params: ['STRING', 'ANY'],
      returns: 'BOOLEAN',
      nullTolerant: true,
      make: (ctx) => {
        const type = ctx.args[1]?.kind === 'value' && ctx.args[1].isNullLiteral ? undefined : ctx.types[1];
        return (s: string | null, v: unknown) => {
          if (s === null) return false;
          const n = readJson(s, true);
          if (n === undefined || n.t !== 'arr') return false;
          for (const x of n.items) {
            const m = matches(x, v ?? null, type);
            if (m === 'abort') return false;
            if (m) return true;
          }
          return false;
        };
      },
    },
  ],
});
