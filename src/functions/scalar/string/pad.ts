import { checkGeneratedSize } from '../../support/bounds.js';

/**
 * Pads (left or right) a string to `len` code units with a repeated pattern,
 * truncating long input (ksqlDB LPad/RPad). ksqlDB sets no upper bound; padding
 * beyond {@link checkGeneratedSize}'s limit fails rather than build the string.
 */
export function padString(input: string, len: number | null, pad: string | null, left: boolean): string | null {
  if (pad === null || pad === '' || len === null || len < 0) return null;
  if (input.length >= len) return input.slice(0, len);
  checkGeneratedSize(left ? 'LPAD' : 'RPAD', 'target length', len);
  const need = len - input.length;
  const filler = pad.repeat(Math.ceil(need / pad.length)).slice(0, need);
  return left ? filler + input : input + filler;
}

/** Bytes counterpart of {@link padString}. */
export function padBytes(input: Buffer, len: number | null, pad: Buffer | null, left: boolean): Buffer | null {
  if (pad === null || pad.length === 0 || len === null || len < 0) return null;
  if (input.length >= len) return Buffer.from(input.subarray(0, len));
  checkGeneratedSize(left ? 'LPAD' : 'RPAD', 'target length', len);
  const need = len - input.length;
  const filler = Buffer.alloc(need);
  for (let i = 0; i < need; i++) filler[i] = pad[i % pad.length]!;
  return left ? Buffer.concat([filler, input]) : Buffer.concat([input, filler]);
}
