import { T } from '../../common/types.js';
import { Category, defineScalar } from '../define/define-scalar.js';

/** TOSTRUCT(str): ksqlDB's example UDF building STRUCT<A VARCHAR>. */
export const toStruct = defineScalar({
  name: 'TOSTRUCT',
  category: Category.OTHER,
  description: 'converts things to a struct',
  overloads: [{ params: ['STRING'], returns: () => T.struct([{ name: 'A', type: T.STRING }]), nullTolerant: true, fn: (s: string | null) => ({ A: s }) }],
});
