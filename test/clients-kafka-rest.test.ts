import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { ksql, postJson } from './server-helpers.js';

/**
 * npm `kafka-rest` (Confluent's Node.js REST Proxy client, unchanged, from
 * node_modules) against a real `sluice server` process. The client speaks REST
 * Proxy v1: `Accept: application/vnd.kafka.v1+json, …`, produce bodies as
 * `application/vnd.kafka.v1+json` with base64 keys and values (the binary
 * embedded format), topic and partition metadata, and the broker list.
 */

interface ApiError {
  readonly status: number;
  readonly data: { error_code: number; message: string };
}
type Cb<T> = (err: ApiError | Error | null, res: T) => void;
interface Topic {
  readonly name: string;
  readonly raw: { name: string; partitions: { partition: number; leader: number }[] };
  get(cb: Cb<Topic>): void;
  produce(...args: unknown[]): void;
  partition(id: number): { produce(...args: unknown[]): void };
  partitions: { list(cb: Cb<{ id: number; raw: { partition: number } }[]>): void };
}
interface KafkaRestClient {
  topics: { list(cb: Cb<Topic[]>): void; topic(name: string): Topic };
  topic(name: string): Topic;
  brokers: { list(cb: Cb<{ id: number }[]>): void };
}
const KafkaRest = createRequire(import.meta.url)('kafka-rest') as new (cfg: { url: string }) => KafkaRestClient;

/** Calls a callback-style client method as a promise. */
function call<T>(fn: (cb: Cb<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));
}

type Offsets = { offsets: { partition: number; offset: number; error_code: number | null }[] };

describeIf(BUNDLE_BUILT, DIST)('npm kafka-rest against the REST Proxy side of a sluice server process', () => {
  let server: ServerProcess;
  let client: KafkaRestClient;
  beforeAll(async () => {
    server = await startServerProcess();
    client = new KafkaRest({ url: server.url });
    const created = await postJson(`${server.url}/v3/clusters/sluice-embedded-log/topics`, { topic_name: 'raw', partitions_count: 2 });
    expect(created.status).toBe(201);
    await ksql(server.url, "CREATE STREAM raw_s (k STRING KEY, v STRING) WITH (kafka_topic='raw', key_format='KAFKA', value_format='KAFKA');");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('topics.list() lists the topics', async () => {
    const topics = await call<Topic[]>((cb) => client.topics.list(cb));
    expect(topics.map((t) => t.name)).toContain('raw');
  });

  it("topic().get() reads the topic's partitions", async () => {
    const t = await call<Topic>((cb) => client.topic('raw').get(cb));
    expect(t.raw).toEqual({
      name: 'raw',
      configs: {},
      partitions: [0, 1].map((p) => ({ partition: p, leader: 0, replicas: [{ broker: 0, leader: true, in_sync: true }] })),
    });
  });

  it('topic().partitions.list() lists them one by one', async () => {
    const parts = await call<{ id: number; raw: { partition: number } }[]>((cb) => client.topic('raw').partitions.list(cb));
    expect(parts.map((p) => p.raw.partition)).toEqual([0, 1]);
  });

  it('topic().produce() writes keys and values as the bytes given, and queries read them', async () => {
    const r = await call<Offsets>((cb) => client.topic('raw').produce({ key: 'k1', value: 'hello' }, { key: 'k2', value: 'world', partition: 1 }, cb));
    expect(r.offsets).toHaveLength(2);
    expect(r.offsets[1]).toMatchObject({ partition: 1, error_code: null, error: null });
    const p0 = await call<Offsets>((cb) => client.topic('raw').partition(0).produce({ value: 'to-zero' }, cb));
    expect(p0.offsets[0]!.partition).toBe(0);
    const rows = await postJson(`${server.url}/query`, {
      ksql: 'SELECT k, v FROM raw_s EMIT CHANGES LIMIT 3;',
      streamsProperties: { 'auto.offset.reset': 'earliest' },
    });
    expect(rows.status).toBe(200);
    const got = (rows.body as { row?: { columns: unknown[] } }[]).filter((x) => x.row).map((x) => x.row!.columns);
    expect(got).toEqual(
      expect.arrayContaining([
        ['k1', 'hello'],
        ['k2', 'world'],
        [null, 'to-zero'],
      ]),
    );
  });

  it('brokers.list() lists the one embedded broker', async () => {
    const brokers = await call<{ id: number }[]>((cb) => client.brokers.list(cb));
    expect(brokers.map((b) => b.id)).toEqual([0]);
  });

  it("an unknown topic is a 404 with REST Proxy's error code 40401", async () => {
    const err = await call<Topic>((cb) => client.topic('nope').get(cb)).then(
      () => undefined,
      (e: ApiError) => e,
    );
    expect(err?.status).toBe(404);
    expect(err?.data).toEqual({ '@type': 'generic_error', error_code: 40401, message: 'Topic not found.' });
    const produced = await call<Offsets>((cb) => client.topic('nope').produce('x', cb)).then(
      () => undefined,
      (e: ApiError) => e,
    );
    expect(produced?.data).toMatchObject({ error_code: 40401, message: 'Topic not found.' });
  });
});
