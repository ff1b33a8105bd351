import { Category, defineScalar } from '../../define/define-scalar.js';

/** COALESCE(a, b, …): the first non-null argument (all of one type, widening numbers). */
export const coalesce = defineScalar({
  name: 'COALESCE',
  category: Category.CONDITIONAL,
  description: 'Returns the first parameter that is not NULL.',
  overloads: [
    {
      params: ['T', 'T...'],
      returns: 'T',
      nullTolerant: true,
      fn: (...xs: unknown[]) => {
        for (const x of xs) if (x !== null && x !== undefined) return x;
        return null;
      },
    },
  ],
});
