import { Category, defineScalar } from '../../define/define-scalar.js';
import { instantOfLocal, offsetAt, zoneOf } from '../../support/time-zones.js';

/** CONVERT_TZ(ts, fromZone, toZone): reinterprets wall-clock time from one zone in another. */
export const convertTz = defineScalar({
  name: 'CONVERT_TZ',
  category: Category.DATETIME,
  description: 'Converts a TIMESTAMP value from one time zone to another.',
  overloads: [
    {
      params: ['TIMESTAMP', 'STRING', 'STRING'],
      returns: 'TIMESTAMP',
      fn: (ts: number, from: string, to: string) => {
        const instant = instantOfLocal(zoneOf(from), ts);
        return instant + offsetAt(zoneOf(to), instant);
      },
    },
  ],
});
