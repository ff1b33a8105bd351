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
import { dirname, join, relative } from 'node:path';
import { DamagedDataError, ExecutionError } from '../../common/errors.js';
import { warn } from '../../common/warn.js';
import { ChunkStore, MAX_CHUNK, type PartitionStore, ResidentChunks } from './chunk-store.js';
import {
  RECOVERY,
  type RecoveryCheckpoint,
  readRecoveryCheckpoint,
  recoveryText,
  type SegmentCheckpoint,
  segmentCheckpoint,
  trustedBytes,
} from './file-log-recovery.js';
import type { NewRecord } from './log.js';
import { checkPartitionCount, MemoryLog } from './memory-log.js';
import { findFrame, readAt, SEGMENT_MAGIC } from './segment.js';

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
   * Segment bytes kept in memory across all partitions (default 64 MiB): older
   * chunks beyond it are evicted least recently read first and read back from
   * their segment files when a reader needs them. Each partition's tail chunk
   * stays resident.
   */
  readonly maxResidentBytes?: number;
  /**
   * Repair instead of refusing to open (what `sluice repair` does): a segment
   * damaged in the middle keeps its intact prefix and the rest moves to
   * `<p>.seg.damaged-<time>` next to it; damaged `meta.json`/`offsets.json` move
   * aside the same way. What was done is in {@link FileLog.repairs}.
   */
  readonly repair?: boolean;
  /** Where warnings go (a torn tail cut off, positions moved back); default stderr. */
  readonly warn?: (message: string) => void;
  /** The command that repairs this log, named in damage errors; default `sluice repair --data-dir <parent of dir>`. */
  readonly repairCommand?: string;
}

/** A file name suffix for something moved aside now: `.damaged-<ISO time>`. */
export function damagedSuffix(): string {
  return `.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

const TOPICS = 'topics';
const META = 'meta.json';
const OFFSETS = 'offsets.json';
const TRASH = '#deleted';
/** Suffix of a segment's index file (`<p>.seg.index`, see ChunkStore.encodeIndex), written on a clean close. */
const INDEX = '.index';
/** Written by older versions on close (opening skipped CRC checks while it existed); removed on open. */
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
 * <dir>/recovery-point.json               bytes of each segment known good (see file-log-recovery.ts)
 * <dir>/topics/<topic-dir>/meta.json      { name, partitions, compacted }
 * <dir>/topics/<topic-dir>/<p>.seg        partition p, see segment.ts
 * <dir>/topics/<topic-dir>/<p>.seg.index  its chunks and record positions at the last clean close
 * ```
 *
 * Every partition's segment is also held as a {@link ChunkStore}: the segment
 * bytes in large chunks plus an offset index, records becoming objects only when
 * read. Recent chunks stay in memory within a shared budget
 * ({@link FileLogOptions.maxResidentBytes}); older ones are read back from the
 * segment file on demand. `open` indexes all segments in one scan each,
 * checking the CRCs of the records past each segment's recovery point (all of
 * them without a checkpoint; none of a segment unchanged since a clean close;
 * see {@link RECOVERY}). A bad frame with no valid frame after it is a torn tail (a crash
 * mid-append): it is cut off with a warning. A bad frame with valid frames after
 * it is damage in the middle: `open` throws a {@link DamagedDataError} naming
 * the file, position and affected offsets, unless opened with `repair`, which
 * keeps the intact prefix and moves the rest aside. Committed positions past the
 * end of their partition (after a cut or a repair) are moved back to that end
 * with a warning, so records appended later are never skipped: offsets after a
 * cut are handed out again (positions are clamped, not the offsets advanced).
 * Invariant: a record
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
  private readonly repair: boolean;
  private readonly warn: (message: string) => void;
  private readonly repairCommand: string;
  private closed = false;
  /** What opening with `repair` changed, one line each (empty when nothing was damaged). */
  readonly repairs: string[] = [];
  /** Recovery points by segment path relative to {@link dir}, as last written to {@link RECOVERY}. */
  private readonly recoveryPoints = new Map<string, SegmentCheckpoint>();
  /**
   * What `open` did with the segments: bytes taken as good from the recovery
   * checkpoint without CRC checks, bytes whose CRCs it checked, and segments
   * loaded from their `.index` file without reading them (unchanged since a clean close).
   */
  readonly recovery = { trustedBytes: 0, verifiedBytes: 0, indexedSegments: 0 };

  private constructor(
    /** The data directory. */
    readonly dir: string,
    options: FileLogOptions,
  ) {
    super();
    this.fsync = options.fsync ?? false;
    this.maxOpenFiles = Math.max(1, options.maxOpenFiles ?? 128);
    this.maxChunkBytes = options.maxChunkBytes ?? MAX_CHUNK;
    this.resident = new ResidentChunks(options.maxResidentBytes ?? 64 << 20);
    this.repair = options.repair ?? false;
    this.warn = options.warn ?? warn;
    this.repairCommand = options.repairCommand ?? `sluice repair --data-dir ${dirname(dir)}`;
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
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // What made creating it fail (a file where a directory should be) often makes removing it fail too;
        // the first failure is the one to report.
      }
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
      this.recoveryPoints.delete(relative(this.dir, path));
    }
    this.writeRecoveryPoints(false);
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
    const length = p.fileLengthAt(Math.max(0, offset));
    const rel = relative(this.dir, path);
    const point = this.recoveryPoints.get(rel);
    if (point !== undefined && point.bytes > length) {
      this.recoveryPoints.set(rel, { ...point, bytes: length });
      this.writeRecoveryPoints(false); // before the cut: a crash after it must not trust bytes appended later
    }
    const fd = this.fd(path);
    ftruncateSync(fd, length);
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

  /**
   * Flushes every open segment to disk and closes it, then writes the recovery
   * checkpoint of a clean close (the next open skips the CRCs of segments left
   * unchanged); the log is unusable afterwards.
   */
  override async close(): Promise<void> {
    if (this.closed) return;
    for (const path of [...this.fds.keys()]) this.closeFd(path, true);
    this.closed = true;
    try {
      this.recoveryPoints.clear();
      for (const [topic, dir] of this.topicDirs) {
        const t = this.topics.get(topic);
        for (let p = 0; p < (t?.partitions.length ?? 0); p++) {
          const path = join(dir, `${p}.seg`);
          this.writeAtomically(`${path}${INDEX}`, this.store(topic, p).encodeIndex());
          this.recoveryPoints.set(relative(this.dir, path), segmentCheckpoint(path, this.store(topic, p).fileLength));
        }
      }
      this.writeCleanRecoveryPoints();
    } catch (e) {
      rmSync(join(this.dir, RECOVERY), { force: true });
      this.warn(`Could not write the recovery checkpoint in ${this.dir} (${(e as Error).message}): the next start checks every record's CRC`);
    }
  }

  /**
   * Writes the clean checkpoint so that its modification time is later than every
   * segment's: file times advance in coarse ticks, and a segment modified in the
   * checkpoint's own tick would not be trusted (see {@link RECOVERY}), so it is
   * rewritten until the clock has ticked past them (a few ms at most; bounded).
   */
  private writeCleanRecoveryPoints(): void {
    let latest = 0n;
    for (const e of this.recoveryPoints.values()) if (BigInt(e.mtimeNs) > latest) latest = BigInt(e.mtimeNs);
    const path = join(this.dir, RECOVERY);
    const deadline = performance.now() + 100;
    do this.writeRecoveryPoints(true);
    while (statSync(path, { bigint: true }).mtimeNs <= latest && performance.now() < deadline);
  }

  /** Rewrites {@link RECOVERY} from {@link recoveryPoints}. */
  private writeRecoveryPoints(clean: boolean): void {
    this.writeAtomically(join(this.dir, RECOVERY), recoveryText(clean, this.recoveryPoints));
  }

  private load(): void {
    rmSync(join(this.dir, CLEAN), { force: true });
    const checkpoint = this.repair ? undefined : readRecoveryCheckpoint(join(this.dir, RECOVERY));
    this.loadOffsets();
    const root = join(this.dir, TOPICS);
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
      const meta = this.readMeta(metaPath);
      if (meta === undefined) continue;
      this.createTopicSync(meta.name, meta.partitions, meta.compacted);
      this.topicDirs.set(meta.name, dir);
      for (let p = 0; p < meta.partitions; p++) this.loadSegment(join(dir, `${p}.seg`), meta.name, p, checkpoint);
    }
    this.clampOffsets();
    // From here on segments grow: a crash before the next clean close trusts only what was just loaded.
    this.writeRecoveryPoints(false);
  }

  /** A topic's meta.json; a damaged one stops opening (or, repairing, moves its topic aside). */
  private readMeta(path: string): TopicMeta | undefined {
    try {
      const meta = JSON.parse(readFileSync(path, 'utf8')) as TopicMeta;
      if (typeof meta.name !== 'string' || !Number.isInteger(meta.partitions) || meta.partitions < 1)
        throw new Error('it lacks a topic name or partition count');
      return meta;
    } catch (e) {
      const dir = dirname(path);
      if (!this.repair) {
        throw new DamagedDataError(
          `Topic file ${path} is damaged (${(e as Error).message}): the topic stored in ${dir} cannot be opened. Run '${this.repairCommand}' to move that topic aside.`,
          path,
        );
      }
      const aside = dir + damagedSuffix();
      renameSync(dir, aside);
      this.repairs.push(`${path} is damaged: moved the topic directory to ${aside}`);
      return undefined;
    }
  }

  /**
   * Reads the committed positions. They are rewritten atomically, so damage is
   * not a crash: the file moves aside with a warning and queries resume from the
   * checkpoints saved with their state (or rebuild, see RunningQuery.init).
   */
  private loadOffsets(): void {
    const path = join(this.dir, OFFSETS);
    if (!existsSync(path)) return;
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { offsets: [string, number][] };
      if (!Array.isArray(saved.offsets)) throw new Error('no offsets list');
      for (const [k, v] of saved.offsets) {
        if (typeof k !== 'string' || !Number.isInteger(v)) throw new Error(`bad entry ${JSON.stringify([k, v])}`);
        this.offsets.set(k, v);
      }
    } catch (e) {
      this.offsets.clear();
      const aside = path + damagedSuffix();
      renameSync(path, aside);
      const what = `Committed positions file ${path} is damaged (${(e as Error).message}); moved it to ${aside}: queries resume from the checkpoints saved with their state`;
      if (this.repair) this.repairs.push(what);
      else this.warn(what);
    }
  }

  /** Moves committed positions past the end of their partition back to it (see the class comment). */
  private clampOffsets(): void {
    let changed = false;
    for (const [k, v] of this.offsets) {
      const [group, topic, partition] = k.split('\u0000') as [string, string, string];
      const t = this.topics.get(topic);
      const p = Number(partition);
      if (!t || !(p < t.partitions.length)) continue;
      const end = t.partitions[p]!.length;
      if (v <= end) continue;
      this.offsets.set(k, end);
      changed = true;
      const what = `query ${group} had committed position ${v} in topic '${topic}' partition ${p}, which now ends at ${end}: it continues from ${end}`;
      if (this.repair) this.repairs.push(what);
      else this.warn(what);
    }
    if (changed) this.writeAtomically(join(this.dir, OFFSETS), JSON.stringify({ version: 1, offsets: [...this.offsets] }));
  }

  private loadSegment(path: string, topic: string, partition: number, checkpoint: RecoveryCheckpoint | undefined): void {
    const into = this.store(topic, partition);
    const rel = relative(this.dir, path);
    const stat = existsSync(path) ? statSync(path, { bigint: true }) : undefined;
    const length = stat === undefined ? 0 : Number(stat.size);
    if (length < SEGMENT_MAGIC.length) {
      writeFileSync(path, SEGMENT_MAGIC);
      this.recoveryPoints.set(rel, segmentCheckpoint(path, SEGMENT_MAGIC.length));
      return;
    }
    const trusted = trustedBytes(checkpoint, rel, stat!);
    if (checkpoint?.clean && trusted === length && this.loadIndex(path, into, length)) {
      this.recovery.trustedBytes += length;
      this.recovery.indexedSegments++;
      this.recoveryPoints.set(rel, segmentCheckpoint(path, length));
      return;
    }
    const fd = openSync(path, 'r');
    let validLength: number;
    try {
      const magic = readAt(fd, 0, SEGMENT_MAGIC.length);
      if (!magic.equals(SEGMENT_MAGIC)) throw new DamagedDataError(`${path} is not a Sluice segment file (topic '${topic}' partition ${partition})`, path);
      validLength = into.load(fd, length, trusted);
      this.recovery.trustedBytes += Math.min(trusted, validLength);
      this.recovery.verifiedBytes += Math.max(0, validLength - trusted);
      if (validLength < length) {
        const next = findFrame(fd, validLength + 1, length);
        const where = `topic '${topic}' partition ${partition}, segment ${path}`;
        if (next < 0) {
          this.warn(
            `${where}: cut off a torn last record (${length - validLength} bytes from byte ${validLength}, left by a crash during an append); the partition ends at offset ${into.length}`,
          );
        } else if (!this.repair) {
          throw new DamagedDataError(
            `Log segment ${path} is damaged at byte ${validLength}: topic '${topic}' partition ${partition} has ${into.length} intact records (offsets 0 to ${into.length - 1}), ` +
              `then a corrupt record, but intact records follow at byte ${next} of ${length}, so this is not a torn write. ` +
              `Records from offset ${into.length} on are affected${this.readersPast(topic, partition, into.length)}. ` +
              `Start-up stops rather than cut acknowledged data silently. Run '${this.repairCommand}' to keep the intact records and move bytes ${validLength} to ${length} aside.`,
            path,
          );
        } else {
          const aside = path + damagedSuffix();
          writeFileSync(aside, readAt(fd, validLength, length - validLength));
          this.repairs.push(`${where}: kept ${into.length} intact records; moved the damaged bytes ${validLength} to ${length} to ${aside}`);
        }
      }
    } finally {
      closeSync(fd);
    }
    if (validLength < length) truncateSync(path, validLength);
    this.recoveryPoints.set(rel, segmentCheckpoint(path, validLength));
  }

  /** Loads a segment unchanged since a clean close from its index file, if that describes it. */
  private loadIndex(path: string, into: ChunkStore, length: number): boolean {
    const indexPath = `${path}${INDEX}`;
    if (!existsSync(indexPath)) return false;
    try {
      return into.loadIndex(readFileSync(indexPath), length);
    } catch {
      return false;
    }
  }

  /** `; committed positions past it: <group> at <n>, …` for the groups reading past `offset`. */
  private readersPast(topic: string, partition: number, offset: number): string {
    const past: string[] = [];
    for (const [k, v] of this.offsets) {
      const [group, t, p] = k.split('\u0000') as [string, string, string];
      if (t === topic && Number(p) === partition && v > offset) past.push(`${group} at ${v}`);
    }
    return past.length === 0 ? '' : `; committed positions past it: ${past.join(', ')}`;
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
  private writeAtomically(path: string, text: string | Buffer): void {
    const tmp = `${path}.tmp`;
    if (this.fsync) {
      const fd = openSync(tmp, 'w');
      try {
        const bytes = typeof text === 'string' ? Buffer.from(text) : text;
        let done = 0;
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
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
