import { Category, defineScalar } from '../../define/define-scalar.js';

type Fn1 = (x: unknown) => unknown;
type Fn2 = (k: unknown, v: unknown) => unknown;

/** TRANSFORM(array, x => …) or TRANSFORM(map, (k, v) => newKey, (k, v) => newValue). */
export const transform = defineScalar({
  name: 'TRANSFORM',
  category: Category.LAMBDA,
  description:
    'Apply a function to each element in an array or each entry in a map. For maps, two functions must be provided: one for the key and one for the value.',
  overloads: [
    { params: ['ARRAY<T>', 'FN(T)=>U'], returns: 'ARRAY<U>', fn: (a: unknown[], f: Fn1) => a.map((x) => f(x ?? null) ?? null) },
    {
      params: ['MAP<K, V>', 'FN(K, V)=>A', 'FN(K, V)=>B'],
      returns: 'MAP<A, B>',
      fn: (m: Map<unknown, unknown>, fk: Fn2, fv: Fn2) => {
        const out = new Map<unknown, unknown>();
        for (const [k, v] of m) {
          const nk = fk(k, v ?? null);
          const nv = fv(k, v ?? null);
          // ksqlDB collects with Collectors.toMap, which fails (→ null) on null keys or values.
          if (nk === null || nk === undefined || nv === null || nv === undefined) return null;
          out.set(nk, nv);
        }
        return out;
      },
    },
  ],
});
