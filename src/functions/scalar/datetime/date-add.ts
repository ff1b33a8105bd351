import { Category, type ScalarOverload, defineScalar } from '../../define/define-scalar.js';
import { MS_PER_DAY, toDays, toMillis } from './time-units.js';

/** Overloads of the unit-interval-value arithmetic functions; `sign` -1 subtracts. */
function arithmetic(kind: 'DATE' | 'TIME' | 'TIMESTAMP', sign: 1 | -1): ScalarOverload[] {
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

/** DATEADD(unit, n, date): whole days added (smaller units truncate to days). */
export const dateAdd = defineScalar({
  name: 'DATEADD',
  category: Category.DATETIME,
  description: 'Adds an interval to a date.',
  overloads: arithmetic('DATE', 1),
});

/** DATESUB(unit, n, date). */
export const dateSub = defineScalar({
  name: 'DATESUB',
  category: Category.DATETIME,
  description: 'Subtracts an interval from a date.',
  overloads: arithmetic('DATE', -1),
});

/** TIMEADD(unit, n, time): wraps around midnight. */
export const timeAdd = defineScalar({
  name: 'TIMEADD',
  category: Category.DATETIME,
  description: 'Adds an interval to a time.',
  overloads: arithmetic('TIME', 1),
});

/** TIMESUB(unit, n, time): wraps around midnight. */
export const timeSub = defineScalar({
  name: 'TIMESUB',
  category: Category.DATETIME,
  description: 'Subtracts an interval from a time.',
  overloads: arithmetic('TIME', -1),
});

/** TIMESTAMPADD(unit, n, ts). */
export const timestampAdd = defineScalar({
  name: 'TIMESTAMPADD',
  category: Category.DATETIME,
  description: 'Adds an interval to a timestamp.',
  overloads: arithmetic('TIMESTAMP', 1),
});

/** TIMESTAMPSUB(unit, n, ts). */
export const timestampSub = defineScalar({
  name: 'TIMESTAMPSUB',
  category: Category.DATETIME,
  description: 'Subtracts an interval from a timestamp.',
  overloads: arithmetic('TIMESTAMP', -1),
});
