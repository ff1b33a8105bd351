/**
 * The built-in file sink, under Kafka's FileStreamSinkConnector class name so
 * one statement works with or without a Connect cluster: each record of the
 * topic becomes one line of `file` (appended; the file is created if missing).
 * Connect writes the value's text; Sluice writes the decoded value columns in
 * the Sluice-only `format`: `json` (default, one JSON object per line, column
 * names as keys) or `delimited` (comma-separated, as the DELIMITED format).
 * Tombstones (null values) are skipped. At-least-once: a crash after a write
 * and before the runner commits its position writes those lines again.
 */
import { type FileHandle, open } from 'node:fs/promises';
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

class FileSinkTask implements SinkTask {
  private handle: FileHandle | undefined;
  private readonly serde: Serde;

  constructor(
    private readonly path: string,
    format: string,
    context: SinkContext,
  ) {
    const columns = context.source.schema.value;
    this.serde = serdeFor({ format: format === 'delimited' ? 'DELIMITED' : 'JSON' }, columns, false);
  }

  async open(): Promise<undefined> {
    try {
      this.handle = await open(this.path, 'a');
    } catch (e) {
      throw new Error(`Couldn't find or create file '${this.path}' for FileStreamSinkTask: ${(e as Error).message}`);
    }
    return undefined;
  }

  async put(rows: readonly SinkRow[]): Promise<readonly SinkFailure[]> {
    const failures: SinkFailure[] = [];
    const parts: Buffer[] = [];
    const newline = Buffer.from('\n');
    for (const row of rows) {
      if (row.value === null) continue;
      try {
        const bytes = this.serde.serialize(row.value);
        if (bytes !== null) parts.push(bytes, newline);
      } catch (e) {
        failures.push({ row, error: e as Error });
      }
    }
    if (parts.length > 0) await this.handle!.write(Buffer.concat(parts));
    return failures;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
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
