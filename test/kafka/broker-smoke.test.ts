// The test broker itself: topics, keyed produce/consume with the Java client's partitioning, and data
// surviving a broker restart. If this fails, the other Kafka-mode tests cannot be trusted.
import { expect, it } from 'vitest';
import { partitionFor } from '../../src/runtime/log/murmur2.js';
import { consumeAll, createTopic, describeKafka, produce, restartBroker, topicPartitions, uniqueTopic } from './broker.js';

describeKafka('test broker', () => {
  it('partitions keyed records like the Java client, and keeps them across a restart', async () => {
    const topic = uniqueTopic('smoke');
    await createTopic(topic, 3);
    expect(await topicPartitions(topic)).toBe(3);

    const messages = Array.from({ length: 100 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));
    const acks = await produce(topic, messages);
    expect(acks.map((a) => a.partition).sort()).toEqual([0, 1, 2]);

    const consumed = await consumeAll(topic, 100);
    expect(consumed).toHaveLength(100);
    expect(new Set(consumed.map((m) => m.key)).size).toBe(100);
    for (const m of consumed) {
      expect(m.value).toBe(m.key!.replace('key-', 'value-'));
      // kafkajs' default partitioner and Sluice's murmur2 agree on every key ...
      expect(m.partition).toBe(partitionFor(Buffer.from(m.key!), 3));
    }
    // ... and both agree with the Java client: Utils.toPositive(Utils.murmur2(key)) % 3, computed with
    // kafka-clients 3.9.2.
    const javaPartition: Record<string, number> = { 'key-0': 1, 'key-1': 0, 'key-2': 2, 'key-3': 2, 'key-42': 0, 'key-99': 1 };
    for (const [key, partition] of Object.entries(javaPartition)) {
      expect(consumed.find((m) => m.key === key)!.partition).toBe(partition);
    }
    // All three partitions got records, in produce order within each partition.
    const perPartition = [0, 1, 2].map((p) => consumed.filter((m) => m.partition === p));
    for (const records of perPartition) {
      expect(records.length).toBeGreaterThan(0);
      const offsets = records.map((m) => Number(m.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
      const indexes = records.map((m) => Number(m.key!.slice('key-'.length)));
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    }

    await restartBroker();

    expect(await topicPartitions(topic)).toBe(3);
    const again = await consumeAll(topic, 100);
    expect(again).toHaveLength(100);
    const byKey = (ms: typeof consumed) => ms.map((m) => `${m.partition}/${m.offset}/${m.key}/${m.value}`).sort();
    expect(byKey(again)).toEqual(byKey(consumed));

    // The restarted broker accepts new writes after the old ones.
    await produce(topic, [{ key: 'key-0', value: 'after-restart' }]);
    const after = await consumeAll(topic, 101);
    const last = after.filter((m) => m.key === 'key-0').map((m) => m.value);
    expect(last).toEqual(['value-0', 'after-restart']);
  });
});
