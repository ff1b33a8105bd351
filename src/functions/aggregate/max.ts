import { defineAggregate } from '../define/define-aggregate.js';
import { checkComparable, extreme } from './comparable-extreme.js';

/** MAX of numbers, strings, bytes and temporal values; nulls are ignored. Streams only. */
export const max = defineAggregate({
  name: 'MAX',
  description: 'Computes the maximum value for a key.',
  overloads: [{ params: ['T'], returns: 'T', check: checkComparable('MAX'), make: (ctx) => extreme(ctx.types[0]!, 1) }],
});
