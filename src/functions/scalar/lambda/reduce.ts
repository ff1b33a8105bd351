import { Category, defineScalar } from '../../define/define-scalar.js';

type Fn2 = (s: unknown, x: unknown) => unknown;
type Fn3 = (s: unknown, k: unknown, v: unknown) => unknown;

/**
 * REDUCE(array, initial, (state, x) => …) or REDUCE(map, initial, (state, k, v) => …).
 * A null collection gives the initial state; a null initial state gives null.
 */
export const reduce = defineScalar({
  name: 'REDUCE',
  category: Category.LAMBDA,
  description: 'Reduce the input array or map down to a single value using an initial state and a lambda function.',
  overloads: [
    {
      params: ['ARRAY<T>', 'S', 'FN(S, T)=>S'],
      returns: 'S',
      nullTolerant: true,
      fn: (a: unknown[] | null, init: unknown, f: Fn2) => {
        if (init === null || init === undefined) return null;
        let s: unknown = init;
        for (const x of a ?? []) s = f(s, x ?? null) ?? null;
        return s;
      },
    },
    {
      params: ['MAP<K, V>', 'S', 'FN(S, K, V)=>S'],
      returns: 'S',
      nullTolerant: true,
      fn: (m: Map<unknown, unknown> | null, init: unknown, f: Fn3) => {
        if (init === null || init === undefined) return null;
        let s: unknown = init;
        for (const [k, v] of m ?? []) s = f(s, k, v ?? null) ?? null;
        return s;
      },
    },
  ],
});
