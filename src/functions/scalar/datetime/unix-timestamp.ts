import { Category, defineScalar } from '../../define/define-scalar.js';

/** UNIX_TIMESTAMP([ts]): now, or the timestamp, as epoch milliseconds. */
export const unixTimestamp = defineScalar({
  name: 'UNIX_TIMESTAMP',
  category: Category.DATETIME,
  description: 'Gets the Unix timestamp in milliseconds, represented as a BIGINT. Without an argument, returns the current time.',
  overloads: [
    { params: [], returns: 'BIGINT', fn: () => Date.now() },
    { params: ['TIMESTAMP'], returns: 'BIGINT', fn: (ts: number) => ts },
  ],
});
