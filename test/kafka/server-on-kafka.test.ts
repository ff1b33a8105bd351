// The real `sluice server --bootstrap-servers` process against the real broker: REST
// statements, inserts and queries land on Kafka topics; a second server of the same
// service sees the same streams and tables from the command topic; the broker is
// restarted under a running query, which resumes without losing a record.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { consumeAll, createTopic, describeKafka, KAFKA_BROKER, produce, restartBroker, uniqueTopic } from './broker.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const started: { child: ChildProcess; dir: string; output: () => string }[] = [];

afterEach(async () => {
  for (const { child, dir, output } of started.splice(0)) {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`sluice server did not stop within 15 s of SIGTERM; its output:\n${output().slice(-3000)}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts `sluice server` in Kafka mode on a free port; resolves with its URL once it listens. */
async function startServer(serviceId: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-server-'));
  const child = spawn(process.execPath, [BIN, 'server', '--port', '0', '--no-schema-registry', '--data-dir', dir, '--bootstrap-servers', KAFKA_BROKER, '--service-id', serviceId], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  started.push({ child, dir, output: () => err });
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

async function ksql(url: string, sql: string, streamsProperties: Record<string, string> = {}): Promise<any[]> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql, streamsProperties }) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`/ksql ${res.status}: ${JSON.stringify(body)}`);
  return body as any[];
}

/** A pull query through /query-stream: the rows (arrays) after the header line. */
async function pull(url: string, sql: string): Promise<unknown[][]> {
  const res = await fetch(`${url}/query-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/query-stream ${res.status}: ${text}`);
  return text
    .split('\n')
    .filter((l) => l.startsWith('['))
    .map((l) => JSON.parse(l) as unknown[]);
}

describeKafka('sluice server on Kafka', () => {
  it('runs statements from REST on Kafka topics; a second server of the service sees them; SHOW TOPICS lists the cluster', async () => {
    const service = uniqueTopic('svc').replace(/-/g, '_');
    const input = uniqueTopic('pageviews');
    await createTopic(input, 2);
    const url = await startServer(service);
    await ksql(url, `CREATE STREAM pageviews (user STRING KEY, page STRING) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(url, `CREATE TABLE views_per_user AS SELECT user, COUNT(*) AS views FROM pageviews GROUP BY user;`, { 'auto.offset.reset': 'earliest' });
    await produce(input, ['a', 'b', 'a', 'c', 'a'].map((u, i) => ({ key: u, value: JSON.stringify({ page: `p${i}` }) })));
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

  it('keeps a persistent query going across a broker restart, losing nothing', async () => {
    const service = uniqueTopic('svc').replace(/-/g, '_');
    const input = uniqueTopic('events');
    const output = uniqueTopic('copied');
    await createTopic(input, 1);
    const url = await startServer(service);
    await ksql(url, `CREATE STREAM events (id INT) WITH (kafka_topic='${input}', value_format='JSON');`);
    await ksql(url, `CREATE STREAM copied WITH (kafka_topic='${output}') AS SELECT id FROM events;`, { 'auto.offset.reset': 'earliest' });
    await produce(input, Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i })));
    await consumeAll(output, 50);
    await restartBroker();
    await produce(input, Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: 50 + i })));
    const all = await consumeAll(output, 100, 60_000);
    const ids = all.map((m) => JSON.parse(m.value!).ID as number);
    expect(new Set(ids).size).toBe(100);
    expect(ids).toHaveLength(100);
  }, 180_000);
});
