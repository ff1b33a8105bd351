import { Category, defineScalar } from '../../define/define-scalar.js';

/** AS_MAP(keys, values): pairs keys with values by position (extra keys get null). */
export const asMap = defineScalar({
  name: 'AS_MAP',
  category: Category.MAP,
  description: 'Construct a map from a list of keys and a list of values.',
  overloads: [
    {
      params: ['ARRAY<STRING>', 'ARRAY<T>'],
      returns: 'MAP<STRING, T>',
      fn: (keys: (string | null)[], values: unknown[]) => {
        const m = new Map<string, unknown>();
        keys.forEach((k, i) => {
          if (k !== null) m.set(k, i < values.length ? (values[i] ?? null) : null);
        });
        return m;
      },
    },
  ],
});
