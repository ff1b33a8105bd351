import fs from 'node:fs';
import type { Log } from '../log/log.js';
import type { PendingRecord } from '../operators/sink.js';
import type { SinkWriter } from './sink-writer.js';

/**
 * SKETCH (reverted): the shape of a connector sink. Writes a query's sink
 * records as JSON lines to a file instead of its topic; checkpoints the file's
 * length and cuts it back to that length on restart, as LogSinkWriter does
 * with the log.
 */
export class JsonLinesSinkWriter implements SinkWriter {
  private size = 0;
  constructor(private readonly file: string) {}

  async write(_log: Log, records: PendingRecord[]): Promise<void> {
    if (records.length === 0) return;
    let text = '';
    for (const r of records.splice(0)) {
      text += `${JSON.stringify({ topic: r.topic, partition: r.partition, key: r.record.key?.toString('utf8') ?? null, value: r.record.value?.toString('utf8') ?? null, timestamp: r.record.timestamp })}\n`;
    }
    await fs.promises.appendFile(this.file, text);
    this.size += Buffer.byteLength(text);
  }

  ends(): Record<string, number> {
    return { [`file:${this.file}`]: this.size };
  }

  async recover(_log: Log, ends: Readonly<Record<string, number>>): Promise<void> {
    const end = ends[`file:${this.file}`];
    if (end === undefined) return;
    if (fs.existsSync(this.file)) await fs.promises.truncate(this.file, end);
    this.size = end;
  }
}
