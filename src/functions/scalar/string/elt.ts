import { Category, defineScalar } from '../../define/define-scalar.js';

/** ELT(n, a, b, …): the n-th (1-based) string, null when out of range. */
export const elt = defineScalar({
  name: 'ELT',
  category: Category.STRING,
  description:
    'ELT(n, str1, str2, ...) returns str1 if n = 1, str2 if n = 2, and so on. Returns NULL if n is less than 1 or greater than the number of arguments.',
  overloads: [
    {
      params: ['INT', 'STRING...'],
      returns: 'STRING',
      nullTolerant: true,
      fn: (n: number | null, ...args: (string | null)[]) => (n === null || n < 1 || n > args.length ? null : (args[n - 1] ?? null)),
    },
  ],
});
