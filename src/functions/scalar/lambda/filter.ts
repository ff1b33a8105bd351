import { Category, defineScalar } from '../../define/define-scalar.js';

type Fn1 = (x: unknown) => unknown;
type Fn2 = (k: unknown, v: unknown) => unknown;

/** FILTER(array, x => bool) or FILTER(map, (k, v) => bool): keeps entries where the lambda is true. */
export const filter = defineScalar({
  name: 'FILTER',
  category: Category.LAMBDA,
  description: 'Filter the input array or map using a lambda function; elements (or entries) for which the function returns true are kept.',
  overloads: [
    { params: ['ARRAY<T>', 'FN(T)=>BOOLEAN'], returns: 'ARRAY<T>', fn: (a: unknown[], f: Fn1) => a.filter((x) => f(x ?? null) === true) },
    {
      params: ['MAP<K, V>', 'FN(K, V)=>BOOLEAN'],
      returns: 'MAP<K, V>',
      fn: (m: Map<unknown, unknown>, f: Fn2) => {
        const out = new Map<unknown, unknown>();
        for (const [k, v] of m) if (f(k, v ?? null) === true) out.set(k, v);
        return out;
      },
    },
  ],
});
