import { Category, defineScalar } from '../../define/define-scalar.js';

function series(start: number, end: number, step?: number): number[] {
  const s = step ?? (end >= start ? 1 : -1);
  if (s === 0) throw new Error('GENERATE_SERIES step cannot be zero');
  if ((end - start) * s < 0) {
    throw new Error('GENERATE_SERIES step has wrong sign');
  }
  const out: number[] = [];
  for (let v = start; s > 0 ? v <= end : v >= end; v += s) out.push(v);
  return out;
}

/** GENERATE_SERIES(start, end [, step]): the inclusive sequence. */
export const generateSeries = defineScalar({
  name: 'GENERATE_SERIES',
  category: Category.ARRAY,
  description: 'Constructs an array of values between start and end (inclusive). The optional step defaults to 1 (or -1 when end < start).',
  overloads: [
    { params: ['INT', 'INT'], returns: 'ARRAY<INT>', fn: series },
    { params: ['INT', 'INT', 'INT'], returns: 'ARRAY<INT>', fn: series },
    { params: ['BIGINT', 'BIGINT'], returns: 'ARRAY<BIGINT>', fn: series },
    { params: ['BIGINT', 'BIGINT', 'INT'], returns: 'ARRAY<BIGINT>', fn: series },
  ],
});
