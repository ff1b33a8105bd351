import { randomUUID } from 'node:crypto';
import { ExecutionError } from '../../common/errors.js';
import type { KafkaClient } from './kafka-client.js';
import { KafkajsClient } from './kafka-kafkajs.js';
import { PlatformaticProducerClient } from './kafka-platformatic.js';
import { TopicReader } from './kafka-reader.js';
import { TransactionalWriter } from './kafka-transactions.js';
import { bounded, partitionBatches, produceRounds } from './kafka-util.js';
import type { Log, LogRecord, NewRecord, TopicInfo, TopicRecord } from './log.js';

/** How long requests keep retrying while the cluster is unreachable before the operation fails. */
const UNAVAILABLE_LIMIT_MS = 5 * 60_000;

/** How often positions are written to the cluster's consumer groups. */
const COMMIT_INTERVAL_MS = 5_000;

/** How to reach the cluster and name Sluice's groups on it. */
export interface KafkaLogOptions {
  /** `host:port` list, as `--bootstrap-servers` gives it. */
  readonly brokers: readonly string[];
  /** ksqlDB's `ksql.service.id`: prefixes consumer groups and internal topics. */
  readonly serviceId: string;
  /** Replication factor of topics Sluice creates without REPLICAS (default 1). */
  readonly replicationFactor?: number;
  /** How long {@link KafkaLog.connect} keeps retrying while no broker answers (default 5 minutes). */
  readonly startupTimeoutMs?: number;
  /** Where client problems are reported (default stderr, warnings and errors only). */
  readonly onLog?: (level: 'error' | 'warn' | 'info', message: string) => void;
}

/**
 * The {@link Log} on a real Kafka cluster through a {@link KafkaClient} (kafkajs). Topics are Kafka topics;
 * appends go through one idempotent producer (acks=all) to the partition the
 * engine chose; reads come from a {@link TopicReader} per topic; committed
 * positions are consumer-group offsets (`_sluice-<service>-<group>`), visible to
 * Kafka's own tools. There is no truncate: Kafka keeps what was written.
 */
export class KafkaLog implements Log {
  private readonly client: KafkaClient;
  private readonly readers = new Map<string, TopicReader>();
  private readonly infos = new Map<string, TopicInfo>();
  private readonly listeners = new Set<(topic: string) => void>();
  /** Topics this server deleted (until created again). */
  private readonly deleted = new Set<string>();
  private readonly instance = randomUUID().slice(0, 8);
  private readonly report: (level: 'error' | 'warn' | 'info', message: string) => void;
  private closed = false;
  /** Positions to write to the cluster's groups, latest per group/topic/partition. */
  private readonly pendingCommits = new Map<string, { group: string; topic: string; partition: number; offset: number }>();
  private commitTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: KafkaLogOptions) {
    const report = options.onLog ?? ((level, message) => console.error(`kafka ${level}: ${message}`));
    this.report = report;
    const clientOptions = { clientId: `sluice-${options.serviceId}`, brokers: options.brokers, report };
    // At-least-once appends go through @platformatic/kafka's producer (docs/kafka-client.md); SLUICE_KAFKA_PRODUCER=kafkajs keeps kafkajs's.
    this.client = process.env.SLUICE_KAFKA_PRODUCER === 'kafkajs' ? new KafkajsClient(clientOptions) : new PlatformaticProducerClient(clientOptions);
  }

  /**
   * Connects to the cluster (admin and producer). While no broker answers it logs
   * and retries with backoff, for `startupTimeoutMs` (default 5 minutes), then
   * fails naming the brokers.
   */
  static async connect(options: KafkaLogOptions): Promise<KafkaLog> {
    const limit = options.startupTimeoutMs ?? UNAVAILABLE_LIMIT_MS;
    const started = Date.now();
    let delay = 500;
    for (let attempt = 1; ; attempt++) {
      const log = new KafkaLog(options);
      try {
        await log.client.connect();
        if (attempt > 1) log.report('info', `Connected to Kafka at ${options.brokers.join(',')} after ${attempt} attempts`);
        return log;
      } catch (e) {
        await log.close().catch(() => undefined);
        const message = `Could not connect to Kafka at ${options.brokers.join(',')}: ${(e as Error).message}`;
        if (Date.now() - started + delay > limit) throw new ExecutionError(message);
        log.report('warn', `${message} (attempt ${attempt}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  /** The consumer group that holds `group`'s committed positions on the cluster. */
  groupId(group: string): string {
    return `_sluice-${this.options.serviceId}-${group}`;
  }

  async createTopic(
    name: string,
    partitions: number,
    options?: { readonly compacted?: boolean; readonly retentionMs?: number; readonly replicas?: number },
  ): Promise<void> {
    this.deleted.delete(name);
    if (await this.topic(name)) return;
    try {
      // A cluster still starting answers with retriable errors (no controller, leaders not elected yet): wait for it.
      await this.retrying(
        `creating topic '${name}'`,
        () =>
          this.client.createTopic({
            name,
            partitions,
            replicationFactor: options?.replicas ?? this.options.replicationFactor ?? 1,
            configs: {
              ...(options?.compacted ? { 'cleanup.policy': 'compact' } : {}),
              // Retention applies to closed segments: roll them often enough for it to matter.
              ...(options?.retentionMs !== undefined
                ? { 'retention.ms': String(options.retentionMs), 'segment.ms': String(Math.max(60_000, Math.floor(options.retentionMs / 4))) }
                : {}),
            },
          }),
        (e) => this.client.isRetriable(e),
      );
    } catch (e) {
      throw new ExecutionError(`Could not create Kafka topic '${name}': ${(e as Error).message}`);
    }
    // A cluster still loading can answer a metadata request without the topic for a while after creating it.
    await this.retrying(
      `waiting for the new topic '${name}' to be listed`,
      async () => {
        this.infos.delete(name);
        if (!(await this.topic(name))) throw new ExecutionError(`Kafka topic '${name}' was created but is not visible`);
      },
      () => true,
    );
  }

  async topic(name: string): Promise<TopicInfo | undefined> {
    const known = this.infos.get(name);
    if (known) return known;
    const names = await this.retrying('listing topics', () => this.client.listTopics());
    if (!names.includes(name)) return undefined;
    await this.describe([name]);
    return this.infos.get(name);
  }

  async listTopics(): Promise<readonly TopicInfo[]> {
    const names = (await this.retrying('listing topics', () => this.client.listTopics())).filter((n) => !n.startsWith('__')).sort();
    await this.describe(names.filter((n) => !this.infos.has(n)));
    const out: TopicInfo[] = [];
    for (const n of names) {
      const info = this.infos.get(n);
      if (info) out.push(info);
    }
    return out;
  }

  /** Reads the partition counts of existing topics in one metadata request and remembers them. */
  private async describe(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const counts = await this.retrying(`reading the metadata of ${names.map((n) => `'${n}'`).join(', ')}`, () => this.client.partitionCounts(names));
    for (const t of counts) this.infos.set(t.name, { name: t.name, partitions: t.partitions, compacted: false });
  }

  async deleteTopic(name: string): Promise<void> {
    this.deleted.add(name);
    const reader = this.readers.get(name);
    this.readers.delete(name);
    await reader?.close();
    this.infos.delete(name);
    // Another server of the service may have deleted it already (both run the DROP).
    if (!(await this.retrying('listing topics', () => this.client.listTopics())).includes(name)) return;
    try {
      await this.client.deleteTopic(name, 10_000);
    } catch (e) {
      if (!this.client.isUnknownTopic(e)) throw new ExecutionError(`Could not delete Kafka topic '${name}': ${(e as Error).message}`);
    }
  }

  async append(topic: string, partition: number, records: readonly NewRecord[]): Promise<number> {
    if (records.length === 0) return this.endOffset(topic, partition);
    let first: number;
    try {
      ({
        first: [first = -1],
      } = await produceRounds([{ topic, partition, records }], (request) => this.client.produce(request)));
    } catch (e) {
      throw new ExecutionError(`Could not write to Kafka topic '${topic}' partition ${partition}: ${(e as Error).message}`);
    }
    // A read of what this process just wrote waits for it (it may not have been fetched yet).
    this.readers.get(topic)?.heard(partition, first + records.length);
    this.notify(topic);
    return first;
  }

  /**
   * Appends records bound for several topic partitions, sharing produce requests
   * (request r carries about the r-th 1,000 records of every partition): each
   * partition's records land in order, but with no order across partitions, and a
   * failure may leave some partitions written and others not. Resolves with the
   * first offset written per `topic\u0000partition`.
   */
  async appendAll(records: readonly TopicRecord[]): Promise<Map<string, number>> {
    const batches = partitionBatches(records);
    const out = new Map<string, number>();
    if (batches.length === 0) return out;
    let first: number[];
    try {
      ({ first } = await produceRounds(batches, (request) => this.client.produce(request)));
    } catch (e) {
      const where = batches.map((b) => `'${b.topic}' partition ${b.partition}`).join(', ');
      throw new ExecutionError(`Could not write to Kafka topic ${where}: ${(e as Error).message}`);
    }
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      out.set(`${b.topic}\u0000${b.partition}`, first[i]!);
      this.readers.get(b.topic)?.heard(b.partition, first[i]! + b.records.length);
    }
    for (const b of batches) this.notify(b.topic);
    return out;
  }

  read(topic: string, partition: number, offset: number, max: number): Promise<readonly LogRecord[]> {
    // A topic this server deleted has nothing to read (a query still finishing its step must not start a consumer on it).
    if (this.deleted.has(topic)) return Promise.resolve([]);
    let reader = this.readers.get(topic);
    if (reader === undefined) {
      reader = new TopicReader(
        this.client,
        topic,
        this.groupId(`reader-${this.instance}-${topic}`),
        (t) => this.notify(t),
        (p) => this.endOffset(topic, p),
      );
      this.readers.set(topic, reader);
    }
    return reader.read(partition, offset, max);
  }

  /**
   * A transactional producer for `transactionalId` (exactly_once_v2): connecting
   * fences any earlier producer with the same id and aborts its open transaction.
   */
  async transactionalWriter(transactionalId: string): Promise<TransactionalWriter> {
    let producer;
    try {
      producer = await this.client.transactionalProducer(transactionalId);
    } catch (e) {
      throw new ExecutionError(`Could not start the transactional producer '${transactionalId}': ${(e as Error).message}`);
    }
    return new TransactionalWriter(
      producer,
      this.client,
      transactionalId,
      (t) => this.notify(t),
      (g) => this.groupId(g),
    );
  }

  /** See {@link TopicReader.fetchedUpTo}: how far reads of a partition have got, gaps included (-1: not read). */
  fetchedUpTo(topic: string, partition: number): number {
    return this.readers.get(topic)?.fetchedUpTo(partition) ?? -1;
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    const offsets = await this.retrying(`reading the end offsets of '${topic}'`, () => this.client.endOffsets(topic));
    return offsets.find((o) => o.partition === partition)?.high ?? 0;
  }

  /**
   * Records a position in the cluster's consumer group, in the background: the
   * engine's own checkpoint (with the state, in the data directory) is what queries
   * resume from, so the group offsets (for Kafka's tools, and servers without local
   * state) are written at most every few seconds and a failure is reported, not fatal.
   */
  async commit(group: string, topic: string, partition: number, offset: number): Promise<void> {
    this.pendingCommits.set(`${group}\u0000${topic}\u0000${partition}`, { group, topic, partition, offset });
    this.commitTimer ??= setTimeout(() => void this.writeCommits(), COMMIT_INTERVAL_MS);
  }

  /** The write of positions in progress (one at a time: each joins the groups it writes). */
  private committing: Promise<void> = Promise.resolve();

  /** Writes the positions recorded since the last write, after any write still in progress. */
  private writeCommits(): Promise<void> {
    this.commitTimer = undefined;
    this.committing = this.committing.then(() => this.writePendingCommits());
    return this.committing;
  }

  private async writePendingCommits(): Promise<void> {
    // One request per group and topic: each briefly joins the group, so one at a time and as few as possible.
    const byGroupTopic = new Map<string, { group: string; topic: string; partitions: { partition: number; offset: number }[] }>();
    for (const c of this.pendingCommits.values()) {
      const k = `${c.group}\u0000${c.topic}`;
      let e = byGroupTopic.get(k);
      if (!e) byGroupTopic.set(k, (e = { group: c.group, topic: c.topic, partitions: [] }));
      e.partitions.push({ partition: c.partition, offset: c.offset });
    }
    this.pendingCommits.clear();
    for (const c of byGroupTopic.values()) {
      try {
        await this.client.setGroupOffsets(this.groupId(c.group), c.topic, c.partitions);
      } catch (e) {
        this.report('warn', `Could not record the offsets of ${c.topic} for group ${this.groupId(c.group)}: ${(e as Error).message}`);
      }
    }
  }

  async committed(group: string, topic: string, partition: number): Promise<number | undefined> {
    const res = await this.retrying(`reading committed offsets of ${this.groupId(group)}`, () => this.client.groupOffsets(this.groupId(group), topic));
    const n = res.find((x) => x.partition === partition)?.offset ?? -1;
    return n >= 0 ? n : undefined;
  }

  onAppend(listener: (topic: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.commitTimer) clearTimeout(this.commitTimer);
    await bounded(this.writeCommits());
    // A client that lost the cluster once can hang in disconnect: all disconnect at once, for 2 s at most.
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.all([...readers.map((r) => bounded(r.close())), this.client.close()]);
  }

  /**
   * Runs a cluster request until it succeeds: while the cluster is unreachable it
   * logs and retries with backoff (up to {@link UNAVAILABLE_LIMIT_MS}), so queries
   * pause and resume when the brokers are back instead of failing.
   */
  private async retrying<R>(what: string, f: () => Promise<R>, retry: (e: unknown) => boolean = (e) => !this.client.isUnknownTopic(e)): Promise<R> {
    const started = Date.now();
    let delay = 200;
    for (let attempt = 1; ; attempt++) {
      try {
        return await f();
      } catch (e) {
        // By default everything but a missing topic (not an outage: waiting would not bring it back).
        if (this.closed || !retry(e) || Date.now() - started > UNAVAILABLE_LIMIT_MS)
          throw new ExecutionError(`Kafka request failed while ${what}: ${(e as Error).message}`);
        this.report('warn', `Kafka unavailable while ${what} (attempt ${attempt}): ${(e as Error).message}; retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private notify(topic: string): void {
    for (const l of this.listeners) l(topic);
  }
}
