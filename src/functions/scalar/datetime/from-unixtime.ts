import { Category, defineScalar } from '../../define/define-scalar.js';

/** FROM_UNIXTIME(epochMs): the TIMESTAMP. */
export const fromUnixtime = defineScalar({
  name: 'FROM_UNIXTIME',
  category: Category.DATETIME,
  description: 'Converts a BIGINT millisecond timestamp value into a TIMESTAMP value.',
  overloads: [{ params: ['BIGINT'], returns: 'TIMESTAMP', fn: (ms: number) => ms }],
});
