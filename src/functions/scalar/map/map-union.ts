import { Category, defineScalar } from '../../define/define-scalar.js';

/** MAP_UNION(a, b): entries of both, b's values winning; null sides are skipped. */
export const mapUnion = defineScalar({
  name: 'MAP_UNION',
  category: Category.MAP,
  description:
    'Returns a new map containing the union of all entries from both input maps. If a key is present in both input maps then the value from map2 is the one which appears in the result. Returns NULL if all of the input maps are NULL.',
  overloads: [
    {
      params: ['MAP<K, V>', 'MAP<K, V>'],
      returns: 'MAP<K, V>',
      nullTolerant: true,
      fn: (a: Map<unknown, unknown> | null, b: Map<unknown, unknown> | null) => (a === null && b === null ? null : new Map([...(a ?? []), ...(b ?? [])])),
    },
  ],
});
