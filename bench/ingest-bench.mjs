// HTTP ingestion scenario, run as a child process:
//   node bench/ingest-bench.mjs <rows> <batch>
// Starts the real `sluice server` (bin/sluice.js, the built bundle) on an empty data
// directory, creates two streams of six JSON columns, and has a separate load process
// (ingest-load.mjs) (a) stream `rows` rows over one HTTP/2 /inserts-stream stream and
// (b) POST them to REST Proxy's /topics/{topic} in batches of `batch`. Then stops the
// server and opens its data directory to check each topic holds exactly `rows` records.
// BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p' profiles the server;
// BENCH_SLUICE_BIN=<path> runs another build of it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../dist/src/runtime/engine/engine.js';
import { cpuMs, startServer, stopServer } from './server-child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const rows = Number(process.argv[2] ?? 200_000);
const batch = Number(process.argv[3] ?? 5_000);
// Another build of the server to compare against (e.g. a copy of an earlier dist/sluice.mjs).
const serverBin = process.env.BENCH_SLUICE_BIN ?? join(root, 'bin/sluice.js');

/** CPU seconds (user + system) the process has used. */
const serverCpuSeconds = (pid) => cpuMs(pid) / 1000;

function ksql(port, sql) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/ksql', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ ksql: sql }));
  });
}

/** Runs ingest-load.mjs without blocking this process (the server's output pipes keep draining). */
function load(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'ingest-load.mjs'), ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`load exited with ${code}`))));
  });
}

const COLUMNS = 'ORDERTIME BIGINT, ORDERID BIGINT, ITEMID STRING, ORDERUNITS DOUBLE, CITY STRING, ZIPCODE INT';
const dataDir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'sluice-bench-ingest-'));
const result = { rows, batch };
try {
  const { child, port } = await startServer(dataDir, serverBin);
  try {
    await ksql(
      port,
      `CREATE STREAM ingest_inserts (${COLUMNS}) WITH (kafka_topic='ingest_inserts', value_format='JSON', partitions=1);
       CREATE STREAM ingest_topics (${COLUMNS}) WITH (kafka_topic='ingest_topics', value_format='JSON', partitions=1);`,
    );
    let cpu = serverCpuSeconds(child.pid);
    result.inserts = await load(['inserts', port, 'INGEST_INSERTS', rows]);
    result.inserts.serverCpuSeconds = serverCpuSeconds(child.pid) - cpu;
    cpu = serverCpuSeconds(child.pid);
    result.topics = await load(['topics', port, 'ingest_topics', rows, batch]);
    result.topics.serverCpuSeconds = serverCpuSeconds(child.pid) - cpu;
  } finally {
    await stopServer(child);
  }
  // What a restart finds: every acknowledged row, and no more.
  const engine = await Engine.open({ dataDir, autoPump: false });
  try {
    result.inserts.stored = await engine.log.endOffset('ingest_inserts', 0);
    result.topics.stored = await engine.log.endOffset('ingest_topics', 0);
  } finally {
    await engine.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
