import { ExecutionError } from '../../common/errors.js';
import type { KafkaClient, KafkaTransactionalProducer, PartitionOffset } from './kafka-client.js';
import { partitionBatches, produceRounds } from './kafka-util.js';
import type { TopicRecord } from './log.js';

/** A position committed with a transaction (Kafka's sendOffsets): `group` as the engine names it. */
export interface TransactionOffset {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * One transactional producer: each {@link commit} writes its records and group
 * offsets in one Kafka transaction, visible to read_committed consumers (Sluice's
 * readers are) only once committed. A fenced producer (another with its
 * transactional id started) fails with {@link ProducerFencedError}.
 */
export class TransactionalWriter {
  constructor(
    private readonly producer: KafkaTransactionalProducer,
    private readonly client: Pick<KafkaClient, 'isFenced'>,
    readonly transactionalId: string,
    private readonly notify: (topic: string) => void,
    private readonly groupId: (group: string) => string,
  ) {}

  /** Commits records and offsets atomically; resolves with the highest base offset written per `topic\u0000partition`. */
  async commit(records: readonly TopicRecord[], offsets: readonly TransactionOffset[]): Promise<Map<string, number>> {
    const bases = new Map<string, number>();
    const tx = await this.producer.begin();
    try {
      // The transaction makes the batch atomic, so every partition's records share the requests
      // (one per ~1,000 records of the largest partition), each partition's in order.
      const batches = partitionBatches(records);
      const { lastBase } = await produceRounds(batches, (request) => tx.produce(request));
      for (let i = 0; i < batches.length; i++) bases.set(`${batches[i]!.topic}\u0000${batches[i]!.partition}`, lastBase[i]!);
      const byGroup = new Map<string, Map<string, PartitionOffset[]>>();
      for (const o of offsets) {
        const g = byGroup.get(o.group) ?? new Map<string, PartitionOffset[]>();
        byGroup.set(o.group, g);
        const parts = g.get(o.topic) ?? [];
        g.set(o.topic, parts);
        parts.push({ partition: o.partition, offset: o.offset });
      }
      for (const [group, topics] of byGroup) {
        await tx.sendOffsets(
          this.groupId(group),
          [...topics].map(([topic, parts]) => ({ topic, offsets: parts })),
        );
      }
      await tx.commit();
    } catch (e) {
      await tx.abort().catch(() => undefined);
      if (this.client.isFenced(e))
        throw new ProducerFencedError(
          `Transactional producer '${this.transactionalId}' was fenced: another server took its partition over (${(e as Error).message})`,
        );
      throw new ExecutionError(`Kafka transaction of '${this.transactionalId}' failed: ${(e as Error).message}`);
    }
    for (const k of bases.keys()) this.notify(k.slice(0, k.indexOf('\u0000')));
    return bases;
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}

/** A transactional producer lost its transactional id to a newer producer. */
export class ProducerFencedError extends ExecutionError {}
