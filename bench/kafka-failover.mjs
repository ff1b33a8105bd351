// Child process for the Kafka-mode fail-over figure:
//   node bench/kafka-failover.mjs <records> <broker host:port>
// Starts two `sluice server`s of one service on the broker, runs a count per key over
// a 4-partition topic split between them, writes half the records, kills one server
// with SIGKILL and writes the rest. Measures how long until the survivor processes
// every partition (take-over) and until its counts are complete and correct.
// Prints one JSON line with the figures.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const [nArg, broker] = process.argv.slice(2);
const n = Number(nArg);
if (!Number.isInteger(n) || !broker) throw new Error('usage: kafka-failover.mjs <records> <host:port>');
const BIN = fileURLToPath(new URL('../bin/sluice.js', import.meta.url));
const run = `failover${Date.now().toString(36)}`;
const input = `${run}-input`;
const KEYS = 1000;
const dirs = [];
const children = [];

function startServer() {
  const dir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'sluice-failover-'));
  dirs.push(dir);
  const child = spawn(
    process.execPath,
    [BIN, 'server', '--port', '0', '--no-schema-registry', '--data-dir', dir, '--bootstrap-servers', broker, '--service-id', run],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', () => undefined);
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(t);
        resolve({ url: m[1], child });
      }
    }, 20);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function ksql(url, sql, streamsProperties = {}) {
  const res = await fetch(`${url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties }),
  });
  if (res.status !== 200) throw new Error(`/ksql ${res.status}: ${await res.text()}`);
}

async function partitionsOf(url) {
  const res = await fetch(`${url}/clusterStatus`);
  const hosts = (await res.json()).clusterStatus;
  const out = {};
  for (const [host, s] of Object.entries(hosts))
    if (s.hostAlive) out[host] = (s.activeStandbyPerQuery.CTAS_COUNTS_0?.activePartitions ?? []).map((p) => p.partition);
  return out;
}

async function until(f, timeoutMs = 120_000, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await f().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const kafka = new Kafka({ clientId: 'sluice-bench-failover', brokers: [broker], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
async function write(from, count) {
  for (let i = from; i < from + count; i += 5000) {
    const messages = [];
    for (let j = i; j < Math.min(from + count, i + 5000); j++) messages.push({ key: `k${j % KEYS}`, value: JSON.stringify({ v: j }) });
    await producer.send({ topic: input, acks: -1, messages });
  }
}

try {
  await admin.connect();
  await producer.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 4, replicationFactor: 1 }] });
  const a = await startServer();
  const b = await startServer();
  await ksql(a.url, `CREATE STREAM events (k STRING KEY, v INT) WITH (kafka_topic='${input}', value_format='JSON');`);
  await ksql(a.url, `CREATE TABLE counts WITH (kafka_topic='${run}-counts') AS SELECT k, COUNT(*) AS n FROM events GROUP BY k;`, {
    'auto.offset.reset': 'earliest',
  });
  await until(async () => {
    const lists = Object.values(await partitionsOf(a.url));
    return lists.length === 2 && lists.every((l) => l.length > 0);
  });
  const half = Math.floor(n / 2);
  await write(0, half);
  // Let both servers work on the first half, then kill one mid-stream.
  await new Promise((r) => setTimeout(r, 500));
  const killedAt = performance.now();
  b.child.kill('SIGKILL');
  const rest = write(half, n - half);
  const aHost = new URL(a.url).host;
  await until(async () => (await partitionsOf(a.url))[aHost]?.length === 4);
  const takeoverMs = performance.now() - killedAt;
  await rest;
  const expected = Math.floor(n / KEYS); // n is a multiple of KEYS
  await until(
    async () => {
      for (const k of ['k0', `k${KEYS - 1}`, `k${KEYS >> 1}`]) {
        const res = await fetch(`${a.url}/query-stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sql: `SELECT n FROM counts WHERE k = '${k}';` }),
        });
        const rows = (await res.text()).split('\n').filter((l) => l.startsWith('['));
        if (rows.length !== 1 || JSON.parse(rows[0])[0] !== expected) return false;
      }
      return true;
    },
    300_000,
    100,
  );
  const completeMs = performance.now() - killedAt;
  // Every key checked once the sample is complete.
  let wrong = 0;
  for (let k = 0; k < KEYS; k++) {
    const res = await fetch(`${a.url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: `SELECT n FROM counts WHERE k = 'k${k}';` }),
    });
    const rows = (await res.text()).split('\n').filter((l) => l.startsWith('['));
    if (rows.length !== 1 || JSON.parse(rows[0])[0] !== expected) wrong++;
  }
  process.stdout.write(JSON.stringify({ records: n, keys: KEYS, partitions: 4, takeoverMs, completeMs, wrongKeys: wrong }) + '\n');
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await producer.disconnect().catch(() => undefined);
  await admin.deleteTopics({ topics: [input, `${run}-counts`] }).catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.exit(0);
