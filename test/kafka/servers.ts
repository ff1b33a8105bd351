/**
 * Real `sluice server --bootstrap-servers` processes for the Kafka-mode tests: start several
 * servers of one service, talk to them over REST, kill them (SIGTERM or SIGKILL), and stop
 * whatever is left after each test (`stopAll` in afterEach).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../helpers/eventually.js';
import { KAFKA_BROKER, uniqueTopic } from './broker.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

/** One running server process. */
export interface SluiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Every server spawned and not yet stopped, listening or not. */
const running: Pick<SluiceProcess, 'child' | 'output'>[] = [];
const dirs: string[] = [];

/** A fresh, empty data directory (removed by {@link stopAll}). */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-server-'));
  dirs.push(dir);
  return dir;
}

/** A server process just spawned: what it printed so far, and its start-up. */
export interface StartingSluice {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once it listens; rejects with its output if it exits first. */
  readonly listening: Promise<SluiceProcess>;
}

/** Spawns a server of `service` on a free port, without waiting for it to listen (see {@link startSluice}). */
export function spawnSluice(service: string, opts: { dataDir?: string; config?: Record<string, string> } = {}): StartingSluice {
  const dataDir = opts.dataDir ?? freshDataDir();
  const args = [BIN, 'server', '--port', '0', '--no-schema-registry', '--data-dir', dataDir, '--bootstrap-servers', KAFKA_BROKER, '--service-id', service];
  if (opts.config) {
    const file = join(dataDir, 'server.properties');
    writeFileSync(
      file,
      Object.entries(opts.config)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    args.push('--config', file);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  running.push({ child, output: () => out });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  }).then(
    (url): SluiceProcess => ({
      url,
      child,
      dataDir,
      output: () => out,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    }),
  );
  // A caller still waiting on something else when the child dies sees the rejection when it awaits `listening`.
  listening.catch(() => undefined);
  return { child, output: () => out, listening };
}

/** Starts a server of `service` on a free port; resolves once it listens. */
export function startSluice(service: string, opts: { dataDir?: string; config?: Record<string, string> } = {}): Promise<SluiceProcess> {
  return spawnSluice(service, opts).listening;
}

/** What `afterEach` hands its hook: whether the test that just ran failed. */
interface FinishedTest {
  readonly task: { readonly name: string; readonly result?: { readonly state?: string } };
}

/**
 * Stops every server still running (SIGTERM, SIGKILL after 15 s) and removes the data directories.
 * Given the finished test (as `afterEach(stopAll)` does) and it failed, prints every server's output first.
 */
export async function stopAll(test?: FinishedTest): Promise<void> {
  if (test?.task.result?.state === 'fail') {
    for (const [i, p] of running.entries())
      console.error(`--- output of server ${i} (pid ${p.child.pid}) in '${test.task.name}':\n${p.output().slice(-30_000)}`);
  }
  const stuck: string[] = [];
  for (const p of running.splice(0)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
    if (!stopped) {
      p.child.kill('SIGKILL');
      await exited;
      stuck.push(p.output().slice(-3000));
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  if (stuck.length > 0) throw new Error(`sluice server did not stop within 15 s of SIGTERM; its output:\n${stuck.join('\n---\n')}`);
}

/** POST /ksql; throws with the body on a non-200 answer. */
export async function ksql(url: string, sql: string, streamsProperties: Record<string, string> = {}): Promise<any[]> {
  const res = await fetch(`${url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`/ksql ${res.status}: ${JSON.stringify(body)}`);
  return body as any[];
}

/** A pull query through /query-stream: the rows (arrays) after the header line. */
export async function pull(url: string, sql: string): Promise<unknown[][]> {
  const res = await fetch(`${url}/query-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/query-stream ${res.status}: ${text}`);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const error = lines.find((l) => l.startsWith('{') && l.includes('"error_code"'));
  if (error) throw new Error(`/query-stream error: ${error}`);
  return lines.filter((l) => l.startsWith('[')).map((l) => JSON.parse(l) as unknown[]);
}

/** One host of GET /clusterStatus. */
export interface HostStatus {
  hostAlive: boolean;
  lastStatusUpdateMs: number;
  activeStandbyPerQuery: Record<string, { activePartitions: { topic: string; partition: number }[] }>;
  hostStoreLags: { stateStoreLags: Record<string, { lagByPartition: Record<string, { offsetLag: number }> }> };
}

/** GET /clusterStatus: hosts by `host:port`. */
export async function clusterStatus(url: string): Promise<Record<string, HostStatus>> {
  const res = await fetch(`${url}/clusterStatus`);
  const body = (await res.json()) as { clusterStatus: Record<string, HostStatus> };
  if (res.status !== 200) throw new Error(`/clusterStatus ${res.status}: ${JSON.stringify(body)}`);
  return body.clusterStatus;
}

/** The partitions of `queryId`'s first source each live host processes, by `host:port`. */
export async function activePartitions(url: string, queryId: string): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [host, s] of Object.entries(await clusterStatus(url))) {
    if (!s.hostAlive) continue;
    const parts = s.activeStandbyPerQuery[queryId]?.activePartitions ?? [];
    out[host] = [...new Set(parts.map((x) => x.partition))].sort((a, b) => a - b);
  }
  return out;
}

/** A fresh service id (`ksql.service.id`: letters, digits and underscores). */
export function uniqueService(): string {
  return uniqueTopic('svc').replace(/-/g, '_');
}

/**
 * Waits until two live servers share a query's partitions 0…n-1, each processing
 * some (as /clusterStatus at `url` reports them); resolves with them by host.
 */
export function splitBetweenTwo(url: string, queryId: string, partitions = 4, timeoutMs = 60_000): Promise<Record<string, number[]>> {
  const all = Array.from({ length: partitions }, (_, p) => p).join();
  return eventually(
    `${queryId}'s partitions split between two servers`,
    async () => {
      const parts = await activePartitions(url, queryId);
      const lists = Object.values(parts);
      return lists.length === 2 &&
        lists.every((l) => l.length > 0) &&
        lists
          .flat()
          .sort((x, y) => x - y)
          .join() === all
        ? parts
        : undefined;
    },
    { timeoutMs, everyMs: 200 },
  );
}

/** Waits until the server at `url` alone processes a query's partitions 0…n-1. */
export function processesAll(url: string, queryId: string, partitions = 4, timeoutMs = 60_000): Promise<true> {
  const all = Array.from({ length: partitions }, (_, p) => p).join();
  return eventually(
    `${url} processing every partition of ${queryId}`,
    async () => ((await activePartitions(url, queryId))[new URL(url).host]?.join() === all ? true : undefined),
    { timeoutMs, everyMs: 100 },
  );
}
