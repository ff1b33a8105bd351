import { readSync } from 'node:fs';
import * as zlib from 'node:zlib';
import type { NewRecord, RecordHeader } from './log.js';

/**
 * The on-disk format of one partition of the file log: a segment file is the
 * 4-byte magic `SLS1` followed by records, each framed as
 *
 * ```
 * u32 bodyLength | u32 crc32(body) | body
 * body = f64 timestamp
 *      | i32 keyLength (-1 = null)   | key bytes
 *      | i32 valueLength (-1 = null) | value bytes
 *      | u32 headerCount | per header: u32 keyLength | utf-8 key | i32 valueLength (-1 = null) | value bytes
 * ```
 *
 * All integers little-endian. Offsets are implicit: the n-th record of a segment
 * has offset n. A record whose frame is incomplete or whose CRC does not match
 * ends the valid part of the segment. When no valid frame follows it, that is a
 * torn write (a crash mid-append) and is cut off on open; when valid frames
 * follow ({@link findFrame}), the segment is damaged in the middle and opening
 * stops (see `FileLog`).
 */
export const SEGMENT_MAGIC = Buffer.from('SLS1', 'latin1');

/** Bytes before each body: u32 length, u32 CRC. */
export const FRAME = 8;
/** The smallest valid body: timestamp, two null lengths, header count. */
export const MIN_BODY = 8 + 4 + 4 + 4;
/** Bodies larger than this are taken as a corrupt length field. */
export const MAX_BODY = 1 << 30;
/** Shared by every decoded record without headers (most of them). */
export const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

/** CRC-32 (IEEE), zlib's native one where this Node has it. */
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data) : tableCrc32;

let table: Int32Array | undefined;
function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Length of the body of `r` (its frame is {@link FRAME} bytes longer). */
export function bodySize(r: NewRecord): number {
  let n = MIN_BODY + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers ?? []) n += 8 + Buffer.byteLength(h.key, 'utf8') + (h.value?.length ?? 0);
  return n;
}

/** Encodes records into one buffer of consecutive frames, ready for a single write. */
export function encodeRecords(records: readonly NewRecord[]): Buffer {
  let total = 0;
  const sizes = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    const s = bodySize(records[i]!);
    sizes[i] = s;
    total += FRAME + s;
  }
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < records.length; i++) pos = writeFrame(buf, pos, records[i]!, sizes[i]!);
  return buf;
}

/**
 * Writes the frame of `r` (whose body is `size` bytes, see {@link bodySize}) at
 * `pos`; returns the position after it.
 */
export function writeFrame(buf: Buffer, pos: number, r: NewRecord, size: number): number {
  const start = pos + FRAME;
  buf.writeUInt32LE(size, pos);
  pos = buf.writeDoubleLE(r.timestamp, start);
  pos = writeBytes(buf, pos, r.key);
  pos = writeBytes(buf, pos, r.value);
  const headers = r.headers ?? [];
  pos = buf.writeUInt32LE(headers.length, pos);
  for (const h of headers) {
    const klen = buf.write(h.key, pos + 4, 'utf8');
    buf.writeUInt32LE(klen, pos);
    pos = writeBytes(buf, pos + 4 + klen, h.value);
  }
  buf.writeUInt32LE(crc32(buf.subarray(start, pos)), start - 4);
  return pos;
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return buf.writeInt32LE(-1, pos);
  buf.writeInt32LE(b.length, pos);
  buf.set(b, pos + 4);
  return pos + 4 + b.length;
}

/**
 * Whether the body at `[start, end)` is well formed: its fields exactly fill it.
 * Creates no objects (used when scanning segments on open).
 */
export function validBody(buf: Buffer, start: number, end: number): boolean {
  let pos = start + 8;
  for (let f = 0; f < 2; f++) {
    pos = skipBytes(buf, pos, end);
    if (pos < 0) return false;
  }
  if (pos + 4 > end) return false;
  const count = buf.readUInt32LE(pos);
  pos += 4;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) return false;
    const klen = buf.readUInt32LE(pos);
    pos += 4 + klen;
    if (pos > end) return false;
    pos = skipBytes(buf, pos, end);
    if (pos < 0) return false;
  }
  return pos === end;
}

/** Position after the length-prefixed bytes at `pos`, or -1 if they overrun `end`. */
function skipBytes(buf: Buffer, pos: number, end: number): number {
  if (pos + 4 > end) return -1;
  const len = buf.readInt32LE(pos);
  if (len === -1) return pos + 4;
  if (len < 0 || pos + 4 + len > end) return -1;
  return pos + 4 + len;
}

/** Decodes `count` headers starting at `pos` of a body already checked by {@link validBody}. */
export function decodeHeaders(buf: Buffer, pos: number, count: number): RecordHeader[] {
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    const klen = buf.readUInt32LE(pos);
    const key = buf.toString('utf8', pos + 4, pos + 4 + klen);
    pos += 4 + klen;
    const vlen = buf.readInt32LE(pos);
    pos += 4;
    if (vlen === -1) headers.push({ key, value: null });
    else {
      headers.push({ key, value: buf.subarray(pos, pos + vlen) });
      pos += vlen;
    }
  }
  return headers;
}

/** Bytes read at a time while looking for a frame after damage. */
const SCAN_WINDOW = 1 << 20;

/**
 * The file position of the first complete, CRC-valid, well-formed frame at or
 * after `from` in the segment open as `fd` (of `fileLength` bytes), or -1 if
 * there is none: how a torn tail (nothing valid after it) is told from damage in
 * the middle (intact records after it). Byte by byte, so only for the bytes
 * after a bad frame.
 */
export function findFrame(fd: number, from: number, fileLength: number): number {
  let win: Buffer = Buffer.alloc(0);
  let winPos = from;
  for (let i = from; i + FRAME + MIN_BODY <= fileLength; i++) {
    if (i + FRAME > winPos + win.length) {
      win = readAt(fd, i, Math.min(SCAN_WINDOW, fileLength - i));
      winPos = i;
    }
    const o = i - winPos;
    const len = win.readUInt32LE(o);
    if (len < MIN_BODY || len > MAX_BODY || i + FRAME + len > fileLength) continue;
    const body = o + FRAME + len <= win.length ? win.subarray(o + FRAME, o + FRAME + len) : readAt(fd, i + FRAME, len);
    if (crc32(body) === win.readUInt32LE(o + 4) && validBody(body, 0, len)) return i;
  }
  return -1;
}

/** `length` bytes of the file open as `fd` from `pos` (fewer if it ends first). */
export function readAt(fd: number, pos: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buf, filled, length - filled, pos + filled);
    if (n === 0) break;
    filled += n;
  }
  return buf.subarray(0, filled);
}
