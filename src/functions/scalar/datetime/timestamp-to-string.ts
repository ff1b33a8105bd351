import { Category, defineScalar } from '../../define/define-scalar.js';
import { formatInstant } from '../../support/java-datetime.js';
import { zoneOf } from '../../support/time-zones.js';

/** TIMESTAMPTOSTRING(epochMs, pattern [, zone]): the older BIGINT form of FORMAT_TIMESTAMP. */
export const timestampToString = defineScalar({
  name: 'TIMESTAMPTOSTRING',
  category: Category.DATETIME,
  description:
    'Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string representation of the timestamp in the given format. The optional time zone defaults to UTC.',
  overloads: [
    { params: ['BIGINT', 'STRING'], returns: 'STRING', fn: (ts: number, p: string) => formatInstant(ts, p, zoneOf('UTC')) },
    { params: ['BIGINT', 'STRING', 'STRING'], returns: 'STRING', fn: (ts: number, p: string, z: string) => formatInstant(ts, p, zoneOf(z)) },
  ],
});
