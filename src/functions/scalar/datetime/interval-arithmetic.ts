import type { ScalarOverload } from '../../define/define-scalar.js';
import { MS_PER_DAY, toMillis, toNanos } from './time-units.js';

const NANOS_PER_DAY = BigInt(MS_PER_DAY) * 1_000_000n;

/**
 * ksqlDB's TIMEADD/TIMESUB: LocalTime.plus/minus(unit.toNanos(n), NANOS) on the
 * time's nanosecond of day, wrapping around midnight, then truncated to
 * milliseconds (so subtracting a few nanoseconds from 00:00 gives 23:59:59.999).
 */
function timePlusNanos(t: number, nanos: bigint): number {
  const r = (((BigInt(t) * 1_000_000n + (nanos % NANOS_PER_DAY)) % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY;
  return Number(r / 1_000_000n);
}

/**
 * Overloads of the unit-interval-value arithmetic functions; `sign` -1 subtracts.
 * DATE arithmetic works in milliseconds and truncates the sum towards zero, as
 * ksqlDB's MILLISECONDS.toDays(date + unit.toMillis(n)) does (so an hour before
 * day -5 is day -4).
 */
export function arithmetic(kind: 'DATE' | 'TIME' | 'TIMESTAMP', sign: 1 | -1): ScalarOverload[] {
  const fn =
    kind === 'DATE'
      ? (unit: string, n: number, d: number) => Math.trunc((d * MS_PER_DAY + sign * toMillis(unit, n)) / MS_PER_DAY) + 0
      : kind === 'TIME'
        ? (unit: string, n: number, t: number) => timePlusNanos(t, BigInt(sign) * toNanos(unit, n))
        : (unit: string, n: number, ts: number) => ts + sign * toMillis(unit, n);
  return [
    { params: ['KEYWORD', 'INT', kind], returns: kind, fn },
    { params: ['KEYWORD', 'BIGINT', kind], returns: kind, fn },
  ];
}
