import { Category, defineScalar } from '../../define/define-scalar.js';
import type { ScalarFunction } from '../../define/function-types.js';
/** Mask characters for upper, lower, digit and other characters; null leaves that class unmasked. */
export interface MaskChars {
  readonly upper: string | null;
  readonly lower: string | null;
  readonly digit: string | null;
  readonly other: string | null;
}

export const DEFAULT_MASK: MaskChars = { upper: 'X', lower: 'x', digit: 'n', other: '-' };

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;

/** Builds mask characters from optional arguments (ksqlDB: a given null means "do not mask"). */
export function maskChars(args: readonly (string | null | undefined)[]): MaskChars {
  if (args.length === 0) return DEFAULT_MASK;
  const pick = (v: string | null | undefined): string | null => {
    if (v === null || v === undefined) return null;
    if (v.length !== 1) throw new Error(`Invalid mask character. Must be only single character, but was '${v}'`);
    return v;
  };
  return { upper: pick(args[0]), lower: pick(args[1]), digit: pick(args[2]), other: pick(args[3]) };
}

/**
 * Masks `s` by character class as ksqlDB's Masker does: one step per UTF-16 code
 * unit, classifying the code point starting there, so a surrogate pair is masked
 * twice (its low half alone is an "other" character) and a mask character is one
 * code unit.
 */
export function mask(s: string, m: MaskChars): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    const r = UPPER.test(ch) ? m.upper : LOWER.test(ch) ? m.lower : DIGIT.test(ch) ? m.digit : m.other;
    out += r ?? ch;
  }
  return out;
}

/** Overload parameter lists: the input (and count), then 0 or 4 mask characters. */
export function maskParams(withCount: boolean): string[][] {
  const head = withCount ? ['STRING', 'INT'] : ['STRING'];
  return [head, [...head, 'STRING', 'STRING', 'STRING', 'STRING']];
}

/**
 * The MASK_LEFT / MASK_RIGHT / MASK_KEEP_LEFT / MASK_KEEP_RIGHT family: `n`
 * characters counted from one `end` of the input are masked, or (`keep`) are the
 * only ones left unmasked.
 */
export function definePartialMask(name: string, description: string, end: 'left' | 'right', keep: boolean): ScalarFunction {
  return defineScalar({
    name,
    category: Category.STRING,
    description,
    overloads: maskParams(true).map((params) => ({
      params,
      returns: 'STRING',
      nullTolerant: true,
      fn: (s: string | null, n: number | null, ...m: (string | null)[]) => {
        if (s === null || n === null) return null;
        if (n < 0) throw new Error(`function ${name.toLowerCase()} requires a non-negative number of characters to mask or skip`);
        // [head, tail] split so that the n counted characters are the head (left) or the tail (right).
        const k = end === 'left' ? Math.min(n, s.length) : Math.max(0, s.length - n);
        const head = s.slice(0, k);
        const tail = s.slice(k);
        const maskHead = (end === 'left') !== keep;
        return maskHead ? mask(head, maskChars(m)) + tail : head + mask(tail, maskChars(m));
      },
    })),
  });
}
