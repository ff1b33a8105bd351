import { readSync } from 'node:fs';
import type { LogRecord, NewRecord } from './log.js';
import { bodySize, crc32, decodeHeaders, FRAME, MAX_BODY, MIN_BODY, NO_HEADERS, validBody, writeFrame } from './segment.js';

/** The records of one partition, as {@link MemoryLog} and its subclasses hold them. */
export interface PartitionStore {
  /** Number of records (the offset the next one gets). */
  readonly length: number;
  append(records: readonly NewRecord[]): void;
  /** Up to `max` records from `offset` on. */
  read(offset: number, max: number): LogRecord[];
  /** Drops the records at and after `offset`. */
  truncate(offset: number): void;
}

/** Records as the objects they were appended as (the plain in-memory log). */
export class ArrayStore implements PartitionStore {
  private readonly records: LogRecord[] = [];

  get length(): number {
    return this.records.length;
  }

  append(records: readonly NewRecord[]): void {
    const p = this.records;
    const first = p.length;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      p.push({ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers ?? [], offset: first + i });
    }
  }

  read(offset: number, max: number): LogRecord[] {
    const p = this.records;
    return offset >= p.length ? [] : p.slice(offset, offset + max);
  }

  truncate(offset: number): void {
    const p = this.records;
    if (offset < p.length) p.length = Math.max(0, offset);
  }
}

/** Default size of the largest chunk (a single larger record gets a chunk of its own size). */
export const MAX_CHUNK = 32 << 20;
/** Size of a partition's first chunk; later ones double up to the maximum. */
const MIN_CHUNK = 64 << 10;

interface Chunk {
  /** The chunk's bytes while resident; undefined once evicted (they are still in the segment file). */
  buf: Buffer | undefined;
  view: DataView | undefined;
  /** Offset of the chunk's first record. */
  readonly first: number;
  /** Segment file position of `buf[0]`. */
  readonly filePos: number;
  /** Bytes of `buf` holding the chunk's records: frames back to back from 0. */
  end: number;
  /** No more appends into this chunk: a truncate dropped bytes that readers may still view. */
  sealed: boolean;
}

/**
 * Reads `into.length` bytes of a partition's segment file from file position
 * `filePos` (how an evicted chunk comes back).
 */
export type SegmentReader = (into: Buffer, filePos: number) => void;

/**
 * The memory budget shared by the chunk stores of one log: chunks are admitted
 * as they are filled or reloaded, and when their bytes exceed `maxBytes` the
 * least recently read ones are evicted (their bytes stay in the segment file and
 * are read back on demand). A partition's last chunk, which appends write into,
 * is never evicted, so the budget is soft by at most one chunk per partition.
 */
export class ResidentChunks {
  private readonly lru = new Map<Chunk, ChunkStore>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes of the chunks currently resident. */
  get residentBytes(): number {
    return this.bytes;
  }

  admit(chunk: Chunk, store: ChunkStore): void {
    if (this.lru.has(chunk)) this.lru.delete(chunk);
    else this.bytes += chunk.buf!.length;
    this.lru.set(chunk, store);
    if (this.bytes > this.maxBytes) this.evict(chunk);
  }

  touch(chunk: Chunk, store: ChunkStore): void {
    if (!this.lru.delete(chunk)) return;
    this.lru.set(chunk, store);
  }

  /** Forgets a chunk a truncate or delete dropped. */
  forget(chunk: Chunk): void {
    if (this.lru.delete(chunk)) this.bytes -= chunk.buf?.length ?? 0;
  }

  /** Evicts the least recently read chunks down to the budget, except tails and `admitted` (about to be read). */
  private evict(admitted: Chunk): void {
    for (const [chunk, store] of this.lru) {
      if (this.bytes <= this.maxBytes) return;
      if (chunk === admitted || store.isTail(chunk)) continue;
      this.lru.delete(chunk);
      this.bytes -= chunk.buf!.length;
      chunk.buf = undefined;
      chunk.view = undefined;
    }
  }
}

/**
 * One partition of the file log in compact form: the records' segment frames
 * (see segment.ts) byte for byte in append-only chunks, plus an index of each
 * record's frame position. `LogRecord` objects are built only by {@link read};
 * their keys and values are views into the chunks, whose bytes, once they belong
 * to a record, are never written again (a truncate seals its chunk), so handed-out
 * buffers stay valid. The chunks mirror the segment file: chunk bytes
 * `[0, end)` are file bytes `[filePos, filePos + end)`.
 */
export class ChunkStore implements PartitionStore {
  length = 0;
  private readonly chunks: Chunk[] = [];
  /** Frame position of record i within its chunk. */
  private positions = new Uint32Array(1024);
  private readonly minChunk: number;

  constructor(
    /** File position of the first record (after the segment's magic). */
    private readonly base: number,
    private readonly maxChunk = MAX_CHUNK,
    /** With a budget and a reader, chunks beyond the budget are evicted and read back on demand. */
    private readonly resident?: { readonly budget: ResidentChunks; readonly reader: SegmentReader },
  ) {
    this.maxChunk = Math.max(FRAME + MIN_BODY, maxChunk);
    this.minChunk = Math.min(MIN_CHUNK, this.maxChunk);
  }

  /** Segment file length holding exactly the stored records. */
  get fileLength(): number {
    const c = this.chunks[this.chunks.length - 1];
    return c ? c.filePos + c.end : this.base;
  }

  /** Segment file length holding exactly the records before `offset` (`offset` <= length). */
  fileLengthAt(offset: number): number {
    if (offset >= this.length) return this.fileLength;
    const c = this.chunks[this.chunkIndex(offset)]!;
    return c.filePos + this.positions[offset]!;
  }

  /**
   * Encodes `records` into the chunks and then, if given, has `persist` write the
   * new bytes (one region per chunk touched, in file order). If `persist` throws,
   * nothing is appended.
   */
  append(records: readonly NewRecord[], persist?: (regions: readonly Buffer[]) => void): void {
    const n = records.length;
    if (n === 0) return;
    this.reserve(this.length + n);
    const chunksBefore = this.chunks.length;
    const last = this.chunks[chunksBefore - 1];
    const endBefore = last?.end ?? 0;
    let c = last && !last.sealed && last.buf !== undefined ? last : undefined;
    let regionStart = c?.end ?? 0;
    const regions: Buffer[] = [];
    const positions = this.positions;
    let idx = this.length;
    try {
      for (let i = 0; i < n; i++) {
        const r = records[i]!;
        const size = bodySize(r);
        if (!(size >= MIN_BODY && size <= MAX_BODY)) throw new Error(`Record ${i} of ${n} cannot be stored (body of ${size} bytes)`);
        const frame = FRAME + size;
        if (c === undefined || c.end + frame > c.buf!.length) {
          if (c !== undefined && c.end > regionStart) regions.push(c.buf!.subarray(regionStart, c.end));
          c = this.newChunk(frame, idx);
          regionStart = 0;
        }
        positions[idx++] = c.end;
        c.end = writeFrame(c.buf!, c.end, r, size);
      }
      regions.push(c!.buf!.subarray(regionStart, c!.end));
      persist?.(regions);
    } catch (e) {
      if (this.resident) for (let i = chunksBefore; i < this.chunks.length; i++) this.resident.budget.forget(this.chunks[i]!);
      this.chunks.length = chunksBefore;
      if (last) {
        last.end = endBefore;
        if (last.buf === undefined) last.sealed = true; // evicted meanwhile: appends start a new chunk
      }
      throw e;
    }
    this.length = idx;
  }

  read(offset: number, max: number): LogRecord[] {
    const out: LogRecord[] = [];
    if (offset < 0) offset = 0;
    const end = Math.min(this.length, offset + max);
    if (!(offset < end)) return out;
    const chunks = this.chunks;
    const positions = this.positions;
    let ci = this.chunkIndex(offset);
    let chunk = chunks[ci]!;
    let buf = this.residentBuf(chunk);
    let ab = buf.buffer;
    let base = buf.byteOffset;
    let view = chunk.view!;
    let next = chunks[ci + 1]?.first ?? Infinity;
    for (let i = offset; i < end; i++) {
      if (i >= next) {
        chunk = chunks[++ci]!;
        buf = this.residentBuf(chunk);
        ab = buf.buffer;
        base = buf.byteOffset;
        view = chunk.view!;
        next = chunks[ci + 1]?.first ?? Infinity;
      }
      let pos = positions[i]! + FRAME;
      const timestamp = view.getFloat64(pos, true);
      pos += 8;
      const klen = view.getInt32(pos, true);
      pos += 4;
      let key: Buffer | null = null;
      if (klen >= 0) {
        key = Buffer.from(ab, base + pos, klen);
        pos += klen;
      }
      const vlen = view.getInt32(pos, true);
      pos += 4;
      let value: Buffer | null = null;
      if (vlen >= 0) {
        value = Buffer.from(ab, base + pos, vlen);
        pos += vlen;
      }
      const count = view.getUint32(pos, true);
      out.push({ key, value, timestamp, headers: count === 0 ? NO_HEADERS : decodeHeaders(buf, pos + 4, count), offset: i });
    }
    return out;
  }

  truncate(offset: number): void {
    if (offset < 0) offset = 0;
    if (offset >= this.length) return;
    const ci = this.chunkIndex(offset);
    const c = this.chunks[ci]!;
    c.end = this.positions[offset]!;
    c.sealed = true;
    const keep = c.end === 0 ? ci : ci + 1;
    if (this.resident) for (let i = keep; i < this.chunks.length; i++) this.resident.budget.forget(this.chunks[i]!);
    this.chunks.length = keep;
    this.length = offset;
  }

  /** Whether `chunk` is this store's last chunk (the one appends go into). */
  isTail(chunk: Chunk): boolean {
    return this.chunks[this.chunks.length - 1] === chunk;
  }

  /** Releases this store's chunks from the shared budget (its topic is gone). */
  release(): void {
    if (this.resident) for (const c of this.chunks) this.resident.budget.forget(c);
  }

  /** The chunk's bytes, read back from the segment file if they were evicted. */
  private residentBuf(chunk: Chunk): Buffer {
    const r = this.resident;
    let buf = chunk.buf;
    if (buf !== undefined) {
      if (r) r.budget.touch(chunk, this);
      return buf;
    }
    buf = Buffer.allocUnsafeSlow(chunk.end);
    r!.reader(buf, chunk.filePos);
    chunk.buf = buf;
    chunk.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    r!.budget.admit(chunk, this);
    return buf;
  }

  private push(chunk: Chunk): void {
    this.chunks.push(chunk);
    if (this.resident) this.resident.budget.admit(chunk, this);
  }

  /**
   * Loads an empty store from a segment file open as `fd`, reading from `base` to
   * `fileLength` straight into chunks and indexing each record whose frame is
   * complete, CRC-checked and well formed, up to the first that is not. Frames
   * ending at or before file position `trustedEnd` (a recovery point: bytes known
   * good, see `FileLog`) skip the CRC check; their structure is still checked.
   * Returns the file length up to the end of the last good record.
   */
  load(fd: number, fileLength: number, trustedEnd = 0): number {
    let filePos = this.base; // file position of the next chunk's buf[0]
    let carry: Buffer | undefined; // the incomplete frame at the end of the previous chunk
    for (;;) {
      const remaining = fileLength - filePos;
      if (remaining <= 0) return filePos;
      const need = carry !== undefined && carry.length >= FRAME ? FRAME + carry.readUInt32LE(0) : 0;
      const size = Math.min(remaining, Math.max(this.maxChunk, need));
      const buf = Buffer.allocUnsafeSlow(size);
      let filled = 0;
      if (carry !== undefined) filled = carry.copy(buf);
      while (filled < size) {
        const n = readSync(fd, buf, filled, size - filled, filePos + filled);
        if (n === 0) break;
        filled += n;
      }
      const first = this.length;
      let i = 0;
      let bad = false;
      while (filled - i >= FRAME) {
        const len = buf.readUInt32LE(i);
        if (len < MIN_BODY || len > MAX_BODY) {
          bad = true;
          break;
        }
        if (filled - i - FRAME < len) break;
        const start = i + FRAME;
        if (
          (filePos + start + len > trustedEnd && crc32(buf.subarray(start, start + len)) !== buf.readUInt32LE(i + 4)) ||
          !validBody(buf, start, start + len)
        ) {
          bad = true;
          break;
        }
        if (this.length === this.positions.length) this.reserve(this.length + 1);
        this.positions[this.length++] = i;
        i = start + len;
      }
      if (i > 0) this.push({ buf, view: new DataView(buf.buffer, buf.byteOffset, buf.length), first, filePos, end: i, sealed: false });
      if (bad || filled < size || filePos + filled >= fileLength) return filePos + i;
      carry = buf.subarray(i, filled);
      filePos += i;
    }
  }

  /**
   * This store's layout as an index file's bytes: `SLX1`, u32 chunk count, u32
   * record count, per chunk f64 first offset, file position and byte length, then
   * every record's u32 frame position within its chunk. {@link loadIndex} reads it back.
   */
  encodeIndex(): Buffer {
    const n = this.chunks.length;
    const buf = Buffer.allocUnsafe(12 + n * 24 + this.length * 4);
    buf.write('SLX1', 0, 'latin1');
    buf.writeUInt32LE(n, 4);
    buf.writeUInt32LE(this.length, 8);
    let pos = 12;
    for (const c of this.chunks) {
      buf.writeDoubleLE(c.first, pos);
      buf.writeDoubleLE(c.filePos, pos + 8);
      buf.writeDoubleLE(c.end, pos + 16);
      pos += 24;
    }
    Buffer.from(this.positions.buffer, this.positions.byteOffset, this.length * 4).copy(buf, pos);
    return buf;
  }

  /**
   * Loads an empty store from an index written by {@link encodeIndex} for a segment
   * of `fileLength` bytes, without reading the segment: every chunk starts evicted
   * and is read back when a reader needs it. Returns false (loading nothing) when
   * the index does not describe such a segment; the caller then scans it.
   */
  loadIndex(index: Buffer, fileLength: number): boolean {
    if (!this.resident || index.length < 12 || index.toString('latin1', 0, 4) !== 'SLX1') return false;
    const n = index.readUInt32LE(4);
    const length = index.readUInt32LE(8);
    if (index.length !== 12 + n * 24 + length * 4) return false;
    const chunks: Chunk[] = [];
    let expectPos = this.base;
    let expectFirst = 0;
    for (let i = 0, pos = 12; i < n; i++, pos += 24) {
      const first = index.readDoubleLE(pos);
      const filePos = index.readDoubleLE(pos + 8);
      const end = index.readDoubleLE(pos + 16);
      if (first !== expectFirst && !(first >= expectFirst && i > 0)) return false;
      if (filePos !== expectPos || !Number.isSafeInteger(end) || end < 0) return false;
      chunks.push({ buf: undefined, view: undefined, first, filePos, end, sealed: false });
      expectPos = filePos + end;
      expectFirst = first;
    }
    if (expectPos !== fileLength || (n > 0 && chunks[n - 1]!.first > length) || (n === 0 && length > 0)) return false;
    const positions = new Uint32Array(Math.max(1024, length));
    Buffer.from(positions.buffer, 0, length * 4).set(index.subarray(12 + n * 24));
    for (let c = 0; c < n; c++) {
      const chunk = chunks[c]!;
      const last = c + 1 < n ? chunks[c + 1]!.first : length;
      for (let i = chunk.first; i < last; i++) if (positions[i]! >= chunk.end) return false;
    }
    this.chunks.push(...chunks);
    this.positions = positions;
    this.length = length;
    return true;
  }

  private newChunk(frame: number, first: number): Chunk {
    const prev = this.chunks[this.chunks.length - 1];
    const grown = Math.min(this.maxChunk, Math.max(this.minChunk, prev ? (prev.buf?.length ?? prev.end) * 2 : 0));
    const buf = Buffer.allocUnsafeSlow(Math.max(frame, grown));
    const chunk: Chunk = {
      buf,
      view: new DataView(buf.buffer, buf.byteOffset, buf.length),
      first,
      filePos: prev ? prev.filePos + prev.end : this.base,
      end: 0,
      sealed: false,
    };
    this.push(chunk);
    return chunk;
  }

  /** Index of the chunk holding record `offset` (< length). */
  private chunkIndex(offset: number): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (chunks[mid]!.first <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private reserve(n: number): void {
    if (n <= this.positions.length) return;
    const grown = new Uint32Array(Math.max(n, this.positions.length * 2));
    grown.set(this.positions.subarray(0, this.length));
    this.positions = grown;
  }
}
