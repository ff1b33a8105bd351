import type { WindowBounds } from '../operators/record.js';

/**
 * Kafka Streams' windowed key layout: for time windows the inner key bytes then
 * the 8-byte big-endian window start; for session windows the inner key, the
 * 8-byte end, then the 8-byte start.
 */
export function encodeWindowedKey(inner: Buffer | null, w: WindowBounds, session: boolean): Buffer {
  const k = inner ?? Buffer.alloc(0);
  const out = Buffer.alloc(k.length + (session ? 16 : 8));
  k.copy(out, 0);
  if (session) {
    out.writeBigInt64BE(BigInt(w.end), k.length);
    out.writeBigInt64BE(BigInt(w.start), k.length + 8);
  } else {
    out.writeBigInt64BE(BigInt(w.start), k.length);
  }
  return out;
}

/** Splits a windowed key; `sizeMs` gives time windows their end. Throws RangeError if too short. */
export function decodeWindowedKey(bytes: Buffer, session: boolean, sizeMs: number | undefined): { inner: Buffer; window: WindowBounds } {
  const suffix = session ? 16 : 8;
  if (bytes.length < suffix) throw new RangeError(`windowed key too short: ${bytes.length} bytes`);
  const inner = bytes.subarray(0, bytes.length - suffix);
  if (session) {
    const end = Number(bytes.readBigInt64BE(bytes.length - 16));
    const start = Number(bytes.readBigInt64BE(bytes.length - 8));
    return { inner, window: { start, end } };
  }
  const start = Number(bytes.readBigInt64BE(bytes.length - 8));
  return { inner, window: { start, end: sizeMs === undefined ? Number.MAX_SAFE_INTEGER : start + sizeMs } };
}
