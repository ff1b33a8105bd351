import { ExecutionError, LimitError } from '../../common/errors.js';

/** Default of {@link MemoryLog.maxPartitions} (server property `sluice.embedded.max.partitions`). */
export const DEFAULT_MAX_PARTITIONS = 1000;

/** Refuses a new topic of more partitions than the embedded log allows: each one costs memory and files. */
export function checkPartitionCount(name: string, partitions: number, max: number): void {
  if (partitions > max) {
    throw new LimitError(
      `Cannot create topic '${name}' with ${partitions} partitions: the embedded log allows at most ${max} (server property sluice.embedded.max.partitions).`,
    );
  }
}
import { ArrayStore, type PartitionStore } from './chunk-store.js';
import type { Log, LogRecord, NewRecord, TopicInfo } from './log.js';

interface MemTopic {
  info: TopicInfo;
  partitions: PartitionStore[];
}

/**
 * The log held in memory: for tests and `sluice test`. Also the in-memory core
 * of the file-backed log, which persists what it appends and keeps its
 * partitions as compact bytes (see {@link newPartition}).
 */
export class MemoryLog implements Log {
  protected readonly topics = new Map<string, MemTopic>();
  protected readonly offsets = new Map<string, number>();
  private readonly listeners = new Set<(topic: string) => void>();
  /** Most partitions a new topic may have (topics loaded from disk are not checked). */
  maxPartitions = DEFAULT_MAX_PARTITIONS;

  async createTopic(name: string, partitions: number, options?: { compacted?: boolean }): Promise<void> {
    if (!this.topics.has(name)) checkPartitionCount(name, partitions, this.maxPartitions);
    this.createTopicSync(name, partitions, options?.compacted ?? false);
  }

  protected createTopicSync(name: string, partitions: number, compacted: boolean): void {
    if (this.topics.has(name)) return;
    if (!Number.isInteger(partitions) || partitions < 1) throw new ExecutionError(`Invalid partition count for topic '${name}': ${partitions}`);
    this.topics.set(name, {
      info: { name, partitions, compacted },
      partitions: Array.from({ length: partitions }, (_, p) => this.newPartition(name, p)),
    });
  }

  /** Storage for partition `partition` of `topic`: here the appended objects as they are. */
  protected newPartition(_topic: string, _partition: number): PartitionStore {
    return new ArrayStore();
  }

  async topic(name: string): Promise<TopicInfo | undefined> {
    return this.topics.get(name)?.info;
  }

  async listTopics(): Promise<readonly TopicInfo[]> {
    return [...this.topics.values()].map((t) => t.info);
  }

  async deleteTopic(name: string): Promise<void> {
    this.topics.delete(name);
  }

  async append(topic: string, partition: number, records: readonly NewRecord[]): Promise<number> {
    return this.appendSync(topic, partition, records);
  }

  protected appendSync(topic: string, partition: number, records: readonly NewRecord[]): number {
    const p = this.partition(topic, partition);
    const first = p.length;
    if (records.length > 0) {
      p.append(records);
      this.notify(topic);
    }
    return first;
  }

  /** Tells the append listeners that `topic` got records. */
  protected notify(topic: string): void {
    for (const l of this.listeners) l(topic);
  }

  async read(topic: string, partition: number, offset: number, max: number): Promise<readonly LogRecord[]> {
    return this.partition(topic, partition).read(offset, max);
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    return this.partition(topic, partition).length;
  }

  async truncate(topic: string, partition: number, offset: number): Promise<void> {
    this.truncateSync(topic, partition, offset);
  }

  protected truncateSync(topic: string, partition: number, offset: number): void {
    this.partition(topic, partition).truncate(offset);
  }

  async commit(group: string, topic: string, partition: number, offset: number): Promise<void> {
    this.offsets.set(`${group}\u0000${topic}\u0000${partition}`, offset);
  }

  async committed(group: string, topic: string, partition: number): Promise<number | undefined> {
    return this.offsets.get(`${group}\u0000${topic}\u0000${partition}`);
  }

  onAppend(listener: (topic: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {}

  protected partition(topic: string, partition: number): PartitionStore {
    const t = this.topics.get(topic);
    if (!t) throw new ExecutionError(`Topic '${topic}' does not exist`);
    const p = t.partitions[partition];
    if (!p) throw new ExecutionError(`Topic '${topic}' has no partition ${partition}`);
    return p;
  }
}
