import { defineAggregate } from '../define/define-aggregate.js';
import { stddevOverloads } from './stddev.js';

/** STDDEV_POP(col): Sluice's own population standard deviation (ksqlDB has no such function). */
export const stddevPop = defineAggregate({
  name: 'STDDEV_POP',
  description: 'Returns the population standard deviation of the column.',
  overloads: stddevOverloads('population'),
});
