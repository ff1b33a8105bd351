import { defineAggregate } from '../define/define-aggregate.js';
import { stddevOverloads } from './stddev.js';

/** STDDEV_POP(col): population counterpart of STDDEV_SAMP (same variance-style result). */
export const stddevPop = defineAggregate({
  name: 'STDDEV_POP',
  description: 'Returns the population standard deviation of the column.',
  overloads: stddevOverloads(true),
});
