import type { ScalarOverload } from '../../define/define-scalar.js';
import { MS_PER_DAY, toMillis } from './time-units.js';

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
        ? (unit: string, n: number, t: number) => ((((t + sign * toMillis(unit, n)) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY)
        : (unit: string, n: number, ts: number) => ts + sign * toMillis(unit, n);
  return [
    { params: ['KEYWORD', 'INT', kind], returns: kind, fn },
    { params: ['KEYWORD', 'BIGINT', kind], returns: kind, fn },
  ];
}
