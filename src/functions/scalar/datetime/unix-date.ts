import { Category, defineScalar } from '../../define/define-scalar.js';
import { MS_PER_DAY } from './time-units.js';

/** UNIX_DATE([date]): today, or the date, as days since epoch. */
export const unixDate = defineScalar({
  name: 'UNIX_DATE',
  category: Category.DATETIME,
  description: 'Gets an integer representing days since epoch. Without an argument, returns the current date.',
  overloads: [
    { params: [], returns: 'INT', fn: () => Math.floor(Date.now() / MS_PER_DAY) },
    { params: ['DATE'], returns: 'INT', fn: (d: number) => d },
  ],
});
