import { Category, defineScalar } from '../../define/define-scalar.js';

/** FIELD(str, a, b, …): 1-based position of str among the rest, 0 when absent or str null. */
export const field = defineScalar({
  name: 'FIELD',
  category: Category.STRING,
  description: 'FIELD(str, args...) returns the 1-indexed position of str in args, or 0 if not found. If str is NULL, the return value is 0.',
  overloads: [
    {
      params: ['STRING', 'STRING...'],
      returns: 'INT',
      nullTolerant: true,
      fn: (s: string | null, ...args: (string | null)[]) => (s === null ? 0 : args.indexOf(s) + 1),
    },
  ],
});
