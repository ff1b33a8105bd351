import { T } from '../../../common/types.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import { compareValues } from '../../support/sql-values.js';

/** ENTRIES(map, sorted): the map as STRUCT<K, V> entries, optionally sorted by key. */
export const entries = defineScalar({
  name: 'ENTRIES',
  category: Category.MAP,
  description:
    'Constructs an array of structs from the entries in a map. Each struct has a field named K containing the key and a field named V that holds the value. If sorted is true, the entries are sorted by key.',
  overloads: [
    {
      params: ['MAP<STRING, V>', 'BOOLEAN'],
      returns: (ctx) =>
        T.array(
          T.struct([
            { name: 'K', type: T.STRING },
            { name: 'V', type: ctx.bindings.get('V')! },
          ]),
        ),
      fn: (m: Map<string, unknown>, sorted: boolean) => {
        const out = [...m].map(([K, V]) => ({ K, V: V ?? null }));
        if (sorted) out.sort((a, b) => compareValues(a.K, b.K));
        return out;
      },
    },
  ],
});
