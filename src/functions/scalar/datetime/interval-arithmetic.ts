import type { ScalarOverload } from '../../define/define-scalar.js';
import { MS_PER_DAY, toDays, toMillis } from './time-units.js';

/** Overloads of the unit-interval-value arithmetic functions; `sign` -1 subtracts. */
export function arithmetic(kind: 'DATE' | 'TIME' | 'TIMESTAMP', sign: 1 | -1): ScalarOverload[] {
  const fn =
    kind === 'DATE'
      ? (unit: string, n: number, d: number) => d + sign * toDays(unit, n)
      : kind === 'TIME'
        ? (unit: string, n: number, t: number) => ((((t + sign * toMillis(unit, n)) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY)
        : (unit: string, n: number, ts: number) => ts + sign * toMillis(unit, n);
  return [
    { params: ['KEYWORD', 'INT', kind], returns: kind, fn },
    { params: ['KEYWORD', 'BIGINT', kind], returns: kind, fn },
  ];
}
