import { Category, defineScalar } from '../../define/define-scalar.js';
import { formatInstant } from '../../support/java-datetime.js';
import { zoneOf } from '../../support/time-zones.js';

/** FORMAT_TIMESTAMP(ts, pattern [, zone]): Java DateTimeFormatter text, in UTC by default. */
export const formatTimestamp = defineScalar({
  name: 'FORMAT_TIMESTAMP',
  category: Category.DATETIME,
  description:
    "Converts a TIMESTAMP value into the string representation of the timestamp in the given format. Single quotes in the timestamp format can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. The optional time zone defaults to UTC.",
  overloads: [
    { params: ['TIMESTAMP', 'STRING'], returns: 'STRING', fn: (ts: number, p: string) => formatInstant(ts, p, zoneOf('UTC')) },
    { params: ['TIMESTAMP', 'STRING', 'STRING'], returns: 'STRING', fn: (ts: number, p: string, z: string) => formatInstant(ts, p, zoneOf(z)) },
  ],
});
