import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ExecutionError } from '../../common/errors.js';
import { ChunkStore, MAX_CHUNK, type PartitionStore, ResidentChunks } from './chunk-store.js';
import type { NewRecord } from './log.js';
import { checkPartitionCount, MemoryLog } from './memory-log.js';
import { SEGMENT_MAGIC } from './segment.js';

/** Tuning of a {@link FileLog}. */
export interface FileLogOptions {
  /**
   * fsync after every append and offsets write (default false: data reaches the
   * OS with each append and is fsynced on close, so it survives a process crash
   * but not necessarily a power loss).
   */
  readonly fsync?: boolean;
  /** Segment file descriptors kept open at once (least recently used are closed); default 128. */
  readonly maxOpenFiles?: number;
  /** Largest in-memory chunk of a partition's bytes (default 32 MiB); small values are for tests. */
  readonly maxChunkBytes?: number;
  /**
   * Segment bytes kept in memory across all partitions (default 256 MiB): older
   * chunks beyond it are evicted least recently read first and read back from
   * their segment files when a reader needs them. Each partition's tail chunk
   * stays resident.
   */
  readonly maxResidentBytes?: number;
}

const TOPICS = 'topics';
const META = 'meta.json';
const OFFSETS = 'offsets.json';
const TRASH = '#deleted';
/**
 * Written by {@link FileLog.close} after every segment was flushed, removed by
 * `open`: while it exists the segments end exactly at their last whole record, so
 * opening skips the CRC check of every frame (as Kafka skips log recovery after a
 * clean shutdown). After a crash it is absent and everything is checked.
 */
const CLEAN = 'clean-shutdown';

interface TopicMeta {
  readonly name: string;
  readonly partitions: number;
  readonly compacted: boolean;
}

/**
 * The embedded durable log. Layout of the data directory:
 *
 * ```
 * <dir>/offsets.json                      committed positions (rewritten atomically)
 * <dir>/topics/<topic-dir>/meta.json      { name, partitions, compacted }
 * <dir>/topics/<topic-dir>/<p>.seg        partition p, see segment.ts
 * ```
 *
 * Every partition's segment is also held as a {@link ChunkStore}: the segment
 * bytes in large chunks plus an offset index, records becoming objects only when
 * read. Recent chunks stay in memory within a shared budget
 * ({@link FileLogOptions.maxResidentBytes}); older ones are read back from the
 * segment file on demand. `open` indexes all segments in one CRC-checked scan
 * each (frame CRCs skipped after a clean shutdown, see CLEAN), truncating torn
 * tails. Invariant: a record
 * is in memory only once its bytes were written to its segment, and a topic
 * exists on disk only once its `meta.json` was renamed into place (a directory
 * without one is the debris of a crash and is removed).
 */
export class FileLog extends MemoryLog {
  private readonly topicDirs = new Map<string, string>();
  /** Open append descriptors by segment path, least recently used first. */
  private readonly fds = new Map<string, number>();
  private readonly fsync: boolean;
  private readonly maxOpenFiles: number;
  private readonly maxChunkBytes: number;
  private readonly resident: ResidentChunks;
  private closed = false;

  private constructor(
    /** The data directory. */
    readonly dir: string,
    options: FileLogOptions,
  ) {
    super();
    this.fsync = options.fsync ?? false;
    this.maxOpenFiles = Math.max(1, options.maxOpenFiles ?? 128);
    this.maxChunkBytes = options.maxChunkBytes ?? MAX_CHUNK;
    this.resident = new ResidentChunks(options.maxResidentBytes ?? 256 << 20);
  }

  /** Bytes of segment data currently held in memory. */
  get residentBytes(): number {
    return this.resident.residentBytes;
  }

  /** Opens (creating if needed) the log in `dir` and loads its topics and offsets. */
  static async open(dir: string, options: FileLogOptions = {}): Promise<FileLog> {
    mkdirSync(join(dir, TOPICS), { recursive: true });
    const log = new FileLog(dir, options);
    log.load();
    return log;
  }

  protected override newPartition(topic: string, partition: number): PartitionStore {
    const reader = (into: Buffer, filePos: number): void => {
      const path = join(this.topicDirs.get(topic)!, `${partition}.seg`);
      const fd = this.fd(path);
      let filled = 0;
      while (filled < into.length) {
        const n = readSync(fd, into, filled, into.length - filled, filePos + filled);
        if (n === 0) throw new ExecutionError(`Segment ${path} ended at ${filePos + filled} while reading back ${into.length} bytes from ${filePos}`);
        filled += n;
      }
    };
    return new ChunkStore(SEGMENT_MAGIC.length, this.maxChunkBytes, { budget: this.resident, reader });
  }

  override async createTopic(name: string, partitions: number, options?: { compacted?: boolean }): Promise<void> {
    this.checkOpen();
    if (this.topics.has(name)) return;
    checkPartitionCount(name, partitions, this.maxPartitions);
    const compacted = options?.compacted ?? false;
    this.createTopicSync(name, partitions, compacted);
    const dir = join(this.dir, TOPICS, topicDirName(name));
    if ([...this.topicDirs.values()].includes(dir)) {
      this.topics.delete(name);
      throw new ExecutionError(`Topic '${name}' collides with another topic's directory ${dir}`);
    }
    try {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (let p = 0; p < partitions; p++) {
        const path = join(dir, `${p}.seg`);
        writeFileSync(path, SEGMENT_MAGIC);
      }
      const meta: TopicMeta = { name, partitions, compacted };
      this.writeAtomically(join(dir, META), JSON.stringify(meta));
    } catch (e) {
      this.topics.delete(name);
      rmSync(dir, { recursive: true, force: true });
      throw new ExecutionError(`Could not create topic '${name}' in ${this.dir}: ${(e as Error).message}`);
    }
    this.topicDirs.set(name, dir);
  }

  override async deleteTopic(name: string): Promise<void> {
    this.checkOpen();
    const dir = this.topicDirs.get(name);
    const partitions = this.topics.get(name)?.info.partitions ?? 0;
    for (const p of this.topics.get(name)?.partitions ?? []) (p as ChunkStore).release();
    await super.deleteTopic(name);
    if (dir === undefined) return;
    this.topicDirs.delete(name);
    for (let p = 0; p < partitions; p++) {
      const path = join(dir, `${p}.seg`);
      this.closeFd(path);
    }
    // Rename first so a crash mid-removal never leaves a half-deleted topic behind.
    const trash = dir + TRASH;
    rmSync(trash, { recursive: true, force: true });
    renameSync(dir, trash);
    rmSync(trash, { recursive: true, force: true });
  }

  protected override appendSync(topic: string, partition: number, records: readonly NewRecord[]): number {
    this.checkOpen();
    const p = this.store(topic, partition);
    const first = p.length;
    if (records.length === 0) return first;
    const path = join(this.topicDirs.get(topic)!, `${partition}.seg`);
    const fd = this.fd(path);
    const size = p.fileLength;
    p.append(records, (regions) => {
      try {
        for (const buf of regions) {
          let done = 0;
          while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
        }
        if (this.fsync) fsyncSync(fd);
      } catch (e) {
        try {
          ftruncateSync(fd, size);
        } catch {
          // the torn tail is truncated on the next open
        }
        throw new ExecutionError(`Could not append to topic '${topic}' partition ${partition}: ${(e as Error).message}`);
      }
    });
    this.notify(topic);
    return first;
  }

  /** Cuts the partition's segment back to `offset` records, on disk and in memory. */
  protected override truncateSync(topic: string, partition: number, offset: number): void {
    this.checkOpen();
    const p = this.store(topic, partition);
    if (offset >= p.length) return;
    const path = join(this.topicDirs.get(topic)!, `${partition}.seg`);
    const fd = this.fd(path);
    ftruncateSync(fd, p.fileLengthAt(Math.max(0, offset)));
    if (this.fsync) fsyncSync(fd);
    p.truncate(offset);
  }

  override async commit(group: string, topic: string, partition: number, offset: number): Promise<void> {
    this.checkOpen();
    const key = `${group}\u0000${topic}\u0000${partition}`;
    const previous = this.offsets.get(key);
    if (previous === offset) return;
    this.offsets.set(key, offset);
    try {
      this.writeAtomically(join(this.dir, OFFSETS), JSON.stringify({ version: 1, offsets: [...this.offsets] }));
    } catch (e) {
      if (previous === undefined) this.offsets.delete(key);
      else this.offsets.set(key, previous);
      throw new ExecutionError(`Could not commit offsets in ${this.dir}: ${(e as Error).message}`);
    }
  }

  /** Flushes every open segment to disk and closes it; the log is unusable afterwards. */
  override async close(): Promise<void> {
    if (this.closed) return;
    for (const path of [...this.fds.keys()]) this.closeFd(path, true);
    this.closed = true;
    writeFileSync(join(this.dir, CLEAN), '');
  }

  private load(): void {
    const root = join(this.dir, TOPICS);
    const cleanPath = join(this.dir, CLEAN);
    const clean = existsSync(cleanPath);
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const dir = join(root, entry.name);
      if (!entry.isDirectory() || entry.name.endsWith(TRASH)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const metaPath = join(dir, META);
      if (!existsSync(metaPath)) {
        rmSync(dir, { recursive: true, force: true }); // a create that did not finish
        continue;
      }
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as TopicMeta;
      this.createTopicSync(meta.name, meta.partitions, meta.compacted);
      this.topicDirs.set(meta.name, dir);
      for (let p = 0; p < meta.partitions; p++) this.loadSegment(join(dir, `${p}.seg`), this.store(meta.name, p), !clean);
    }
    const offsetsPath = join(this.dir, OFFSETS);
    if (existsSync(offsetsPath)) {
      const saved = JSON.parse(readFileSync(offsetsPath, 'utf8')) as { offsets: [string, number][] };
      for (const [k, v] of saved.offsets) this.offsets.set(k, v);
    }
    // From here on the segments change: a crash before the next clean close means a full check.
    if (clean) rmSync(cleanPath, { force: true });
  }

  private loadSegment(path: string, into: ChunkStore, checkCrc: boolean): void {
    const length = existsSync(path) ? statSync(path).size : 0;
    if (length < SEGMENT_MAGIC.length) {
      writeFileSync(path, SEGMENT_MAGIC);
      return;
    }
    const fd = openSync(path, 'r');
    let validLength: number;
    try {
      const magic = Buffer.alloc(SEGMENT_MAGIC.length);
      readSync(fd, magic, 0, magic.length, 0);
      if (!magic.equals(SEGMENT_MAGIC)) throw new Error(`${path} is not a Sluice segment file`);
      validLength = into.load(fd, length, checkCrc);
    } finally {
      closeSync(fd);
    }
    if (validLength < length) truncateSync(path, validLength);
  }

  /** A partition's store: a {@link ChunkStore}, as {@link newPartition} made it. */
  private store(topic: string, partition: number): ChunkStore {
    return this.partition(topic, partition) as ChunkStore;
  }

  private fd(path: string): number {
    const fd = this.fds.get(path);
    if (fd !== undefined) {
      this.fds.delete(path); // move to the most recently used end
      this.fds.set(path, fd);
      return fd;
    }
    while (this.fds.size >= this.maxOpenFiles) this.closeFd(this.fds.keys().next().value!);
    const opened = openSync(path, 'a+'); // appends, and reads back evicted chunks
    this.fds.set(path, opened);
    return opened;
  }

  private closeFd(path: string, sync = this.fsync): void {
    const fd = this.fds.get(path);
    if (fd === undefined) return;
    this.fds.delete(path);
    if (sync) fsyncSync(fd);
    closeSync(fd);
  }

  /** Writes a temporary file and renames it over `path`, so readers see old or new, never half. */
  private writeAtomically(path: string, text: string): void {
    const tmp = `${path}.tmp`;
    if (this.fsync) {
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } else {
      writeFileSync(tmp, text);
    }
    renameSync(tmp, path);
  }

  private checkOpen(): void {
    if (this.closed) throw new ExecutionError(`The log in ${this.dir} is closed`);
  }
}

/** A file-system-safe, collision-free directory name for a topic (a readable part plus a hash). */
function topicDirName(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}
