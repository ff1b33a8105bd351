import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/runtime/engine/engine.js';
import type { RunningServer } from '../src/server/index.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

const BINARY = { 'content-type': 'application/vnd.kafka.binary.v2+json' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * The REST Proxy side written as Confluent REST Proxy does: raw (binary) records
 * as given, with their partition, timestamp and headers, tombstones, v3 topic
 * creation, and its own 404 codes. What lands is read back from the log itself.
 */
describe('REST Proxy produce, metadata and topic creation', () => {
  let server: RunningServer;
  let url: string;
  let engine: Engine;
  beforeAll(async () => {
    ({ server, url, engine } = await startTestServer());
  });
  afterAll(async () => {
    await server.close();
  });

  it('POST /v3/clusters/{id}/topics creates a topic and answers its v3 KafkaTopic', async () => {
    const r = await postJson(`${url}/v3/clusters/sluice-embedded-log/topics`, {
      topic_name: 'events',
      partitions_count: 3,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'KafkaTopic', cluster_id: 'sluice-embedded-log', topic_name: 'events', partitions_count: 3, replication_factor: 1 });
    expect(await engine.log.topic('events')).toEqual({ name: 'events', partitions: 3, compacted: true });
  });

  it('creating a topic twice is refused with 40002', async () => {
    const r = await postJson(`${url}/v3/clusters/sluice-embedded-log/topics`, { topic_name: 'events', partitions_count: 1 });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ '@type': 'generic_error', error_code: 40002, message: "Topic 'events' already exists." });
  });

  it('an unknown cluster is a 404 with 40404', async () => {
    const r = await postJson(`${url}/v3/clusters/other/topics`, { topic_name: 'x' });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ '@type': 'generic_error', error_code: 40404, message: 'Cluster other cannot be found.' });
  });

  it('binary records are written as given, with partition, timestamp and headers, and null values as tombstones', async () => {
    const r = await postJson(
      `${url}/topics/events`,
      {
        records: [
          {
            key: b64('k'),
            value: b64('a,1'),
            partition: 2,
            timestamp: 1_700_000_000_000,
            headers: [
              { name: 'trace', value: b64('t-1') },
              { name: 'empty', value: null },
            ],
          },
          { key: b64('k'), value: null, partition: 2, timestamp: '2024-01-02T03:04:05.006Z' },
        ],
      },
      BINARY,
    );
    expect(r.status).toBe(200);
    expect(r.body.offsets).toEqual([
      { partition: 2, offset: 0, error_code: null, error: null },
      { partition: 2, offset: 1, error_code: null, error: null },
    ]);
    const [first, second] = await engine.log.read('events', 2, 0, 10);
    expect(first).toMatchObject({ key: Buffer.from('k'), value: Buffer.from('a,1'), timestamp: 1_700_000_000_000 });
    expect(first!.headers).toEqual([
      { key: 'trace', value: Buffer.from('t-1') },
      { key: 'empty', value: null },
    ]);
    expect(second).toMatchObject({ key: Buffer.from('k'), value: null, timestamp: Date.parse('2024-01-02T03:04:05.006Z') });
  });

  it('POST /topics/{t}/partitions/{p} writes to that partition', async () => {
    const r = await postJson(`${url}/topics/events/partitions/1`, { records: [{ value: b64('x') }] }, BINARY);
    expect(r.body.offsets).toEqual([{ partition: 1, offset: 0, error_code: null, error: null }]);
    const bad = await postJson(`${url}/topics/events/partitions/7`, { records: [{ value: b64('x') }] }, BINARY);
    expect(bad.status).toBe(404);
    expect(bad.body).toEqual({ '@type': 'generic_error', error_code: 40402, message: 'Partition not found.' });
  });

  it("JSON records on a stream's topic keep their timestamp and headers", async () => {
    await ksql(url, "CREATE STREAM pv (id INT KEY, page STRING) WITH (kafka_topic='pv', partitions=1, value_format='json');");
    const r = await postJson(
      `${url}/topics/pv`,
      { records: [{ key: 1, value: { PAGE: 'home' }, timestamp: 42, headers: [{ name: 'h', value: b64('v') }] }] },
      { 'content-type': 'application/vnd.kafka.json.v2+json' },
    );
    expect(r.status).toBe(200);
    const [rec] = await engine.log.read('pv', 0, 0, 1);
    expect(rec).toMatchObject({ timestamp: 42, headers: [{ key: 'h', value: Buffer.from('v') }] });
    expect(JSON.parse(rec!.value!.toString())).toEqual({ PAGE: 'home' });
  });

  it('GET /topics lists topic names, and GET /topics/{t}/partitions/{p} one partition', async () => {
    const list = await fetch(`${url}/topics`);
    expect(list.headers.get('content-type')).toContain('application/vnd.kafka.v2+json');
    expect(await list.json()).toEqual(expect.arrayContaining(['events', 'pv']));
    const p = await fetch(`${url}/topics/events/partitions/2`);
    expect(await p.json()).toEqual({ partition: 2, leader: 0, replicas: [{ broker: 0, leader: true, in_sync: true }] });
  });

  it('an unknown topic is a 404 with 40401, for metadata and produce alike', async () => {
    for (const r of [
      await fetch(`${url}/topics/nope`),
      await fetch(`${url}/topics/nope`, { method: 'POST', headers: BINARY, body: JSON.stringify({ records: [{ value: null }] }) }),
    ]) {
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ '@type': 'generic_error', error_code: 40401, message: 'Topic not found.' });
    }
  });

  it('refuses an embedded format Sluice does not write, and binary values that are not base64', async () => {
    const avro = await postJson(`${url}/topics/events`, { records: [{ value: {} }] }, { 'content-type': 'application/vnd.kafka.avro.v2+json' });
    expect(avro.status).toBe(415);
    expect(avro.body).toEqual({ '@type': 'generic_error', error_code: 41501, message: 'Embedded format avro is not supported by Sluice: use binary or json.' });
    const notB64 = await postJson(`${url}/topics/events`, { records: [{ value: 'not base64!' }] }, BINARY);
    expect(notB64.status).toBe(400);
    expect(notB64.body).toEqual({ '@type': 'generic_error', error_code: 40000, message: 'records[0].value must be base64 text (binary embedded format).' });
  });
});
