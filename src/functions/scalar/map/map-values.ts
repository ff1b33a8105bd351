import { Category, defineScalar } from '../../define/define-scalar.js';

/** MAP_VALUES(map): the values in insertion order. */
export const mapValues = defineScalar({
  name: 'MAP_VALUES',
  category: Category.MAP,
  description: 'Returns an array that contains all of the values from the specified map.',
  overloads: [{ params: ['MAP<K, V>'], returns: 'ARRAY<V>', fn: (m: Map<unknown, unknown>) => [...m.values()] }],
});
