import { Category, defineScalar } from '../../define/define-scalar.js';

/** Apache StringUtils.ordinalIndexOf: index of the n-th (overlapping) occurrence, or -1. */
function ordinalIndexOf(s: string, sub: string, n: number): number {
  if (n <= 0) return -1;
  if (sub.length === 0) return 0;
  let found = 0;
  let index = -1;
  do {
    index = s.indexOf(sub, index + 1);
    if (index < 0) return index;
    found++;
  } while (found < n);
  return index;
}

/** Apache StringUtils.substring(s, start) with its negative-start rule. */
function commonsSubstring(s: string, start: number): string {
  let st = start < 0 ? s.length + start : start;
  if (st < 0) st = 0;
  return st > s.length ? '' : s.slice(st);
}

/**
 * ksqlDB's Instr.find: in a reversed search the match's end, found at `i` in the
 * reversed text, maps back to its start position `length - position - i - sub + 2`.
 */
function find(s: string, sub: string, position: number, occurrence: number, reversed: boolean): number {
  const i = ordinalIndexOf(commonsSubstring(s, position - 1), sub, occurrence);
  if (i < 0) return 0;
  return reversed ? s.length - position - i - sub.length + 2 : i + position;
}

/** ksqlDB's INSTR: 1-based index of the occurrence, 0 when absent; negative position searches backwards. */
function instr(s: string | null, sub: string | null, position: number | null = 1, occurrence: number | null = 1): number | null {
  if (position === null || occurrence === null) return null;
  if (s === null || sub === null) return 0;
  if (Math.abs(position) > s.length) return 0;
  if (position < 0) {
    const rev = (x: string) => [...x].reverse().join('');
    return find(rev(s), rev(sub), -position, occurrence, true);
  }
  return find(s, sub, position, occurrence, false);
}

/** INSTR(str, substr [, position [, occurrence]]). */
export const instrFn = defineScalar({
  name: 'INSTR',
  category: Category.STRING,
  description:
    'Returns the position of substring in the string. Optionally the position to start the search and the occurrence to find can be given; a negative position searches backwards from the end. Returns 0 when not found.',
  overloads: [
    { params: ['STRING', 'STRING'], returns: 'INT', nullTolerant: true, fn: instr },
    { params: ['STRING', 'STRING', 'INT'], returns: 'INT', nullTolerant: true, fn: instr },
    { params: ['STRING', 'STRING', 'INT', 'INT'], returns: 'INT', nullTolerant: true, fn: instr },
  ],
});
