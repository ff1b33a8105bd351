import { Category, defineScalar } from '../../define/define-scalar.js';
import { parseInstant } from '../../support/java-datetime.js';
import { zoneOf } from '../../support/time-zones.js';

/** PARSE_TIMESTAMP(str, pattern [, zone]): text to TIMESTAMP; a zone in the text wins. */
export const parseTimestamp = defineScalar({
  name: 'PARSE_TIMESTAMP',
  category: Category.DATETIME,
  description:
    "Converts a string value in the given format into the TIMESTAMP value. Single quotes in the timestamp format can be escaped with ''. The optional time zone defaults to UTC.",
  overloads: [
    { params: ['STRING', 'STRING'], returns: 'TIMESTAMP', fn: (s: string, p: string) => parseInstant(s, p, zoneOf('UTC')) },
    { params: ['STRING', 'STRING', 'STRING'], returns: 'TIMESTAMP', fn: (s: string, p: string, z: string) => parseInstant(s, p, zoneOf(z)) },
  ],
});
