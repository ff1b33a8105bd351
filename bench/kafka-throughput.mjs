// Child process for one throughput scenario in Kafka mode:
//   node bench/kafka-throughput.mjs <scenario> <records> <keys> <broker host:port> [processing.guarantee]
// Writes the input into fresh Kafka topics (names made unique per run) with the
// engine's own producer, then times `engine.pumpAll()` for the persistent query:
// reading with kafkajs consumers, the operators, and producing the sink records.
// Prints one JSON line with the figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../dist/src/runtime/engine/engine.js';
import { BASE_TS, fill, timed } from './gen.mjs';
import { SCENARIOS } from './scenarios.mjs';

/**
 * Kafka-only scenarios. `distinct_counts`: the peers' W4, COUNT per key where every
 * record brings a new key (`keys` distinct users, each once, scrambled), so every
 * record is one sink record and one changelog entry.
 */
const KAFKA_SCENARIOS = {
  distinct_counts: (n) => ({
    ddl: [`CREATE STREAM users (user_id STRING, page STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);`],
    inputs: [
      {
        topic: 'users',
        *gen() {
          for (let i = 0; i < n; i++) {
            const u = Number((BigInt(i) * 618033n) % BigInt(n));
            const value = { user_id: `user-${String(u).padStart(9, '0')}`, page: `/p/${i % 997}` };
            yield { key: null, value: Buffer.from(JSON.stringify(value)), timestamp: BASE_TS + i };
          }
        },
      },
    ],
    sql: 'CREATE TABLE distinct_counts AS SELECT user_id, COUNT(*) AS n FROM users GROUP BY user_id;',
    sink: 'DISTINCT_COUNTS',
    keys: n,
  }),
};

const [name, nArg, keysArg, broker, guarantee = 'at_least_once'] = process.argv.slice(2);
const n = Number(nArg);
const keys = Number(keysArg);
const make = SCENARIOS[name] ?? KAFKA_SCENARIOS[name];
if (!make || !broker) throw new Error('usage: kafka-throughput.mjs <scenario> <records> <keys> <host:port>');
const sc = make(n, keys);
const run = `bench${Date.now().toString(36)}`;
// Every topic of this run gets the run's suffix, so runs never see each other's records.
const topicOf = (t) => `${t}-${run}`;
const ddl = sc.ddl.map((d) => d.replace(/kafka_topic='([^']+)'/gi, (_, t) => `kafka_topic='${topicOf(t)}'`));
const sinkTopic = topicOf(sc.sink.toLowerCase());
const sql = sc.sql.replace(/^CREATE (STREAM|TABLE) (\w+)/i, (_, kind, sink) => `CREATE ${kind} ${sink} WITH (kafka_topic='${sinkTopic}')`);

const dataDir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), `sluice-kbench-${name}-`));
try {
  const engine = await Engine.open({ dataDir, autoPump: false, kafka: { brokers: [broker], serviceId: run } });
  await engine.execute(ddl.join('\n'));
  const g0 = performance.now();
  let bytes = 0;
  for (const i of sc.inputs) bytes += await fill(engine.log, topicOf(i.topic), i.gen());
  const genMs = performance.now() - g0;
  await engine.execute(sql, { properties: { 'auto.offset.reset': 'earliest', 'processing.guarantee': guarantee } });
  // CPU time of this process while pumping (the broker's is not counted): steadier than wall time on a shared machine.
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const cpu0 = process.cpuUsage();
  const { ms, peakRssMb } = await timed(() => engine.pumpAll());
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const parts = (await engine.log.topic(sinkTopic))?.partitions ?? 1;
  // End offsets: with exactly_once_v2 they also count each transaction's commit marker.
  let outputs = 0;
  for (let p = 0; p < parts; p++) outputs += await engine.log.endOffset(sinkTopic, p);
  await engine.close();
  process.stdout.write(
    JSON.stringify({
      scenario: name,
      mode: 'kafka',
      guarantee,
      records: n,
      keys: sc.keys,
      bytes,
      genMs,
      ms,
      recordsPerSec: (n / ms) * 1000,
      cpuMs,
      recordsPerCpuSec: (n / cpuMs) * 1000,
      mbPerSec: (bytes / 1e6 / ms) * 1000,
      outputs,
      peakRssMb,
      rssBeforeMb,
    }) + '\n',
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
// kafkajs may keep sockets or timers after disconnecting: the figures are out, so end here.
process.exit(0);
