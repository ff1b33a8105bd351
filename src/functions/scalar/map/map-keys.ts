import { Category, defineScalar } from '../../define/define-scalar.js';

/** MAP_KEYS(map): the keys in insertion order. */
export const mapKeys = defineScalar({
  name: 'MAP_KEYS',
  category: Category.MAP,
  description: 'Returns an array that contains all of the keys from the specified map.',
  overloads: [{ params: ['MAP<K, V>'], returns: 'ARRAY<K>', fn: (m: Map<unknown, unknown>) => [...m.keys()] }],
});
