import type { Producer } from 'kafkajs';
import { ExecutionError } from '../../common/errors.js';
import { bounded, isFenced, messageChunks } from './kafka-util.js';
import { partitionRuns, type TopicRecord } from './log.js';

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
    private readonly producer: Producer,
    readonly transactionalId: string,
    private readonly notify: (topic: string) => void,
    private readonly groupId: (group: string) => string,
  ) {}

  /** Commits records and offsets atomically; resolves with the highest base offset written per `topic\u0000partition`. */
  async commit(records: readonly TopicRecord[], offsets: readonly TransactionOffset[]): Promise<Map<string, number>> {
    const bases = new Map<string, number>();
    const tx = await this.producer.transaction();
    try {
      // One send per topic/partition run and ~512 KiB, in order.
      for (const run of partitionRuns(records)) {
        for (const messages of messageChunks(run.records, run.partition)) {
          const meta = await tx.send({ topic: run.topic, acks: -1, messages });
          const base = Number(meta[0]?.baseOffset ?? -1);
          const k = `${run.topic}\u0000${run.partition}`;
          if (base > (bases.get(k) ?? -1)) bases.set(k, base);
        }
      }
      const byGroup = new Map<string, Map<string, { partition: number; offset: string }[]>>();
      for (const o of offsets) {
        const g = byGroup.get(o.group) ?? new Map<string, { partition: number; offset: string }[]>();
        byGroup.set(o.group, g);
        const parts = g.get(o.topic) ?? [];
        g.set(o.topic, parts);
        parts.push({ partition: o.partition, offset: String(o.offset) });
      }
      for (const [group, topics] of byGroup) {
        await tx.sendOffsets({ consumerGroupId: this.groupId(group), topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) });
      }
      await tx.commit();
    } catch (e) {
      await tx.abort().catch(() => undefined);
      if (isFenced(e))
        throw new ProducerFencedError(
          `Transactional producer '${this.transactionalId}' was fenced: another server took its partition over (${(e as Error).message})`,
        );
      throw new ExecutionError(`Kafka transaction of '${this.transactionalId}' failed: ${(e as Error).message}`);
    }
    for (const k of bases.keys()) this.notify(k.slice(0, k.indexOf('\u0000')));
    return bases;
  }

  async close(): Promise<void> {
    await bounded(this.producer.disconnect());
  }
}

/** A transactional producer lost its transactional id to a newer producer. */
export class ProducerFencedError extends ExecutionError {}
