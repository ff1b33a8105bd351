import { Category, defineScalar } from '../../define/define-scalar.js';
import { distinct } from './distinct-values.js';

/** ARRAY_UNION(a, b): distinct elements of both, a's first. */
export const arrayUnion = defineScalar({
  name: 'ARRAY_UNION',
  category: Category.ARRAY,
  description: 'Returns an array of all the distinct elements from both input arrays, in the order they are encountered.',
  overloads: [{ params: ['ARRAY<T>', 'ARRAY<T>'], returns: 'ARRAY<T>', fn: (a: unknown[], b: unknown[]) => distinct([...a, ...b]) }],
});
