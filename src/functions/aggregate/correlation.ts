import { defineAggregate } from '../define/define-aggregate.js';
import { correlationIntermediate } from './intermediate-types.js';

/** Accumulator: [sumX, sumY, sumX², sumY², sumXY, count]. */
type CorrAcc = [number, number, number, number, number, number];

function step(acc: CorrAcc, x: number, y: number, s: 1 | -1): CorrAcc {
  return [acc[0] + s * x, acc[1] + s * y, acc[2] + s * x * x, acc[3] + s * y * y, acc[4] + s * x * y, acc[5] + s];
}

/** CORRELATION(x, y): Pearson correlation of the non-null pairs (NaN with fewer than two). */
export const correlation = defineAggregate({
  name: 'CORRELATION',
  description: 'Computes the Pearson correlation coefficient between two columns of data.',
  overloads: [
    {
      params: ['DOUBLE', 'DOUBLE'],
      returns: 'DOUBLE',
      intermediate: correlationIntermediate,
      make: () => ({
        init: (): CorrAcc => [0, 0, 0, 0, 0, 0],
        add: (acc: CorrAcc, args) => (args[0] == null || args[1] == null ? acc : step(acc, args[0] as number, args[1] as number, 1)),
        undo: (acc: CorrAcc, args) => (args[0] == null || args[1] == null ? acc : step(acc, args[0] as number, args[1] as number, -1)),
        merge: (a: CorrAcc, b: CorrAcc) => a.map((v, i) => v + b[i]!) as CorrAcc,
        result: ([sx, sy, sxx, syy, sxy, n]: CorrAcc) => {
          const num = n * sxy - sx * sy;
          const den = Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
          return num / den;
        },
      }),
    },
  ],
});
