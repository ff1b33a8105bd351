import { type BigIntStats, existsSync, readFileSync, statSync } from 'node:fs';

/**
 * The recovery checkpoint of a `FileLog`, `<dir>/recovery-point.json`, as Kafka's
 * `recovery-point-offset-checkpoint`: per segment file, the bytes from its start
 * known to hold good records, so opening CRC-checks only what lies past them.
 *
 * - Written with `clean: true` by a clean close, with each segment's size, inode
 *   and modification time. A segment that still matches all three, and was last
 *   modified before the checkpoint file was written, is trusted whole. One changed
 *   since (a different size, inode or mtime, or an mtime not older than the
 *   checkpoint's own, as git treats a "racily clean" index entry) is checked in full.
 * - Rewritten with `clean: false` right after opening, with every segment's
 *   verified length: if the process then dies, the next open trusts those
 *   prefixes (appends only add after them) and checks the records after them.
 *   A truncation below a recovery point lowers it first.
 *
 * A missing or unreadable checkpoint trusts nothing: every CRC is checked.
 */
export const RECOVERY = 'recovery-point.json';

/** One segment's entry: `bytes` known good, and what its file looked like then. */
export interface SegmentCheckpoint {
  readonly bytes: number;
  readonly size: number;
  readonly ino: string;
  readonly mtimeNs: string;
}

/** A read checkpoint: how it was written, when, and its entries by segment path (relative to the log's directory). */
export interface RecoveryCheckpoint {
  readonly clean: boolean;
  readonly writtenNs: bigint;
  readonly segments: ReadonlyMap<string, SegmentCheckpoint>;
}

/** The checkpoint at `path`, or undefined when there is none or it is unreadable (then nothing is trusted). */
export function readRecoveryCheckpoint(path: string): RecoveryCheckpoint | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const writtenNs = statSync(path, { bigint: true }).mtimeNs;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown; clean?: unknown; segments?: unknown };
    if (saved.version !== 1 || typeof saved.clean !== 'boolean' || !Array.isArray(saved.segments)) return undefined;
    const segments = new Map<string, SegmentCheckpoint>();
    for (const entry of saved.segments as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !validEntry(entry[1])) return undefined;
      segments.set(entry[0], entry[1]);
    }
    return { clean: saved.clean, writtenNs, segments };
  } catch {
    return undefined;
  }
}

function validEntry(e: unknown): e is SegmentCheckpoint {
  const c = e as Partial<SegmentCheckpoint> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isSafeInteger(c.bytes) &&
    Number.isSafeInteger(c.size) &&
    typeof c.ino === 'string' &&
    typeof c.mtimeNs === 'string' &&
    /^\d+$/.test(c.mtimeNs)
  );
}

/**
 * How many bytes from the start of the segment `rel` (whose file now looks like
 * `stat`) opening may take as good without checking CRCs: see {@link RECOVERY}.
 */
export function trustedBytes(checkpoint: RecoveryCheckpoint | undefined, rel: string, stat: BigIntStats): number {
  const e = checkpoint?.segments.get(rel);
  if (e === undefined || String(stat.ino) !== e.ino) return 0;
  const size = Number(stat.size);
  if (!checkpoint!.clean) return size >= e.bytes ? e.bytes : 0;
  const unchanged = size === e.size && String(stat.mtimeNs) === e.mtimeNs && stat.mtimeNs < checkpoint!.writtenNs;
  return unchanged ? Math.min(e.bytes, size) : 0;
}

/** The entry of a segment whose first `bytes` are known good, describing its file as it is now. */
export function segmentCheckpoint(path: string, bytes: number): SegmentCheckpoint {
  const stat = statSync(path, { bigint: true });
  return { bytes, size: Number(stat.size), ino: String(stat.ino), mtimeNs: String(stat.mtimeNs) };
}

/** The checkpoint file's text. */
export function recoveryText(clean: boolean, segments: ReadonlyMap<string, SegmentCheckpoint>): string {
  return JSON.stringify({ version: 1, clean, segments: [...segments] });
}
