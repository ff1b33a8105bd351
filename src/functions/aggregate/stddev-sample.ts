import { defineAggregate } from '../define/define-aggregate.js';
import { stddevOverloads } from './stddev.js';

/** STDDEV_SAMPLE(col): older name of {@link stddevSamp}. */
export const stddevSample = defineAggregate({
  name: 'STDDEV_SAMPLE',
  description: 'Returns the sample standard deviation of the column.',
  overloads: stddevOverloads(),
});
