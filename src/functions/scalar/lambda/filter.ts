import { FunctionArgumentError } from '../../support/bounds.js';
import { Category, defineScalar } from '../../define/define-scalar.js';

type Fn1 = (x: unknown) => unknown;
type Fn2 = (k: unknown, v: unknown) => unknown;

/** The lambda's verdict; a NULL one fails the call, as unboxing it does in ksqlDB's Filter. */
function keep(verdict: unknown): boolean {
  if (verdict === null || verdict === undefined) throw new FunctionArgumentError('FILTER function returned NULL');
  return verdict === true;
}

function filterArray(a: unknown[], f: Fn1): unknown[] {
  const out: unknown[] = [];
  for (const x of a) if (keep(f(x ?? null))) out.push(x ?? null);
  return out;
}

/** ksqlDB collects the kept entries with Collectors.toMap, which fails (a NULL result) on a NULL value. */
function filterMap(m: Map<unknown, unknown>, f: Fn2): Map<unknown, unknown> | null {
  const out = new Map<unknown, unknown>();
  for (const [k, v] of m) {
    if (!keep(f(k, v ?? null))) continue;
    if (v === null || v === undefined) return null;
    out.set(k, v);
  }
  return out;
}

/** FILTER(array, x => bool) or FILTER(map, (k, v) => bool): keeps entries where the lambda is true. */
export const filter = defineScalar({
  name: 'FILTER',
  category: Category.LAMBDA,
  description: 'Filter the input array or map using a lambda function; elements (or entries) for which the function returns true are kept.',
  overloads: [
    { params: ['ARRAY<T>', 'FN(T)=>BOOLEAN'], returns: 'ARRAY<T>', fn: filterArray },
    { params: ['MAP<K, V>', 'FN(K, V)=>BOOLEAN'], returns: 'MAP<K, V>', fn: filterMap },
  ],
});
