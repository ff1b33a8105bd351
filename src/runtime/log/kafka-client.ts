/**
 * The seam between Sluice's Kafka log and the Kafka client library. {@link KafkaLog},
 * its {@link TopicReader}s and {@link TransactionalWriter}s use only these
 * interfaces; `kafka-kafkajs.ts` implements them on kafkajs, and `kafka-platformatic.ts`
 * replaces its idempotent `produce` with @platformatic/kafka's (docs/kafka-client.md
 * says why). Offsets are numbers, records are the log's
 * own {@link NewRecord}/{@link LogRecord}, errors are the library's (classified by
 * {@link KafkaClient.isRetriable} and friends).
 */
import type { LogRecord, NewRecord } from './log.js';

/** Records for one topic partition, at most one produce request's worth (see `messageChunks`). */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly NewRecord[];
}

/** A topic to create. */
export interface NewTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs (`cleanup.policy`, `retention.ms`, ...). */
  readonly configs: Readonly<Record<string, string>>;
}

/** A position of a consumer group in one partition. */
export interface PartitionOffset {
  readonly partition: number;
  readonly offset: number;
}

/**
 * One connection to a cluster: admin requests and the idempotent producer
 * (acks=all, unlimited retries, one request in flight, so a partition's records
 * land in the order sent).
 */
export interface KafkaClient {
  /** Connects the admin client and the producer; rejects when no broker answers. */
  connect(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Creates a topic and waits for its partitions' leaders. */
  createTopic(spec: NewTopicSpec): Promise<void>;
  /** Partition counts of existing topics, in one metadata request. */
  partitionCounts(names: readonly string[]): Promise<{ readonly name: string; readonly partitions: number }[]>;
  deleteTopic(name: string, timeoutMs: number): Promise<void>;
  /** Every partition's end offset (high watermark). */
  endOffsets(topic: string): Promise<{ readonly partition: number; readonly high: number }[]>;
  setGroupOffsets(groupId: string, topic: string, offsets: readonly PartitionOffset[]): Promise<void>;
  /** A group's committed offsets in `topic` (-1 where none). */
  groupOffsets(groupId: string, topic: string): Promise<PartitionOffset[]>;
  /**
   * Sends the batches in one produce request (each topic partition at most once)
   * through the idempotent producer; resolves with each batch's base offset, in
   * the order given.
   */
  produce(batches: readonly PartitionBatch[]): Promise<number[]>;
  /** Starts a transactional producer: fences any earlier one with the same id and aborts its open transaction. */
  transactionalProducer(transactionalId: string): Promise<KafkaTransactionalProducer>;
  /** A consumer in group `groupId` that never commits (positions are the engine's). */
  consumer(groupId: string): KafkaConsumer;
  close(): Promise<void>;
  /** Whether an error (or one it wraps) is about reaching the cluster, or the broker says to retry. */
  isRetriable(e: unknown): boolean;
  /** Whether an error says the topic or partition does not exist. */
  isUnknownTopic(e: unknown): boolean;
  /** Whether an error says a transactional producer was fenced by a newer one. */
  isFenced(e: unknown): boolean;
}

/** A transactional producer (exactly_once_v2): one transaction at a time. */
export interface KafkaTransactionalProducer {
  begin(): Promise<KafkaTransaction>;
  close(): Promise<void>;
}

/** One open transaction. */
export interface KafkaTransaction {
  /** As {@link KafkaClient.produce}, inside the transaction. */
  produce(batches: readonly PartitionBatch[]): Promise<number[]>;
  /** Commits `groupId`'s positions with the transaction (Kafka's sendOffsetsToTransaction). */
  sendOffsets(groupId: string, offsets: readonly { readonly topic: string; readonly offsets: readonly PartitionOffset[] }[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Fetched records of one partition, as a {@link KafkaConsumer} hands them over. */
export interface FetchedBatch {
  readonly partition: number;
  /** The batch's records that a read_committed consumer returns (markers and aborted records left out). */
  readonly records: readonly LogRecord[];
  /** Offset of the batch's last entry, markers included (-1 when unknown). */
  readonly lastOffset: number;
  readonly highWatermark: number;
}

/** What a {@link KafkaConsumer} calls while it runs. */
export interface KafkaConsumerHandler {
  /** Records arrived (a batch with none: only markers or aborted records, which move the position past them). */
  onBatch(batch: FetchedBatch): void;
  /** The consumer (re)joined its group: positions must be set again. */
  onJoin(): void;
}

/** A read_committed consumer of one topic, positioned by {@link seek} only. */
export interface KafkaConsumer {
  /** Connects, subscribes to `topic` and starts fetching. */
  run(topic: string, handler: KafkaConsumerHandler): Promise<void>;
  seek(partition: number, offset: number): void;
  pause(partition: number): void;
  resume(partition: number): void;
  close(): Promise<void>;
}
