import { defineAggregate } from '../define/define-aggregate.js';
import { byOffsetOverloads } from './by-offset.js';

/** EARLIEST_BY_OFFSET(col [, n] [, ignoreNulls]): the first value(s) by arrival order. Streams only. */
export const earliestByOffset = defineAggregate({
  name: 'EARLIEST_BY_OFFSET',
  description: 'This function returns the oldest N values for the column, computed by offset.',
  overloads: byOffsetOverloads('EARLIEST_BY_OFFSET', false),
});
