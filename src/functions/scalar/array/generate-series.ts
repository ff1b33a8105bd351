import { Category, defineScalar } from '../../define/define-scalar.js';
import { FunctionArgumentError, checkGeneratedSize } from '../../support/bounds.js';

/**
 * ksqlDB's GenerateSeries: the step defaults to 1 when end > start, else -1; a
 * zero step or one pointing away from end fails. `int` keeps Java int arithmetic
 * (a wrapped difference and values) for the INTEGER overloads. Series longer than
 * the generated-size bound fail instead of being built.
 */
function series(int: boolean, start: number, end: number, step?: number): number[] {
  const w = int ? (n: number) => n | 0 : (n: number) => n;
  const diff = w(end - start);
  const s = step ?? (diff > 0 ? 1 : -1);
  if (s === 0) throw new FunctionArgumentError('GENERATE_SERIES step cannot be zero');
  if ((diff > 0 && s < 0) || (diff < 0 && s > 0)) throw new FunctionArgumentError('GENERATE_SERIES step has wrong sign');
  const size = 1 + Math.trunc(diff / s);
  checkGeneratedSize('GENERATE_SERIES', 'size', size);
  const out = new Array<number>(size);
  let v = start;
  for (let i = 0; i < size; i++) {
    out[i] = v;
    v = w(v + s);
  }
  return out;
}

const intSeries = (start: number, end: number, step?: number) => series(true, start, end, step);
const longSeries = (start: number, end: number, step?: number) => series(false, start, end, step);

/** GENERATE_SERIES(start, end [, step]): the inclusive sequence. */
export const generateSeries = defineScalar({
  name: 'GENERATE_SERIES',
  category: Category.ARRAY,
  description: 'Constructs an array of values between start and end (inclusive). The optional step defaults to 1 (or -1 when end < start).',
  overloads: [
    { params: ['INT', 'INT'], returns: 'ARRAY<INT>', fn: intSeries },
    { params: ['INT', 'INT', 'INT'], returns: 'ARRAY<INT>', fn: intSeries },
    { params: ['BIGINT', 'BIGINT'], returns: 'ARRAY<BIGINT>', fn: longSeries },
    { params: ['BIGINT', 'BIGINT', 'INT'], returns: 'ARRAY<BIGINT>', fn: longSeries },
  ],
});
