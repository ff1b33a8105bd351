import { closeSync, openSync, readSync } from 'node:fs';
import * as zlib from 'node:zlib';
import type { LogRecord, NewRecord, RecordHeader } from './log.js';

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
 * ends the valid part of the segment (a torn write); everything after it is
 * discarded on open.
 */
export const SEGMENT_MAGIC = Buffer.from('SLS1', 'latin1');

const FRAME = 8;
const MIN_BODY = 8 + 4 + 4 + 4;
/** Bodies larger than this are taken as a corrupt length field. */
const MAX_BODY = 1 << 30;
const READ_CHUNK = 8 << 20;
/** Shared by every loaded record without headers (most of them). */
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

/** CRC-32 (IEEE), zlib's native one where this Node has it. */
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data)
    : tableCrc32;

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

function bodySize(r: NewRecord): number {
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
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const start = pos + FRAME;
    buf.writeUInt32LE(sizes[i]!, pos);
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
  }
  return buf;
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return buf.writeInt32LE(-1, pos);
  buf.writeInt32LE(b.length, pos);
  buf.set(b, pos + 4);
  return pos + 4 + b.length;
}

/** Decodes one body at `[start, end)`; returns undefined if its fields overrun it. */
function decodeBody(buf: Buffer, start: number, end: number, offset: number): LogRecord | undefined {
  const timestamp = buf.readDoubleLE(start);
  let pos = start + 8;
  const key = readBytes(buf, pos, end);
  if (key === undefined) return undefined;
  pos += 4 + (key?.length ?? 0);
  const value = readBytes(buf, pos, end);
  if (value === undefined) return undefined;
  pos += 4 + (value?.length ?? 0);
  if (pos + 4 > end) return undefined;
  const count = buf.readUInt32LE(pos);
  pos += 4;
  if (count === 0) return pos === end ? { key, value, timestamp, headers: NO_HEADERS, offset } : undefined;
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) return undefined;
    const klen = buf.readUInt32LE(pos);
    if (pos + 4 + klen > end) return undefined;
    const hkey = buf.toString('utf8', pos + 4, pos + 4 + klen);
    pos += 4 + klen;
    const hval = readBytes(buf, pos, end);
    if (hval === undefined) return undefined;
    pos += 4 + (hval?.length ?? 0);
    headers.push({ key: hkey, value: hval });
  }
  return pos === end ? { key, value, timestamp, headers, offset } : undefined;
}

function readBytes(buf: Buffer, pos: number, end: number): Buffer | null | undefined {
  if (pos + 4 > end) return undefined;
  const len = buf.readInt32LE(pos);
  if (len === -1) return null;
  if (len < 0 || pos + 4 + len > end) return undefined;
  return buf.subarray(pos + 4, pos + 4 + len);
}

/** What {@link scanSegment} found: the records and the byte length of the valid prefix. */
export interface SegmentScan {
  readonly records: LogRecord[];
  /** File length up to the end of the last intact record; anything beyond is torn. */
  readonly validLength: number;
  readonly fileLength: number;
}

/**
 * Reads a segment file in chunks, decoding records until the end or the first
 * torn/corrupt frame. Record keys and values are views into the read chunks (no
 * per-record copies). Throws if the file does not start with {@link SEGMENT_MAGIC}.
 */
export function scanSegment(path: string, fileLength: number): SegmentScan {
  const records: LogRecord[] = [];
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(SEGMENT_MAGIC.length);
    const got = readSync(fd, magic, 0, magic.length, 0);
    if (got < magic.length) return { records, validLength: 0, fileLength };
    if (!magic.equals(SEGMENT_MAGIC)) throw new Error(`${path} is not a Sluice segment file`);
    let filePos = magic.length; // file position of buf[0]
    let buf = Buffer.alloc(0);
    for (;;) {
      let i = 0;
      while (buf.length - i >= FRAME) {
        const len = buf.readUInt32LE(i);
        if (len < MIN_BODY || len > MAX_BODY) return { records, validLength: filePos + i, fileLength };
        if (buf.length - i - FRAME < len) break;
        const start = i + FRAME;
        if (crc32(buf.subarray(start, start + len)) !== buf.readUInt32LE(i + 4)) return { records, validLength: filePos + i, fileLength };
        const rec = decodeBody(buf, start, start + len, records.length);
        if (!rec) return { records, validLength: filePos + i, fileLength };
        records.push(rec);
        i = start + len;
      }
      filePos += i;
      const restLen = buf.length - i;
      const remaining = fileLength - filePos - restLen;
      if (remaining <= 0) return { records, validLength: filePos, fileLength };
      const need = restLen >= FRAME ? FRAME + buf.readUInt32LE(i) : 0;
      const size = restLen + Math.min(remaining, Math.max(READ_CHUNK, need - restLen));
      const next = Buffer.allocUnsafe(size);
      buf.copy(next, 0, i);
      let filled = restLen;
      while (filled < size) {
        const n = readSync(fd, next, filled, size - filled, filePos + filled);
        if (n === 0) break;
        filled += n;
      }
      buf = filled === size ? next : next.subarray(0, filled);
      if (filled === restLen) return { records, validLength: filePos, fileLength };
    }
  } finally {
    closeSync(fd);
  }
}
