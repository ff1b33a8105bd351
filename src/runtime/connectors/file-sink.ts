/**
 * The built-in file sink, under Kafka's FileStreamSinkConnector class name so
 * one statement works with or without a Connect cluster: each record of the
 * topic becomes one line of `file` (appended; the file is created if missing).
 * Connect writes the value's text; Sluice writes the decoded value columns in
 * the Sluice-only `format`: `json` (default, one JSON object per line, column
 * names as keys) or `delimited` (comma-separated, as the DELIMITED format).
 * Tombstones (null values) are skipped. Exactly-once: after each batch the
 * sink records the file's length and the positions after the batch in
 * `<file>.sluice-positions.json` (replaced atomically); on start it cuts the
 * file back to that length (lines written after it, by a batch whose record a
 * crash prevented, are written again) and resumes from those positions. A file
 * shorter than recorded (changed by someone else) is left as it is.
 */
import { type FileHandle, open, readFile, rename, writeFile } from 'node:fs/promises';
import { serdeFor } from '../../serde/serde-for.js';
import type { Serde } from '../../serde/serde-types.js';
import type { BuiltinPlugin, SinkContext, SinkFailure, SinkRow, SinkTask } from './builtin-plugin.js';

/** The `format` values the file connectors accept. */
export const FILE_FORMATS = ['json', 'delimited'] as const;

/** Connect-worded problems with a file connector's `file` and `format` properties. */
export function validateFileConfig(config: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  if ((config['file'] ?? '').trim() === '') problems.push('Missing required configuration "file" which has no default value.');
  const format = config['format'];
  if (format !== undefined && !(FILE_FORMATS as readonly string[]).includes(format.trim().toLowerCase()))
    problems.push(`Invalid value ${format} for configuration format: String must be one of: ${FILE_FORMATS.join(', ')}`);
  return problems;
}

/** What `<file>.sluice-positions.json` holds: the file's length after the last batch and the next offset per partition. */
interface SavedPositions {
  readonly topic: string;
  readonly length: number;
  readonly positions: Readonly<Record<string, number>>;
}

class FileSinkTask implements SinkTask {
  private handle: FileHandle | undefined;
  private readonly serde: Serde;
  private readonly positionsPath: string;
  private readonly topic: string;
  /** The file's length and the next offset per partition after the last batch. */
  private length = 0;
  private readonly positions = new Map<number, number>();

  constructor(
    private readonly path: string,
    format: string,
    context: SinkContext,
  ) {
    const columns = context.source.schema.value;
    this.serde = serdeFor({ format: format === 'delimited' ? 'DELIMITED' : 'JSON' }, columns, false);
    this.positionsPath = `${path}.sluice-positions.json`;
    this.topic = context.source.topic;
  }

  async open(): Promise<ReadonlyMap<number, number> | undefined> {
    try {
      this.handle = await open(this.path, 'a');
    } catch (e) {
      throw new Error(`Couldn't find or create file '${this.path}' for FileStreamSinkTask: ${(e as Error).message}`);
    }
    this.length = (await this.handle.stat()).size;
    const saved = await readSaved(this.positionsPath);
    if (saved === undefined || saved.topic !== this.topic) return undefined;
    if (saved.length <= this.length) {
      await this.handle.truncate(saved.length);
      this.length = saved.length;
    }
    for (const [p, next] of Object.entries(saved.positions)) this.positions.set(Number(p), next);
    return this.positions;
  }

  async put(rows: readonly SinkRow[]): Promise<readonly SinkFailure[]> {
    const failures: SinkFailure[] = [];
    const parts: Buffer[] = [];
    const newline = Buffer.from('\n');
    // A partition's position stops at its first failed row (a restart after the task failed retries it).
    const stopped = new Set<number>();
    for (const row of rows) {
      if (!stopped.has(row.partition)) this.positions.set(row.partition, row.offset + 1);
      if (row.value === null) continue;
      try {
        const bytes = this.serde.serialize(row.value);
        if (bytes !== null) parts.push(bytes, newline);
      } catch (e) {
        failures.push({ row, error: e as Error });
        if (!stopped.has(row.partition)) this.positions.set(row.partition, row.offset);
        stopped.add(row.partition);
      }
    }
    if (parts.length > 0) {
      const bytes = Buffer.concat(parts);
      await this.handle!.write(bytes);
      this.length += bytes.length;
    }
    const saved: SavedPositions = { topic: this.topic, length: this.length, positions: Object.fromEntries(this.positions) };
    await writeFile(`${this.positionsPath}.tmp`, JSON.stringify(saved));
    await rename(`${this.positionsPath}.tmp`, this.positionsPath);
    return failures;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}

async function readSaved(path: string): Promise<SavedPositions | undefined> {
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as SavedPositions;
    return typeof saved.length === 'number' && typeof saved.positions === 'object' ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** `org.apache.kafka.connect.file.FileStreamSinkConnector`: rows to lines of a file. */
export const fileSinkPlugin: BuiltinPlugin = {
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  aliases: [],
  type: 'sink',
  version: '1.0.0',
  validate: validateFileConfig,
  createSink: (config, context) => new FileSinkTask(config['file']!.trim(), (config['format'] ?? 'json').trim().toLowerCase(), context),
};
