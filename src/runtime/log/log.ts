/** One header of a record; `value` may be null as in Kafka. */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record to append. `timestamp` is event time in epoch ms. */
export interface NewRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers?: readonly RecordHeader[];
}

/** A record as stored: its partition offset is assigned by the log. */
export interface LogRecord extends NewRecord {
  readonly offset: number;
}

/** A record bound for one partition of a topic. */
export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly record: NewRecord;
}

/**
 * Splits records into runs of consecutive records for one topic partition, in
 * order: what is appended (or sent) together.
 */
export function partitionRuns(records: readonly TopicRecord[]): { topic: string; partition: number; records: NewRecord[] }[] {
  const runs: { topic: string; partition: number; records: NewRecord[] }[] = [];
  let last: (typeof runs)[number] | undefined;
  for (const r of records) {
    if (last === undefined || last.topic !== r.topic || last.partition !== r.partition)
      runs.push((last = { topic: r.topic, partition: r.partition, records: [] }));
    last.records.push(r.record);
  }
  return runs;
}

/**
 * Appends `records[i]` to partition `placed[i].partition`, one append per run of
 * consecutive records for the same partition, and fills in `placed[i].offset`.
 */
export async function appendRuns(log: Log, topic: string, records: readonly NewRecord[], placed: { partition: number; offset: number }[]): Promise<void> {
  let start = 0;
  while (start < records.length) {
    const partition = placed[start]!.partition;
    let end = start + 1;
    while (end < records.length && placed[end]!.partition === partition) end++;
    const first = await log.append(topic, partition, start === 0 && end === records.length ? records : records.slice(start, end));
    for (let j = start; j < end; j++) placed[j]!.offset = first + (j - start);
    start = end;
  }
}

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  readonly compacted: boolean;
}

/**
 * The log Sluice's queries read and write: named topics of N partitions, each an
 * append-only sequence of records with dense offsets from 0, plus committed
 * positions per consumer group. The embedded implementations (memory, file) and
 * the Kafka one (kafkajs) all sit behind this interface; every method may
 * complete asynchronously.
 */
export interface Log {
  /**
   * `retentionMs`: how long records are kept (Kafka's retention.ms); `replicas`:
   * the replication factor. Embedded logs keep everything on one machine.
   */
  createTopic(
    name: string,
    partitions: number,
    options?: { readonly compacted?: boolean; readonly retentionMs?: number; readonly replicas?: number },
  ): Promise<void>;
  topic(name: string): Promise<TopicInfo | undefined>;
  listTopics(): Promise<readonly TopicInfo[]>;
  deleteTopic(name: string): Promise<void>;
  /** Appends records to one partition; resolves with the offset of the first. */
  append(topic: string, partition: number, records: readonly NewRecord[]): Promise<number>;
  /** Up to `max` records from `offset` on (fewer or none at the end). */
  read(topic: string, partition: number, offset: number, max: number): Promise<readonly LogRecord[]>;
  /** Offset the next appended record will get. */
  endOffset(topic: string, partition: number): Promise<number>;
  commit(group: string, topic: string, partition: number, offset: number): Promise<void>;
  /**
   * Drops the records at and after `offset` in one partition: how an embedded
   * query undoes sink writes it had not committed before a crash. Logs that cannot
   * (Kafka) leave it undefined and rely on transactions instead.
   */
  truncate?(topic: string, partition: number, offset: number): Promise<void>;
  committed(group: string, topic: string, partition: number): Promise<number | undefined>;
  /** Called after records are appended to any topic. Returns an unsubscribe function. */
  onAppend(listener: (topic: string) => void): () => void;
  close(): Promise<void>;
}
