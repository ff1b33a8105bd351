// The KafkaClient whose idempotent produce is @platformatic/kafka's (kafka-platformatic.ts) against the real
// broker: records platformatic cannot encode (null keys, tombstones) go through kafkajs, and requests
// started together still land one after the other, in the order produce was called.
import { afterEach, expect, it } from 'vitest';
import type { PartitionBatch } from '../../src/runtime/log/kafka-client.js';
import { PlatformaticProducerClient } from '../../src/runtime/log/kafka-platformatic.js';
import { createTopic, describeKafka, KAFKA_BROKER, readToEnd, uniqueTopic } from './broker.js';

const clients: PlatformaticProducerClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function connect(): Promise<PlatformaticProducerClient> {
  const client = new PlatformaticProducerClient({ clientId: uniqueTopic('plat'), brokers: [KAFKA_BROKER], report: () => undefined });
  clients.push(client);
  await client.connect();
  return client;
}

/** `n` keyed records `<prefix>-<i>` (event time 1000 + i). */
const keyed = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`${prefix}k${i}`), value: Buffer.from(`${prefix}-${i}`), timestamp: 1_000 + i }));

describeKafka('@platformatic/kafka idempotent producer behind the KafkaClient seam', () => {
  it('keyed records, null keys, tombstones, headers and null header values land in the order produce was called, with their base offsets', async () => {
    const client = await connect();
    const topic = uniqueTopic('plat');
    const other = uniqueTopic('plat-other');
    await createTopic(topic, 2);
    await createTopic(other, 1);
    const requests: PartitionBatch[][] = [
      [{ topic, partition: 0, records: keyed('a', 3) }],
      [{ topic, partition: 0, records: [{ key: null, value: Buffer.from('no key'), timestamp: 2_000 }] }],
      [
        { topic, partition: 0, records: keyed('b', 2) },
        { topic: other, partition: 0, records: keyed('o', 4) },
        { topic, partition: 1, records: keyed('p', 1) },
      ],
      [{ topic, partition: 0, records: [{ key: Buffer.from('ak0'), value: null, timestamp: 3_000 }] }],
      [
        {
          topic,
          partition: 0,
          records: [{ key: Buffer.from('h'), value: Buffer.from('with headers'), timestamp: 4_000, headers: [{ key: 'x', value: Buffer.from('1') }] }],
        },
      ],
      [{ topic, partition: 0, records: keyed('c', 2) }],
      [
        {
          topic,
          partition: 0,
          records: [{ key: Buffer.from('n'), value: Buffer.from('null header'), timestamp: 5_000, headers: [{ key: 'y', value: null }] }],
        },
      ],
    ];
    // All started at once: each waits for the one before it.
    const bases = await Promise.all(requests.map((r) => client.produce(r)));
    expect(bases).toEqual([[0], [3], [4, 0, 0], [6], [7], [8], [10]]);

    const out = await readToEnd(topic);
    const p0 = out.filter((m) => m.partition === 0);
    expect(p0.map((m) => [m.key, m.value])).toEqual([
      ['ak0', 'a-0'],
      ['ak1', 'a-1'],
      ['ak2', 'a-2'],
      [null, 'no key'],
      ['bk0', 'b-0'],
      ['bk1', 'b-1'],
      ['ak0', null],
      ['h', 'with headers'],
      ['ck0', 'c-0'],
      ['ck1', 'c-1'],
      ['n', 'null header'],
    ]);
    expect(p0.map((m) => Number(m.timestamp))).toEqual([1_000, 1_001, 1_002, 2_000, 1_000, 1_001, 3_000, 4_000, 1_000, 1_001, 5_000]);
    // Headers go through platformatic; a null header value is written empty, as the kafkajs path does.
    expect(p0[7]!.headers.x?.toString()).toBe('1');
    expect(p0[10]!.headers.y).toEqual(Buffer.alloc(0));
    expect(out.filter((m) => m.partition === 1).map((m) => m.value)).toEqual(['p-0']);
    expect((await readToEnd(other)).map((m) => m.value)).toEqual(['o-0', 'o-1', 'o-2', 'o-3']);
  });

  it('classifies platformatic errors: a network error is retriable, an unknown topic is not fenced', () => {
    const client = new PlatformaticProducerClient({ clientId: 'classify', brokers: [KAFKA_BROKER], report: () => undefined });
    const network = Object.assign(new Error('Connection closed'), { code: 'PLT_KFK_NETWORK' });
    const unknown = Object.assign(new Error('This server does not host this topic-partition.'), {
      code: 'PLT_KFK_PROTOCOL',
      apiId: 'UNKNOWN_TOPIC_OR_PARTITION',
      canRetry: true,
    });
    const fenced = Object.assign(new Error('There is a newer producer with the same transactionalId which fences the current one.'), {
      code: 'PLT_KFK_PROTOCOL',
      apiId: 'PRODUCER_FENCED',
      canRetry: false,
    });
    const aggregate = (inner: Error) => Object.assign(new AggregateError([inner], 'produce failed 2 times.'), { code: 'PLT_KFK_MULTIPLE' });
    expect([client.isRetriable(aggregate(network)), client.isUnknownTopic(aggregate(network)), client.isFenced(aggregate(network))]).toEqual([
      true,
      false,
      false,
    ]);
    expect([client.isUnknownTopic(aggregate(unknown)), client.isFenced(aggregate(unknown))]).toEqual([true, false]);
    expect([client.isFenced(aggregate(fenced)), client.isRetriable(aggregate(fenced))]).toEqual([true, false]);
  });
});
