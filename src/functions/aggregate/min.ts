import { defineAggregate } from '../define/define-aggregate.js';
import { checkComparable, extreme } from './comparable-extreme.js';

/** MIN of numbers, strings, bytes and temporal values; nulls are ignored. Streams only. */
export const min = defineAggregate({
  name: 'MIN',
  description: 'Computes the minimum value for a key.',
  overloads: [{ params: ['T'], returns: 'T', check: checkComparable('MIN'), make: (ctx) => extreme(ctx.types[0]!, -1) }],
});
