import { defineAggregate } from '../define/define-aggregate.js';
import { byOffsetOverloads } from './by-offset.js';

/** LATEST_BY_OFFSET(col [, n] [, ignoreNulls]): the last value(s) by arrival order. Streams only. */
export const latestByOffset = defineAggregate({
  name: 'LATEST_BY_OFFSET',
  description: 'This function returns the most recent N values for the column, computed by offset.',
  overloads: byOffsetOverloads('LATEST_BY_OFFSET', true),
});
