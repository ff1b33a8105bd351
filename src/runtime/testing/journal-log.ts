import { MemoryLog } from '../log/memory-log.js';
import type { NewRecord } from '../log/log.js';

/** Where one appended record landed. */
export interface JournalEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** An in-memory log that remembers the global order of appends (for `sluice test`). */
export class JournalingLog extends MemoryLog {
  readonly journal: JournalEntry[] = [];

  override async append(topic: string, partition: number, records: readonly NewRecord[]): Promise<number> {
    const first = this.appendSync(topic, partition, records);
    for (let i = 0; i < records.length; i++) this.journal.push({ topic, partition, offset: first + i });
    return first;
  }
}
