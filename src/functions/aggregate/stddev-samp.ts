import { defineAggregate } from '../define/define-aggregate.js';
import { stddevOverloads } from './stddev.js';

/** STDDEV_SAMP(col): as ksqlDB's StandardDeviationSampUdaf computes it, the sample *variance* of the non-null values. */
export const stddevSamp = defineAggregate({
  name: 'STDDEV_SAMP',
  description: 'Returns the sample standard deviation of the column.',
  overloads: stddevOverloads('sampVariance'),
});
