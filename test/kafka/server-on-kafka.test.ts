// The real `sluice server --bootstrap-servers` process against the real broker: REST
// statements, inserts and queries land on Kafka topics; a second server of the same
// service sees the same streams and tables from the command topic; the broker is
// restarted under a running query, which resumes without losing a record.
import { afterEach, expect, it } from 'vitest';
import {
  consumeAll,
  createTopic,
  describeKafka,
  kafkaClient,
  pauseBroker,
  produce,
  restartBroker,
  resumeBroker,
  topicPartitions,
  uniqueTopic,
} from './broker.js';
import { eventually } from '../helpers/eventually.js';
import { ksql, pull, spawnSluice, startSluice, stopAll, uniqueService, type StartingSluice } from './servers.js';

// Aggregations here run with cache.max.bytes.buffering=0: the tests count every update.

afterEach(stopAll);

/** Starts `sluice server` in Kafka mode on a free port; resolves with its URL once it listens. */
async function startServer(serviceId: string): Promise<string> {
  return (await startSluice(serviceId)).url;
}

/** Names of the cluster's topics. */
async function clusterTopics(): Promise<string[]> {
  const admin = kafkaClient('sluice-test-admin').admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

describeKafka('sluice server on Kafka', () => {
  it('runs statements from REST on Kafka topics; a second server of the service sees them; SHOW TOPICS lists the cluster', async () => {
    const service = uniqueService();
    const input = uniqueTopic('pageviews');
    await createTopic(input, 2);
    const url = await startServer(service);
    await ksql(url, `CREATE STREAM pageviews (user STRING KEY, page STRING) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(url, `CREATE TABLE views_per_user AS SELECT user, COUNT(*) AS views FROM pageviews GROUP BY user;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await produce(
      input,
      ['a', 'b', 'a', 'c', 'a'].map((u, i) => ({ key: u, value: JSON.stringify({ page: `p${i}` }) })),
    );
    // The table's topic holds the counts (a changelog: read by a plain consumer).
    const out = await consumeAll('VIEWS_PER_USER', 5);
    const latest = new Map(out.map((m) => [m.key, JSON.parse(m.value!).VIEWS as number]));
    expect(Object.fromEntries(latest)).toEqual({ a: 3, b: 1, c: 1 });
    expect(await pull(url, `SELECT * FROM views_per_user WHERE user = 'a';`)).toEqual([['a', 3]]);

    const topics = await ksql(url, 'SHOW TOPICS;');
    const names = (topics[0].topics as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining([input, 'VIEWS_PER_USER']));

    // Another server of the same service replays the command topic at start.
    const second = await startServer(service);
    const listed = await ksql(second, 'SHOW TABLES;');
    expect((listed[0].tables as { name: string }[]).map((t) => t.name)).toContain('VIEWS_PER_USER');
    const streams = await ksql(second, 'SHOW STREAMS;');
    expect((streams[0].streams as { name: string }[]).map((t) => t.name)).toContain('PAGEVIEWS');
  });

  it("checks partition counts of existing topics, creates topics with PARTITIONS and REPLICAS, and DROP … DELETE TOPIC deletes them and the query's internal topics", async () => {
    const service = uniqueService();
    const existing = uniqueTopic('existing');
    const created = uniqueTopic('created');
    await createTopic(existing, 2);
    const url = await startServer(service);
    await expect(ksql(url, `CREATE STREAM s1 (id INT) WITH (kafka_topic='${existing}', value_format='JSON', partitions=3);`)).rejects.toThrow(
      `A Kafka topic with the name '${existing}' already exists, with different partition/replica configuration than required. KSQL expects 3 partitions (topic has 2).`,
    );
    await ksql(url, `CREATE STREAM s2 (id INT KEY, v INT) WITH (kafka_topic='${created}', value_format='JSON', partitions=3, replicas=1);`);
    expect(await topicPartitions(created)).toBe(3);
    await ksql(url, `CREATE TABLE t2 WITH (kafka_topic='${created}-t') AS SELECT id, COUNT(*) AS n FROM s2 GROUP BY id;`);
    const changelog = `_sluice_${service}_query_CTAS_T2_0-changelog`;
    expect(await clusterTopics()).toEqual(expect.arrayContaining([`${created}-t`, changelog]));
    await ksql(url, `DROP TABLE t2 DELETE TOPIC;`);
    await ksql(url, `DROP STREAM s2 DELETE TOPIC;`);
    await eventually(
      'the dropped topics to leave the cluster',
      async () => {
        expect((await clusterTopics()).filter((t) => [created, `${created}-t`, changelog].includes(t))).toEqual([]);
        return true;
      },
      { timeoutMs: 30_000, everyMs: 200 },
    );
  }, 120_000);

  it('waits for a broker that is down when the server starts, and runs once it is up', async () => {
    const service = uniqueService();
    const input = uniqueTopic('late');
    await createTopic(input, 1);
    await pauseBroker();
    let server: StartingSluice;
    try {
      server = spawnSluice(service);
      // The broker stays down until the server has tried it and said why it waits, naming the broker
      // (it retries meanwhile and has not started listening).
      await eventually(
        'the server to report the broker unreachable',
        () => {
          if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}: ${server.output()}`);
          return /connect ECONNREFUSED 127\.0\.0\.1:\d+/.test(server.output());
        },
        { timeoutMs: 60_000 },
      );
    } finally {
      await resumeBroker();
    }
    const s = await server.listening;
    expect(s.output()).toMatch(/connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    await ksql(s.url, `CREATE STREAM late (id INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(s.url, `CREATE STREAM late_copy WITH (kafka_topic='${input}-copy') AS SELECT id FROM late;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await produce(input, ['{"id":1}', '{"id":2}']);
    expect((await consumeAll(`${input}-copy`, 2)).map((m) => JSON.parse(m.value!).ID)).toEqual([1, 2]);
  }, 120_000);

  it('keeps a persistent query going across a broker restart, losing nothing', async () => {
    const service = uniqueService();
    const input = uniqueTopic('events');
    const output = uniqueTopic('copied');
    await createTopic(input, 1);
    const url = await startServer(service);
    await ksql(url, `CREATE STREAM events (id INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(url, `CREATE STREAM copied WITH (kafka_topic='${output}') AS SELECT id FROM events;`, {
      'auto.offset.reset': 'earliest',
      'cache.max.bytes.buffering': '0',
    });
    await produce(
      input,
      Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i })),
    );
    await consumeAll(output, 50);
    await restartBroker();
    await produce(
      input,
      Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: 50 + i })),
    );
    const all = await consumeAll(output, 100, 60_000);
    const ids = all.map((m) => JSON.parse(m.value!).ID as number);
    expect(new Set(ids).size).toBe(100);
    expect(ids).toHaveLength(100);
  }, 180_000);
});
