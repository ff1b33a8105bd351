// KafkaLog's multi-partition writes against the real broker: appendAll (at-least-once batches:
// sink records and changelog entries sharing produce requests) and a transaction over several
// topics, read back by a plain read_committed consumer.
import { afterEach, expect, it } from 'vitest';
import { KafkaLog } from '../../src/runtime/log/kafka-log.js';
import type { TopicRecord } from '../../src/runtime/log/log.js';
import { eventually } from '../helpers/eventually.js';
import { createTopic, describeKafka, KAFKA_BROKER, readToEnd, uniqueTopic, type ConsumedMessage } from './broker.js';

const logs: KafkaLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
});

async function connect(): Promise<KafkaLog> {
  const log = await KafkaLog.connect({ brokers: [KAFKA_BROKER], serviceId: uniqueTopic('svc'), onLog: () => undefined });
  logs.push(log);
  return log;
}

/** Records of `topic` partition `partition`, values `<prefix>-<i>` for i < n, event time 1000 + i, interleaved later. */
const records = (topic: string, partition: number, prefix: string, n: number): TopicRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    topic,
    partition,
    record: { key: Buffer.from(`${prefix}${i % 7}`), value: Buffer.from(`${prefix}-${i}`), timestamp: 1_000 + i },
  }));

/** Interleaves several lists one element at a time (order within each list kept). */
function interleave<T>(...lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(...lists.map((l) => l.length)); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

const valuesOf = (msgs: readonly ConsumedMessage[], partition: number) => msgs.filter((m) => m.partition === partition).map((m) => m.value);

describeKafka('KafkaLog writes on Kafka', () => {
  it('appendAll writes every partition its records in order and returns each partition first offset', async () => {
    const log = await connect();
    const sink = uniqueTopic('sink');
    const changelog = uniqueTopic('changelog');
    await createTopic(sink, 2);
    await createTopic(changelog, 1);
    await log.append(changelog, 0, [{ key: Buffer.from('x'), value: Buffer.from('before'), timestamp: 1 }]);
    const s0 = records(sink, 0, 's0', 2_500);
    const s1 = records(sink, 1, 's1', 1_200);
    const c0 = records(changelog, 0, 'c0', 10);
    const firsts = await log.appendAll(interleave(s0, s1, c0));
    expect(Object.fromEntries(firsts)).toEqual({ [`${sink}\u00000`]: 0, [`${sink}\u00001`]: 0, [`${changelog}\u00000`]: 1 });

    const out = await readToEnd(sink);
    expect(valuesOf(out, 0)).toEqual(s0.map((r) => r.record.value!.toString()));
    expect(valuesOf(out, 1)).toEqual(s1.map((r) => r.record.value!.toString()));
    expect(out.filter((m) => m.partition === 0).map((m) => Number(m.timestamp))).toEqual(s0.map((r) => r.record.timestamp));
    expect(valuesOf(await readToEnd(changelog), 0)).toEqual(['before', ...c0.map((r) => r.record.value!.toString())]);
  });

  it('a transaction over several topics commits every record, each partition in order, with the group offsets', async () => {
    const log = await connect();
    const sink = uniqueTopic('tx-sink');
    const changelog = uniqueTopic('tx-changelog');
    await createTopic(sink, 1);
    await createTopic(changelog, 1);
    const writer = await log.transactionalWriter(uniqueTopic('txid'));
    try {
      const s = records(sink, 0, 's', 2_300);
      const c = records(changelog, 0, 'c', 1_100);
      const bases = await writer.commit(interleave(s, c), [{ group: 'q', topic: sink, partition: 0, offset: 42 }]);
      // The highest base offset per partition: that of its last request (1,000 records per request).
      expect(Object.fromEntries(bases)).toEqual({ [`${sink}\u00000`]: 2_000, [`${changelog}\u00000`]: 1_000 });
      // The commit's markers are written after EndTxn answers: read until a read_committed reader sees the records.
      const committed = (topic: string, n: number) =>
        eventually(`${n} committed records in ${topic}`, async () => {
          const values = valuesOf(await readToEnd(topic), 0);
          return values.length >= n && values;
        });
      expect(await committed(sink, s.length)).toEqual(s.map((r) => r.record.value!.toString()));
      expect(await committed(changelog, c.length)).toEqual(c.map((r) => r.record.value!.toString()));
      expect(await log.committed('q', sink, 0)).toBe(42);
    } finally {
      await writer.close();
    }
  });
});
