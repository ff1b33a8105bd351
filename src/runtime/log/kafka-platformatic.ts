/**
 * A {@link KafkaClient} whose idempotent `produce` is `@platformatic/kafka`'s
 * (about a third of kafkajs's CPU per record: docs/kafka-client.md), everything else
 * (admin, consumers, transactions) kafkajs's through {@link KafkajsClient}.
 *
 * platformatic 1.22 writes a null key, value or header value as an empty one (it has
 * no encoding for Kafka's null), so a request holding a null key or value goes
 * through kafkajs's idempotent producer instead. A null header value is written
 * empty by both (kafkajs's path always did so). The two producers never have
 * a request in flight at the same time: requests are sent one after the other, each
 * once the one before it is acknowledged, so every partition's records land in the
 * order sent whichever producer carries them.
 */
import { Producer, type MessageToProduce } from '@platformatic/kafka';
import type { PartitionBatch } from './kafka-client.js';
import { KafkajsClient, type KafkajsClientOptions } from './kafka-kafkajs.js';

/** The producer's settings: idempotent implies acks=all, one request in flight per connection and unlimited retries. */
function producerOptions(options: KafkajsClientOptions) {
  return {
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    idempotent: true,
    autocreateTopics: false,
    connectTimeout: 3_000,
    timeout: 30_000,
    retryDelay: 500,
  } as const;
}

/** {@link KafkajsClient} with `produce` sent through a platformatic idempotent producer. */
export class PlatformaticProducerClient extends KafkajsClient {
  private readonly producerSettings: ReturnType<typeof producerOptions>;
  private plat: Producer<Buffer, Buffer, Buffer, Buffer> | undefined;
  /** The last request's settlement: the next request waits for it (one request in flight). */
  private tail: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(options: KafkajsClientOptions) {
    super(options);
    this.producerSettings = producerOptions(options);
  }

  override produce(batches: readonly PartitionBatch[]): Promise<number[]> {
    const sent = this.tail.then(() => (hasNull(batches) ? super.produce(batches) : this.send(batches)));
    this.tail = sent.catch(() => undefined);
    return sent;
  }

  private async send(batches: readonly PartitionBatch[]): Promise<number[]> {
    if (this.closing) throw new Error('The Kafka client is closed');
    this.plat ??= new Producer<Buffer, Buffer, Buffer, Buffer>({ ...this.producerSettings, bootstrapBrokers: [...this.producerSettings.bootstrapBrokers] });
    const producer = this.plat;
    try {
      const result = await producer.send({ messages: toMessages(batches), acks: -1 });
      const offsets = result.offsets ?? [];
      return batches.map((b) => {
        const o = offsets.find((x) => x.topic === b.topic && x.partition === b.partition);
        return o === undefined ? -1 : Number(o.offset);
      });
    } catch (e) {
      // The producer's sequence numbers are unsure after a failed request: the next request starts a new
      // producer (a new producer id), so the broker cannot take it for a duplicate of this one.
      if (this.plat === producer) this.plat = undefined;
      void producer.close().catch(() => undefined);
      throw e;
    }
  }

  override async close(): Promise<void> {
    this.closing = true;
    const producer = this.plat;
    this.plat = undefined;
    await Promise.all([super.close(), producer?.close().catch(() => undefined)]);
  }

  override isRetriable(e: unknown): boolean {
    return super.isRetriable(e) || findPlatformatic(e, (x) => x.code === 'PLT_KFK_NETWORK' || x.canRetry === true);
  }

  override isUnknownTopic(e: unknown): boolean {
    return super.isUnknownTopic(e) || findPlatformatic(e, (x) => x.apiId === 'UNKNOWN_TOPIC_OR_PARTITION');
  }

  override isFenced(e: unknown): boolean {
    return super.isFenced(e) || findPlatformatic(e, (x) => x.apiId === 'PRODUCER_FENCED' || x.apiId === 'INVALID_PRODUCER_EPOCH');
  }
}

/** The fields of a platformatic error (`GenericError`, `MultipleErrors`) that classify it. */
interface PlatformaticError {
  readonly code?: unknown;
  readonly apiId?: unknown;
  readonly canRetry?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
}

/** Whether `e`, an error it aggregates (`errors`) or one it wraps (`cause`) satisfies `test`. */
function findPlatformatic(e: unknown, test: (x: PlatformaticError) => boolean, depth = 0): boolean {
  if (e === null || typeof e !== 'object' || depth > 5) return false;
  const x = e as PlatformaticError;
  if (test(x)) return true;
  if (Array.isArray(x.errors)) for (const inner of x.errors) if (findPlatformatic(inner, test, depth + 1)) return true;
  return findPlatformatic(x.cause, test, depth + 1);
}

const EMPTY = Buffer.alloc(0);

/** Whether a request holds a record platformatic cannot write as it is: a null key or value. */
function hasNull(batches: readonly PartitionBatch[]): boolean {
  for (const b of batches) {
    const records = b.records;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.key === null || r.value === null) return true;
    }
  }
  return false;
}

function toMessages(batches: readonly PartitionBatch[]): MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] {
  let n = 0;
  for (const b of batches) n += b.records.length;
  const out: MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] = new Array(n);
  let j = 0;
  let lastHeaders: PartitionBatch['records'][number]['headers'];
  let lastMap: Map<Buffer, Buffer> | undefined;
  for (const b of batches) {
    const { topic, partition, records } = b;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const m: MessageToProduce<Buffer, Buffer, Buffer, Buffer> = {
        topic,
        partition,
        key: r.key as Buffer,
        value: r.value as Buffer,
        timestamp: BigInt(Math.trunc(r.timestamp)),
      };
      if (r.headers !== undefined && r.headers.length > 0) {
        // Records of one batch share their headers array (a changelog's epoch): encode it once.
        if (r.headers !== lastHeaders) {
          lastHeaders = r.headers;
          // A null header value is written empty, as the kafkajs path has always done.
          lastMap = new Map(r.headers.map((h) => [Buffer.from(h.key), h.value ?? EMPTY]));
        }
        m.headers = lastMap;
      }
      out[j++] = m;
    }
  }
  return out;
}
