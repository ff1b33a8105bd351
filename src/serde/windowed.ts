import type { WindowBounds } from '../common/windows.js';

const TWO_32 = 0x1_0000_0000;
/** |high half| below this means the 64-bit value is a safe integer (|v| < 2^53). */
const SAFE_HIGH = 0x20_0000;

/** Writes `v` as a big-endian int64 at `at`: two 32-bit halves for safe integers, BigInt otherwise. */
function writeInt64(out: Buffer, v: number, at: number): void {
  if (Number.isSafeInteger(v)) {
    const hi = Math.floor(v / TWO_32);
    out.writeInt32BE(hi, at);
    out.writeUInt32BE(v - hi * TWO_32, at + 4);
  } else {
    out.writeBigInt64BE(BigInt(v), at);
  }
}

/** Reads a big-endian int64 at `at` as a number (exact below 2^53, rounded as `Number(bigint)` beyond). */
function readInt64(bytes: Buffer, at: number): number {
  const hi = bytes.readInt32BE(at);
  if (hi < SAFE_HIGH && hi >= -SAFE_HIGH) return hi * TWO_32 + bytes.readUInt32BE(at + 4);
  return Number(bytes.readBigInt64BE(at));
}

/**
 * Kafka Streams' windowed key layout: for time windows the inner key bytes then
 * the 8-byte big-endian window start; for session windows the inner key, the
 * 8-byte end, then the 8-byte start.
 */
export function encodeWindowedKey(inner: Buffer | null, w: WindowBounds, session: boolean): Buffer {
  const len = inner === null ? 0 : inner.length;
  const out = Buffer.allocUnsafe(len + (session ? 16 : 8));
  if (inner !== null) inner.copy(out, 0);
  if (session) {
    writeInt64(out, w.end, len);
    writeInt64(out, w.start, len + 8);
  } else {
    writeInt64(out, w.start, len);
  }
  return out;
}

/** Splits a windowed key; `sizeMs` gives time windows their end. Throws RangeError if too short. */
export function decodeWindowedKey(bytes: Buffer, session: boolean, sizeMs: number | undefined): { inner: Buffer; window: WindowBounds } {
  const suffix = session ? 16 : 8;
  if (bytes.length < suffix) throw new RangeError(`windowed key too short: ${bytes.length} bytes`);
  const inner = bytes.subarray(0, bytes.length - suffix);
  if (session) {
    const end = readInt64(bytes, bytes.length - 16);
    const start = readInt64(bytes, bytes.length - 8);
    return { inner, window: { start, end } };
  }
  const start = readInt64(bytes, bytes.length - 8);
  return { inner, window: { start, end: sizeMs === undefined ? Number.MAX_SAFE_INTEGER : start + sizeMs } };
}
