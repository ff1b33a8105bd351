/** The {@link KafkaClient} on kafkajs 2.x: admin, consumers, transactions and the fallback producer (docs/kafka-client.md). */
import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type Message,
  type Producer,
  type RecordMetadata,
  type Transaction,
} from 'kafkajs';
import type {
  FetchedBatch,
  KafkaClient,
  KafkaConsumer,
  KafkaConsumerHandler,
  KafkaTransaction,
  KafkaTransactionalProducer,
  NewTopicSpec,
  PartitionBatch,
  PartitionOffset,
} from './kafka-client.js';
import { bounded } from './kafka-util.js';
import type { LogRecord, NewRecord, RecordHeader } from './log.js';
import { NO_HEADERS } from './segment.js';

/** How the client reaches the cluster and where it reports. */
export interface KafkajsClientOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly report: (level: 'error' | 'warn' | 'info', message: string) => void;
}

/** Producer settings shared by the idempotent and the transactional producer. */
const PRODUCER = {
  idempotent: true,
  // One request in flight: a failed request retried after a later one would reorder the partition.
  maxInFlightRequests: 1,
  // Sluice picks every record's partition itself (murmur2, as Java clients); this only silences kafkajs's v2 notice.
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
  // Unlimited retries (kafkajs warns that fewer break idempotence): while the cluster is away, appends
  // wait and the queries resume when it is back. Fencing is not retried.
  retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 10_000 },
} as const;

/** {@link KafkaClient} on kafkajs: one `Kafka` instance, its admin client and one idempotent producer. */
export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private readonly admin;
  private readonly producer: Producer;

  constructor(options: KafkajsClientOptions) {
    const report = options.report;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      connectionTimeout: 3_000,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const level = entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'info';
        const { message, ...rest } = entry.log;
        const extra = 'error' in rest ? ` (${String(rest.error)})` : '';
        report(level, `[${entry.namespace}] ${message}${extra}`);
      },
    });
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer(PRODUCER);
  }

  async connect(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async createTopic(spec: NewTopicSpec): Promise<void> {
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  }

  async partitionCounts(names: readonly string[]): Promise<{ name: string; partitions: number }[]> {
    const meta = await this.admin.fetchTopicMetadata({ topics: [...names] });
    return meta.topics.map((t) => ({ name: t.name, partitions: t.partitions.length }));
  }

  async deleteTopic(name: string, timeoutMs: number): Promise<void> {
    await this.admin.deleteTopics({ topics: [name], timeout: timeoutMs });
  }

  async endOffsets(topic: string): Promise<{ partition: number; high: number }[]> {
    return (await this.admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, high: Number(o.high) }));
  }

  async setGroupOffsets(groupId: string, topic: string, offsets: readonly PartitionOffset[]): Promise<void> {
    await this.admin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })) });
  }

  async groupOffsets(groupId: string, topic: string): Promise<PartitionOffset[]> {
    const res = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return (res[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset) }));
  }

  produce(batches: readonly PartitionBatch[]): Promise<number[]> {
    return sendBatches(this.producer, batches);
  }

  async transactionalProducer(transactionalId: string): Promise<KafkaTransactionalProducer> {
    const producer = this.kafka.producer({ ...PRODUCER, transactionalId, transactionTimeout: 30_000 });
    try {
      await producer.connect();
    } catch (e) {
      await bounded(producer.disconnect());
      throw e;
    }
    return {
      begin: async () => new KafkajsTransaction(await producer.transaction()),
      close: () => bounded(producer.disconnect()),
    };
  }

  consumer(groupId: string): KafkaConsumer {
    return new KafkajsConsumer(
      this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: 30_000, heartbeatInterval: 3_000 }),
    );
  }

  async close(): Promise<void> {
    // A client that lost the cluster once can hang in disconnect: both at once, for 2 s at most.
    await Promise.all([bounded(this.producer.disconnect()), bounded(this.admin.disconnect())]);
  }

  isRetriable(e: unknown): boolean {
    for (let x = e as Wrapped | undefined, depth = 0; x && depth < 5; depth++) {
      if (x.retriable === true || (typeof x.name === 'string' && TRANSIENT.has(x.name))) return true;
      x = (x.cause ?? x.originalError) as Wrapped | undefined;
    }
    return false;
  }

  isUnknownTopic(e: unknown): boolean {
    for (let x = e as Wrapped | undefined, depth = 0; x && depth < 5; depth++) {
      if (x.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
      x = (x.cause ?? x.originalError) as Wrapped | undefined;
    }
    return false;
  }

  isFenced(e: unknown): boolean {
    for (let x = e as Wrapped | undefined, depth = 0; x && depth < 5; depth++) {
      const text = `${String(x.type ?? '')} ${String(x.message ?? '')}`;
      if (/FENCED|INVALID_PRODUCER_EPOCH|producer.*epoch|fenced/i.test(text)) return true;
      x = (x.cause ?? x.originalError) as Wrapped | undefined;
    }
    return false;
  }
}

/** The fields of a kafkajs error (or an error it wraps) that classify it. */
interface Wrapped {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly message?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
}

/** kafkajs errors about reaching the cluster: worth retrying. */
const TRANSIENT: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);

class KafkajsTransaction implements KafkaTransaction {
  constructor(private readonly tx: Transaction) {}

  produce(batches: readonly PartitionBatch[]): Promise<number[]> {
    return sendBatches(this.tx, batches);
  }

  async sendOffsets(groupId: string, offsets: readonly { readonly topic: string; readonly offsets: readonly PartitionOffset[] }[]): Promise<void> {
    await this.tx.sendOffsets({
      consumerGroupId: groupId,
      topics: offsets.map((t) => ({ topic: t.topic, partitions: t.offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })) })),
    });
  }

  commit(): Promise<void> {
    return this.tx.commit();
  }

  abort(): Promise<void> {
    return this.tx.abort();
  }
}

/** One produce request with every batch (acks=all); each batch's base offset, in order. */
async function sendBatches(producer: Pick<Producer, 'send' | 'sendBatch'>, batches: readonly PartitionBatch[]): Promise<number[]> {
  if (batches.length === 1) {
    const b = batches[0]!;
    const meta = await producer.send({ topic: b.topic, acks: -1, messages: toMessages(b) });
    return [Number(meta[0]?.baseOffset ?? -1)];
  }
  // kafkajs keys a request's topics by name: one entry per topic, its partitions' messages together.
  const byTopic = new Map<string, Message[]>();
  for (const b of batches) {
    const messages = byTopic.get(b.topic);
    if (messages === undefined) byTopic.set(b.topic, toMessages(b));
    else for (const m of toMessages(b)) messages.push(m);
  }
  const meta: RecordMetadata[] = await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  return batches.map((b) => Number(meta.find((m) => m.topicName === b.topic && m.partition === b.partition)?.baseOffset ?? -1));
}

function toMessages(b: PartitionBatch): Message[] {
  const out: Message[] = new Array(b.records.length);
  for (let i = 0; i < b.records.length; i++) {
    const r = b.records[i]!;
    out[i] = { key: r.key, value: r.value, timestamp: String(Math.trunc(r.timestamp)), partition: b.partition, headers: toKafkaHeaders(r.headers) };
  }
  return out;
}

function toKafkaHeaders(headers: NewRecord['headers']): IHeaders | undefined {
  if (!headers || headers.length === 0) return undefined;
  const out: IHeaders = {};
  for (const h of headers) {
    const v = h.value ?? Buffer.alloc(0);
    const prev = out[h.key];
    if (prev === undefined) out[h.key] = v;
    else out[h.key] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** A kafkajs consumer (read_committed, no commits) handing fetched batches to one {@link KafkaConsumerHandler}. */
class KafkajsConsumer implements KafkaConsumer {
  private topic = '';

  constructor(private readonly consumer: Consumer) {}

  async run(topic: string, handler: KafkaConsumerHandler): Promise<void> {
    this.topic = topic;
    const c = this.consumer;
    c.on(c.events.GROUP_JOIN, () => handler.onJoin());
    // Batches that held only transaction markers or aborted records never reach eachBatch, but their
    // offsets are consumed: report them, or a read there would wait for records that never come.
    c.on(c.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize > 0) return;
      handler.onBatch({ partition: payload.partition, records: [], lastOffset: Number(payload.lastOffset), highWatermark: -1 });
    });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, isStale }) => {
        if (isStale()) return;
        const msgs = batch.messages;
        const records: LogRecord[] = new Array(msgs.length);
        for (let i = 0; i < msgs.length; i++) records[i] = toLogRecord(msgs[i]!);
        const fetched: FetchedBatch = {
          partition: batch.partition,
          records,
          lastOffset: batch.isEmpty() ? -1 : Number(batch.lastOffset()),
          highWatermark: Number(batch.highWatermark),
        };
        handler.onBatch(fetched);
      },
    });
  }

  seek(partition: number, offset: number): void {
    this.consumer.seek({ topic: this.topic, partition, offset: String(offset) });
  }

  pause(partition: number): void {
    this.consumer.pause([{ topic: this.topic, partitions: [partition] }]);
  }

  resume(partition: number): void {
    this.consumer.resume([{ topic: this.topic, partitions: [partition] }]);
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function toLogRecord(m: KafkaMessage): LogRecord {
  return { key: m.key, value: m.value, timestamp: Number(m.timestamp), headers: toHeaders(m.headers), offset: Number(m.offset) };
}

function toHeaders(h: KafkaMessage['headers']): readonly RecordHeader[] {
  if (h === undefined) return NO_HEADERS;
  const out: RecordHeader[] = [];
  for (const key of Object.keys(h)) {
    const v = h[key];
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) out.push({ key, value: x === undefined ? null : typeof x === 'string' ? Buffer.from(x) : x });
  }
  return out.length === 0 ? NO_HEADERS : out;
}
