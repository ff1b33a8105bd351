import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseInstant } from '../../support/java-datetime.js';
import { zoneOf } from '../../support/time-zones.js';

/** STRINGTOTIMESTAMP(str, pattern [, zone]): text to epoch milliseconds (BIGINT). */
export const stringToTimestamp = defineScalar({
  name: 'STRINGTOTIMESTAMP',
  category: Category.DATETIME,
  description:
    'Converts a string value in the given format into the BIGINT value that represents the millisecond timestamp. The optional time zone defaults to UTC.',
  overloads: [
    { params: ['STRING', 'STRING'], returns: 'BIGINT', fn: (s: string, p: string) => parseInstant(s, p, zoneOf('UTC')) },
    { params: ['STRING', 'STRING', 'STRING'], returns: 'BIGINT', fn: (s: string, p: string, z: string) => parseInstant(s, p, zoneOf(z)) },
  ],
});
