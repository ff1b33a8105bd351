import { defineAggregate } from '../define/define-aggregate.js';
import { stddevOverloads } from './stddev.js';

/** STDDEV_SAMPLE(col): ksqlDB's StandardDeviationSampleUdaf, the square root of the sample variance. */
export const stddevSample = defineAggregate({
  name: 'STDDEV_SAMPLE',
  description: 'Returns the sample standard deviation of the column.',
  overloads: stddevOverloads('sample'),
});
