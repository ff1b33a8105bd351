// The benchmark suite: `npm run bench` (full, ~15-20 min on 2 cores) or
// `npm run bench -- --quick` (small sizes, ~1 min; a smoke test, no assertions).
// Each scenario runs in its own child process (fresh heap, its own peak RSS).
// Prints a table and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');

const M = 1_000_000;
const K = 1_000;
// [label, scenario, records, keys, target rec/s, target ratio]
const THROUGHPUT = quick
  ? [
      ['q0 passthrough', 'q0_passthrough', 50 * K, 0, 500 * K, 0.5],
      ['q1 project', 'q1_project', 50 * K, 0, 500 * K, 0.5],
      ['q2 filter', 'q2_filter', 50 * K, 0, 500 * K, 0.5],
      ['error_counts 1K keys', 'error_counts', 50 * K, 1 * K, 300 * K],
      ['error_counts 50K keys', 'error_counts', 100 * K, 50 * K, 150 * K],
      ['possible_fraud 10K cards', 'possible_fraud', 50 * K, 10 * K, 300 * K],
      ['join bids-auctions', 'join', 50 * K, 10 * K, 250 * K],
      ['hopping 10s/2s', 'hopping', 20 * K, 1 * K, 100 * K],
    ]
  : [
      ['q0 passthrough', 'q0_passthrough', 1 * M, 0, 500 * K, 0.5],
      ['q1 project', 'q1_project', 1 * M, 0, 500 * K, 0.5],
      ['q2 filter', 'q2_filter', 1 * M, 0, 500 * K, 0.5],
      ['error_counts 1K keys', 'error_counts', 1 * M, 1 * K, 300 * K],
      ['error_counts 1M keys', 'error_counts', 2 * M, 1 * M, 150 * K],
      ['possible_fraud 100K cards', 'possible_fraud', 1 * M, 100 * K, 300 * K],
      ['join bids-auctions', 'join', 1 * M, 100 * K, 250 * K],
      ['hopping 10s/2s', 'hopping', 500 * K, 10 * K, 100 * K],
    ];
// Scaling: [label, scenario, records, keys]
const SCALING = quick
  ? [
      ['q0 100K records', 'q0_passthrough', 100 * K, 0],
      ['q0 200K records', 'q0_passthrough', 200 * K, 0],
      ['count 1K keys', 'error_counts', 100 * K, 1 * K],
      ['count 100K keys', 'error_counts', 100 * K, 100 * K],
    ]
  : [
      ['q0 1M records', 'q0_passthrough', 1 * M, 0],
      ['q0 10M records', 'q0_passthrough', 10 * M, 0],
      ['count 10K keys', 'error_counts', 1 * M, 10 * K],
      ['count 1M keys', 'error_counts', 1 * M, 1 * M],
    ];
// Kafka mode (needs a broker, e.g. scripts/kafka-local.sh start): [label, scenario, records, keys, processing.guarantee].
const KAFKA = quick
  ? [
      ['kafka q1 project', 'q1_project', 20 * K, 0],
      ['kafka error_counts 1K keys', 'error_counts', 20 * K, 1 * K],
      ['kafka error_counts 1K keys, exactly_once_v2', 'error_counts', 20 * K, 1 * K, 'exactly_once_v2'],
    ]
  : [
      ['kafka q1 project', 'q1_project', 1 * M, 0],
      ['kafka error_counts 1K keys', 'error_counts', 1 * M, 1 * K],
      ['kafka error_counts 1K keys, exactly_once_v2', 'error_counts', 1 * M, 1 * K, 'exactly_once_v2'],
    ];
const KAFKA_BROKER = process.env.SLUICE_KAFKA_BROKER ?? `127.0.0.1:${process.env.SLUICE_KAFKA_PORT ?? 9092}`;

// HTTP ingestion: rows, REST Proxy batch size.
const INGEST = quick ? [20 * K, 5 * K] : [200 * K, 5 * K];

// Server: keys of state, pull requests, pull seconds, push rate, push seconds.
const SERVER = quick ? [50 * K, 20 * K, 3, 10 * K, 2] : [1 * M, 400 * K, 15, 10 * K, 10];

function child(script, args, heapMb = 8192) {
  const out = execFileSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--expose-gc', join(here, script), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop());
}

const fmtK = (x) => (x == null ? '-' : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}K` : x.toFixed(0));
const fmtMs = (x) => (x == null ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const mark = (ok) => (ok === undefined ? '' : ok ? 'met' : 'MISSED');

const started = performance.now();
const results = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  throughput: [],
  scaling: [],
  server: undefined,
  targets: [],
};
const target = (name, measured, goal, ok) => results.targets.push({ name, measured, goal, met: ok });

for (const [label, scenario, n, keys, minRate, minRatio] of THROUGHPUT) {
  if (only && !only.includes(scenario)) continue;
  process.stderr.write(`bench: ${label} (${n} records)…\n`);
  const r = child('throughput.mjs', [scenario, n, keys]);
  r.label = label;
  results.throughput.push(r);
  target(`${label} rec/s`, Math.round(r.recordsPerSec), `>= ${minRate}`, quick ? undefined : r.recordsPerSec >= minRate);
  if (minRatio) target(`${label} engine/baseline`, Number(r.ratio.toFixed(3)), `>= ${minRatio}`, quick ? undefined : r.ratio >= minRatio);
}

for (const [label, scenario, n, keys] of SCALING) {
  if (only && !only.includes(scenario)) continue;
  process.stderr.write(`bench: scaling ${label}…\n`);
  const r = child('throughput.mjs', [scenario, n, keys, '--no-baseline'], 16384);
  r.label = label;
  results.scaling.push(r);
}
if (results.scaling.length === 4) {
  const [a, b, c, d] = results.scaling;
  results.scalingSummary = {
    recordsSlowdown: a.recordsPerSec / b.recordsPerSec - 1,
    keysSlowdown: c.recordsPerSec / d.recordsPerSec - 1,
  };
  target(
    `${b.label} vs ${a.label}: slower per record`,
    Number((results.scalingSummary.recordsSlowdown * 100).toFixed(1)) + '%',
    '<= 20%',
    quick ? undefined : results.scalingSummary.recordsSlowdown <= 0.2,
  );
}

/** Whether something accepts connections at `host:port`. */
function reachable(hostPort) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port) });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

results.kafka = [];
if (!only || only.includes('kafka')) {
  if (await reachable(KAFKA_BROKER)) {
    for (const [label, scenario, n, keys, guarantee = 'at_least_once'] of KAFKA) {
      process.stderr.write(`bench: ${label} (${n} records through Kafka at ${KAFKA_BROKER})…\n`);
      const r = child('kafka-throughput.mjs', [scenario, n, keys, KAFKA_BROKER, guarantee]);
      r.label = label;
      results.kafka.push(r);
    }
    const best = Math.max(...results.kafka.map((r) => r.recordsPerSec));
    target('Kafka mode rec/s (kafkajs consumer ceiling ~80K)', Math.round(best), '>= 80000', quick ? undefined : best >= 80_000);
    const records = quick ? 20 * K : 200 * K;
    process.stderr.write(`bench: Kafka fail-over (two servers, one killed with SIGKILL, ${records} records)…\n`);
    results.failover = child('kafka-failover.mjs', [records, KAFKA_BROKER]);
  } else {
    results.kafkaSkipped = `no Kafka broker at ${KAFKA_BROKER} (start one with scripts/kafka-local.sh start)`;
    process.stderr.write(`bench: Kafka scenarios skipped: ${results.kafkaSkipped}\n`);
  }
}

if (!only || only.includes('server')) {
  process.stderr.write(`bench: server (ready, restart with ${SERVER[0]} keys, pull, push)…\n`);
  const s = child('server-bench.mjs', SERVER);
  results.server = s;
  const q = quick ? undefined : true;
  target('server ready (empty data dir) ms', Math.round(s.ready.ms), '< 500', q && s.ready.ms < 500);
  target('idle RSS MB', Math.round(s.ready.idleRssMb), '< 80', q && s.ready.idleRssMb < 80);
  target(
    `restart, 10 queries, ${fmtK(SERVER[0])} keys: queries running ms`,
    Math.round(s.restart.queriesRunningMs),
    '< 3000',
    q && s.restart.queriesRunningMs < 3000,
  );
  target(`RSS with ${fmtK(SERVER[0])} keys of state MB`, Math.round(s.restart.rssAfterPullMb), '< 600', q && s.restart.rssAfterPullMb < 600);
  target('pull QPS', Math.round(s.pull.qps), '>= 20000', q && s.pull.qps >= 20000);
  target('pull p99 ms', Number(s.pull.p99?.toFixed(2)), '< 5', q && s.pull.p99 < 5);
  target('push p99 ms at 10K events/s', Number(s.push.p99?.toFixed(2)), '< 10', q && s.push.p99 < 10 && s.push.received === s.push.events);
}
if (!only || only.includes('ingest')) {
  process.stderr.write(`bench: HTTP ingestion (${INGEST[0]} rows over /inserts-stream and POST /topics)…\n`);
  const g = child('ingest-bench.mjs', INGEST);
  results.ingest = g;
  const q = quick ? undefined : true;
  const stored = (x) => x.acked === g.rows && x.stored === g.rows;
  target('/inserts-stream rows/s, one HTTP/2 stream', Math.round(g.inserts.rowsPerSec), '>= 200000', q && g.inserts.rowsPerSec >= 200_000 && stored(g.inserts));
  target(
    `POST /topics rec/s, batches of ${fmtK(g.batch)}`,
    Math.round(g.topics.recordsPerSec),
    '>= 300000',
    q && g.topics.recordsPerSec >= 300_000 && stored(g.topics),
  );
}
results.totalSeconds = (performance.now() - started) / 1000;
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');

// ---- the table ----
const lines = [];
const m = results.machine;
lines.push(`Sluice benchmark (${results.mode}) — ${m.cpus} × ${m.model}, ${m.memGb} GB, Node ${m.node}, ${results.date.slice(0, 10)}`);
lines.push('');
lines.push('| scenario | records | keys | engine rec/s | MB/s | baseline rec/s | ratio | outputs | peak RSS MB |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results.throughput) {
  lines.push(
    `| ${r.label} | ${fmtK(r.records)} | ${fmtK(r.keys)} | ${fmtK(r.recordsPerSec)} | ${r.mbPerSec.toFixed(1)} | ${fmtK(r.baseline?.recordsPerSec)} | ${r.ratio?.toFixed(2) ?? '-'} | ${fmtK(r.outputs)} | ${r.peakRssMb.toFixed(0)} |`,
  );
}
if (results.scaling.length) {
  lines.push('');
  lines.push('| scaling | records | keys | engine rec/s | peak RSS MB |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const r of results.scaling) lines.push(`| ${r.label} | ${fmtK(r.records)} | ${fmtK(r.keys)} | ${fmtK(r.recordsPerSec)} | ${r.peakRssMb.toFixed(0)} |`);
}
if (results.kafka.length || results.kafkaSkipped) {
  lines.push('');
  lines.push('| Kafka mode | records | keys | engine rec/s | MB/s | outputs | peak RSS MB |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results.kafka)
    lines.push(
      `| ${r.label} | ${fmtK(r.records)} | ${fmtK(r.keys)} | ${fmtK(r.recordsPerSec)} | ${r.mbPerSec.toFixed(1)} | ${fmtK(r.outputs)} | ${r.peakRssMb.toFixed(0)} |`,
    );
  if (results.kafkaSkipped) lines.push(`| skipped: ${results.kafkaSkipped} | | | | | | |`);
  const f = results.failover;
  if (f) {
    lines.push('');
    lines.push(
      `Fail-over (2 servers, ${f.partitions} partitions, ${fmtK(f.records)} records over ${fmtK(f.keys)} keys, one killed with SIGKILL after half): survivor processing every partition ${fmtMs(f.takeoverMs)} ms after the kill, counts complete ${fmtMs(f.completeMs)} ms after it, ${f.wrongKeys} wrong keys.`,
    );
  }
}
if (results.server) {
  const s = results.server;
  lines.push('');
  lines.push('| server | figure |');
  lines.push('|---|---|');
  lines.push(`| ready, empty data dir | ${fmtMs(s.ready.ms)} ms (idle RSS ${s.ready.idleRssMb?.toFixed(0)} MB) |`);
  lines.push(
    `| restart, 10 queries, ${fmtK(s.restart.stateKeys)} keys | listening ${fmtMs(s.restart.listeningMs)} ms, queries running ${fmtMs(s.restart.queriesRunningMs)} ms, RSS ${s.restart.rssAfterPullMb?.toFixed(0)} MB |`,
  );
  lines.push(
    `| pull by key (32 conns, keep-alive) | ${fmtK(s.pull.qps)} QPS, p50 ${fmtMs(s.pull.p50)} ms, p99 ${fmtMs(s.pull.p99)} ms, ${s.pull.requests} requests, ${s.pull.errors} errors; CPU per request: server ${fmtMs(s.pull.serverCpuUsPerRequest)} µs, load generator ${fmtMs(s.pull.clientCpuUsPerRequest)} µs; first pull after restart ${fmtMs(s.pull.firstPullMs)} ms |`,
  );
  lines.push(
    `| push delivery at ${fmtK(s.push.rate)} ev/s | p50 ${fmtMs(s.push.p50)} ms, p99 ${fmtMs(s.push.p99)} ms, ${s.push.received}/${s.push.events} delivered |`,
  );
}
if (results.ingest) {
  const g = results.ingest;
  lines.push('');
  lines.push('| HTTP ingestion (separate client process) | rows acked | stored after restart | errors | seconds | rows/s | server CPU s | client CPU s |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  const row = (label, x, rate) =>
    `| ${label} | ${x.acked} | ${x.stored} | ${x.errors} | ${x.seconds.toFixed(2)} | ${fmtK(rate)} | ${x.serverCpuSeconds?.toFixed(2) ?? '-'} | ${x.clientCpuSeconds?.toFixed(2) ?? '-'} |`;
  lines.push(row('/inserts-stream, one HTTP/2 stream', g.inserts, g.inserts.rowsPerSec));
  lines.push(row(`POST /topics, batches of ${fmtK(g.batch)}`, g.topics, g.topics.recordsPerSec));
}
lines.push('');
lines.push('| target | measured | goal | |');
lines.push('|---|---:|---:|---|');
for (const t of results.targets) lines.push(`| ${t.name} | ${t.measured} | ${t.goal} | ${mark(t.met)} |`);
lines.push('');
lines.push(`total ${results.totalSeconds.toFixed(0)} s; results in bench/results.json`);
console.log(lines.join('\n'));
