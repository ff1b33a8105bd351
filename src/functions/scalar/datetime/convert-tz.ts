import { Category, defineScalar } from '../../define/define-scalar.js';
import { offsetAt, zoneOf } from '../../support/time-zones.js';

/**
 * CONVERT_TZ(ts, fromZone, toZone): shifts by the difference of the two zones'
 * offsets, both taken at `ts` read as a UTC instant (ksqlDB's arithmetic, so near
 * a daylight-saving change it can differ from a wall-clock conversion by an hour).
 */
export const convertTz = defineScalar({
  name: 'CONVERT_TZ',
  category: Category.DATETIME,
  description: 'Converts a TIMESTAMP value from one time zone to another.',
  overloads: [
    {
      params: ['TIMESTAMP', 'STRING', 'STRING'],
      returns: 'TIMESTAMP',
      fn: (ts: number, from: string, to: string) => {
        let fromZone, toZone;
        try {
          fromZone = zoneOf(from);
          toZone = zoneOf(to);
        } catch (e) {
          throw new Error(`Invalid time zone: ${(e as Error).message}`);
        }
        return ts + offsetAt(toZone, ts) - offsetAt(fromZone, ts);
      },
    },
  ],
});
