/**
 * The built-in file source, under Kafka's FileStreamSourceConnector class name
 * so one statement works with or without a Connect cluster: each complete line
 * of `file` (bytes as written, without the `\n` or `\r\n`) becomes a record's
 * value with a null key, following the file as it grows. The position is the
 * byte offset after the last line produced; a partial last line waits for its
 * newline. A missing file is waited for, as Connect's task does.
 */
import { open } from 'node:fs/promises';
import type { BuiltinPlugin, SourceRecord, SourceTask } from './builtin-plugin.js';
import { validateFileConfig } from './file-sink.js';

/** Bytes read from the file at once. */
const CHUNK = 64 * 1024;

class FileSourceTask implements SourceTask {
  constructor(private readonly path: string) {}

  async poll(position: string | undefined, max: number): Promise<{ readonly records: readonly SourceRecord[]; readonly position: string | undefined }> {
    const start = position === undefined ? 0 : Number(position);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], position };
      throw e;
    }
    try {
      const records: SourceRecord[] = [];
      let at = start;
      let pending = Buffer.alloc(0);
      const buf = Buffer.alloc(CHUNK);
      while (records.length < max) {
        const { bytesRead } = await handle.read(buf, 0, CHUNK, at + pending.length);
        if (bytesRead === 0) break;
        const data = pending.length === 0 ? buf.subarray(0, bytesRead) : Buffer.concat([pending, buf.subarray(0, bytesRead)]);
        let lineStart = 0;
        let nl = data.indexOf(10, lineStart);
        while (nl >= 0 && records.length < max) {
          const end = nl > lineStart && data[nl - 1] === 13 ? nl - 1 : nl;
          records.push({ key: null, value: Buffer.from(data.subarray(lineStart, end)) });
          lineStart = nl + 1;
          nl = data.indexOf(10, lineStart);
        }
        at += lineStart;
        pending = Buffer.from(data.subarray(lineStart));
      }
      return { records, position: records.length === 0 ? position : String(at) };
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {}
}

/** `org.apache.kafka.connect.file.FileStreamSourceConnector`: lines of a file to records. */
export const fileSourcePlugin: BuiltinPlugin = {
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: [],
  type: 'source',
  version: '1.0.0',
  validate: (config) => [
    ...validateFileConfig(config),
    ...((config['topic'] ?? '').trim() === '' ? ['Missing required configuration "topic" which has no default value.'] : []),
  ],
  createSource: (config) => new FileSourceTask(config['file']!.trim()),
};
