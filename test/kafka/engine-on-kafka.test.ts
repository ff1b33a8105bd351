// The engine in Kafka mode against the real broker: topics written by a plain kafkajs
// producer, a persistent windowed aggregation, its sink read by a plain consumer,
// statements kept in the command topic, and a restart that resumes without duplicates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Engine } from '../../src/runtime/engine/engine.js';
import { KafkaCommandLog } from '../../src/runtime/commands/kafka-command-log.js';
import { eventually } from '../helpers/eventually.js';
import { consumeAll, createTopic, describeKafka, KAFKA_BROKER, produce, uniqueTopic, type ConsumedMessage } from './broker.js';

// Aggregations here run with cache.max.bytes.buffering=0: the tests count every update.

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-kafka-engine-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (serviceId: string, dir = dataDir) => Engine.open({ dataDir: dir, kafka: { brokers: [KAFKA_BROKER], serviceId }, autoPump: true });

/** The latest value per key of a table's topic, as a consumer of the changelog sees it. */
function latestByKey(msgs: readonly ConsumedMessage[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const m of msgs) out.set(m.keyBytes?.toString('hex') ?? '', m.value);
  return out;
}

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

describeKafka('engine on Kafka', () => {
  it('counts errors per code per minute from topics a plain producer wrote; survives a restart without duplicates', async () => {
    const service = uniqueTopic('svc');
    const input = uniqueTopic('monitoring');
    const output = uniqueTopic('error-counts');
    await createTopic(input, 3);
    const event = (host: string, code: number, ts: number) => ({
      key: host,
      value: JSON.stringify({ type: 'ERROR', error_code: code }),
      timestamp: String(ts),
    });
    await produce(input, [event('a', 500, T0), event('b', 500, T0 + 1000), event('c', 404, T0 + 2000), event('a', 500, T0 + MINUTE + 5)]);

    let engine = await open(service);
    try {
      await engine.execute(`
        CREATE STREAM monitoring (host STRING KEY, type STRING, error_code INT) WITH (kafka_topic='${input}', value_format='JSON');
        SET 'auto.offset.reset'='earliest';
        SET 'cache.max.bytes.buffering'='0';
        CREATE TABLE error_counts WITH (kafka_topic='${output}', partitions=2) AS
          SELECT error_code, COUNT(*) AS errors FROM monitoring WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY error_code;`);
      // Statements are records of the service's command topic.
      const commands = await consumeAll(KafkaCommandLog.topicFor(service), 2);
      expect(commands.map((c) => JSON.parse(c.value!).sql as string).map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['CREATE STREAM', 'CREATE TABLE']);

      // 500@T0: 1, 2; 404@T0: 1; 500@T0+1min: 1 -> 4 changelog records.
      const out = await consumeAll(output, 4);
      expect(out).toHaveLength(4);
      const windowed = out.map((m) => ({ count: JSON.parse(m.value!).ERRORS as number, partition: m.partition }));
      expect(windowed.map((w) => w.count).sort()).toEqual([1, 1, 1, 2]);
      await engine.close();

      // Restart: the command topic brings the stream, table and query back; new input continues the counts.
      engine = await open(service);
      expect(engine.catalog.getSource('ERROR_COUNTS')).toBeDefined();
      await produce(input, [event('d', 500, T0 + 3000), event('e', 404, T0 + MINUTE + 10)]);
      const after = await consumeAll(output, 6);
      const latest = latestByKey(after);
      const counts = [...latest.values()].map((v) => JSON.parse(v!).ERRORS as number).sort();
      // Windows: 500@T0 -> 3, 404@T0 -> 1, 500@T0+1m -> 1, 404@T0+1m -> 1 (no record counted twice).
      expect(counts).toEqual([1, 1, 1, 3]);
      expect(after).toHaveLength(6);

      // A pull query reads the table's current state.
      const q = await engine.startQuery(`SELECT error_code, errors FROM error_counts WHERE error_code = 500;`);
      const got: unknown[][] = [];
      for await (const r of q.rows) got.push([...r]);
      expect(got.map((r) => r[1]).sort()).toEqual([1, 3]);
    } finally {
      await engine.close();
    }
  });

  it('writes records a plain consumer reads back byte for byte, with keys on murmur2 partitions and timestamps kept', async () => {
    const service = uniqueTopic('svc');
    const input = uniqueTopic('in');
    const output = uniqueTopic('out');
    await createTopic(input, 2);
    await produce(
      input,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ v: i }), timestamp: String(T0 + i) })),
    );
    const engine = await open(service);
    try {
      await engine.execute(`
        SET 'auto.offset.reset'='earliest';
        SET 'cache.max.bytes.buffering'='0';
        CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');
        CREATE STREAM doubled WITH (kafka_topic='${output}', partitions=4) AS SELECT k, v * 2 AS d FROM s PARTITION BY k;`);
      const out = await consumeAll(output, 20);
      expect(out).toHaveLength(20);
      const byKey = new Map(out.map((m) => [m.key, m]));
      for (let i = 0; i < 20; i++) {
        const m = byKey.get(`k${i}`)!;
        expect(m.value).toBe(`{"D":${i * 2}}`);
        expect(Number(m.timestamp)).toBe(T0 + i);
      }
      // Same partitioning as Kafka's Java client for the same keys: a plain producer's choice.
      const check = uniqueTopic('check');
      await createTopic(check, 4);
      await produce(
        check,
        Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'x' })),
      );
      const fromPlain = await consumeAll(check, 20);
      for (const m of fromPlain) expect(byKey.get(m.key!)!.partition).toBe(m.partition);
      await eventually(
        `20 records on ${output} (the engine pumps in the background)`,
        async () =>
          (await engine.log.endOffset(output, 0)) +
            (await engine.log.endOffset(output, 1)) +
            (await engine.log.endOffset(output, 2)) +
            (await engine.log.endOffset(output, 3)) ===
          20,
        { timeoutMs: 30_000, everyMs: 100 },
      );
    } finally {
      await engine.close();
    }
  });
});
