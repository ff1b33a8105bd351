// Server scenarios 6-8, run as a child process:
//   node bench/server-bench.mjs <keys> <pullRequests> <pullSeconds> <pushRate> <pushSeconds>
// Prepares a data directory (10 persistent queries, one of them a table with
// `keys` keys of state) with an in-process engine, then measures the real
// `sluice server` (bin/sluice.js, the built bundle) in its own process:
// ready time on an empty data dir and idle RSS; restart time until the queries
// run again and RSS with the state loaded; pull queries by key (load generator
// in another process); push delivery latency.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../dist/src/runtime/engine/engine.js';
import { cpuMs, startServer, stopServer } from './server-child.mjs';
import { bids, fill, monitoring, transactions } from './gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [keysArg, pullReqArg, pullSecArg, pushRateArg, pushSecArg] = process.argv.slice(2);
const keys = Number(keysArg);
const tmp = process.env.BENCH_TMP ?? tmpdir();

const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
};

function post(port, path, body, contentType = 'application/json') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': contentType } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function load(args) {
  const out = execFileSync(process.execPath, [join(here, 'load.mjs'), ...args.map(String)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const result = {};

// 8a. Ready with an empty data dir, idle RSS.
{
  const dir = mkdtempSync(join(tmp, 'sluice-bench-empty-'));
  const runs = [];
  let idle = null;
  for (let i = 0; i < 3; i++) {
    rmSync(dir, { recursive: true, force: true });
    const { child, readyMs } = await startServer(dir);
    runs.push(readyMs);
    if (i === 2) {
      await sleep(2000);
      idle = rssMb(child.pid);
    }
    await stopServer(child);
  }
  rmSync(dir, { recursive: true, force: true });
  result.ready = { ms: Math.min(...runs), runsMs: runs, idleRssMb: idle };
}

// Prepare: 10 persistent queries, CARD_TOTALS with `keys` keys of state.
const dataDir = mkdtempSync(join(tmp, 'sluice-bench-server-'));
try {
  const p0 = performance.now();
  {
    const engine = await Engine.open({ dataDir, autoPump: false });
    await engine.execute(`
      CREATE STREAM transactions (card_number STRING, merchant STRING, amount DOUBLE) WITH (kafka_topic='transactions', value_format='JSON', partitions=1);
      CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime BIGINT, extra STRING) WITH (kafka_topic='bids', value_format='JSON', partitions=1);
      CREATE STREAM monitoring_stream (host STRING KEY, type STRING, error_code INT, message STRING) WITH (kafka_topic='monitoring', value_format='JSON', partitions=1);
      CREATE STREAM ping (seq BIGINT) WITH (kafka_topic='ping', value_format='JSON', partitions=1);`);
    await fill(engine.log, 'transactions', transactions(keys, { cards: keys }));
    await fill(engine.log, 'bids', bids(100_000));
    await fill(engine.log, 'monitoring', monitoring(100_000));
    const props = { properties: { 'auto.offset.reset': 'earliest' } };
    await engine.execute(
      `CREATE TABLE card_totals AS SELECT card_number, COUNT(*) AS n, SUM(amount) AS total FROM transactions GROUP BY card_number;
       CREATE STREAM big_tx AS SELECT * FROM transactions WHERE amount > 450;
       CREATE TABLE merchant_totals AS SELECT merchant, COUNT(*) AS n FROM transactions GROUP BY merchant;
       CREATE STREAM q1 AS SELECT auction, bidder, CAST(price AS DOUBLE) * 0.908 AS price, dateTime FROM bids;
       CREATE STREAM q2 AS SELECT auction, price FROM bids WHERE auction % 123 = 0;
       CREATE TABLE bids_per_channel AS SELECT channel, COUNT(*) AS n FROM bids GROUP BY channel;
       CREATE TABLE error_counts AS SELECT error_code, COUNT(*) AS n FROM monitoring_stream WINDOW TUMBLING (SIZE 1 MINUTE) WHERE type = 'ERROR' GROUP BY error_code;
       CREATE STREAM errors_only AS SELECT * FROM monitoring_stream WHERE type = 'ERROR';
       CREATE TABLE host_counts AS SELECT host, COUNT(*) AS n FROM monitoring_stream GROUP BY host;
       CREATE STREAM pings AS SELECT * FROM ping;`,
      props,
    );
    await engine.pumpAll();
    result.prepare = { ms: performance.now() - p0, queries: engine.queries.size, stateKeys: keys };
    await engine.close();
  }

  // 8b. Restart: until listening, then until the queries process new input again.
  const t0 = performance.now();
  const { child, port, readyMs } = await startServer(dataDir);
  try {
    // A push query on PINGS (written by a persistent query from PING): once a probe
    // inserted into PING arrives there, the replayed queries are pumping again.
    await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/query-stream', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        let inserted = false;
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
          if (!inserted && text.includes('\n')) {
            inserted = true;
            post(port, '/inserts-stream', '{"target":"PING"}\n{"SEQ":-1}\n', 'application/vnd.ksqlapi.delimited.v1').catch(reject);
          }
          if (text.includes('[-1]')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
      req.end(JSON.stringify({ sql: 'SELECT SEQ FROM PINGS EMIT CHANGES;' }));
      setTimeout(() => reject(new Error('queries did not resume within 120 s')), 120_000).unref();
    });
    const runningMs = performance.now() - t0;
    result.restart = { listeningMs: readyMs, queriesRunningMs: runningMs, queries: 10, stateKeys: keys, rssMb: rssMb(child.pid) };

    // 6. Pull queries by key. The first after the restart fills the table's view from its
    // topic: timed on its own, then the server's CPU per request under the load.
    const f0 = performance.now();
    load(['pull', port, 'CARD_TOTALS', 'CARD_NUMBER', keys, 1, 1, 120]);
    const firstPullMs = performance.now() - f0;
    const cpu0 = cpuMs(child.pid);
    result.pull = load(['pull', port, 'CARD_TOTALS', 'CARD_NUMBER', keys, 32, pullReqArg, pullSecArg]);
    // Warm-up requests (load.mjs makes up to 20 before timing) are counted in.
    result.pull.serverCpuUsPerRequest = ((cpuMs(child.pid) - cpu0) * 1000) / (result.pull.requests + 20);
    result.pull.firstPullMs = firstPullMs;
    result.pull.keys = keys;
    result.restart.rssAfterPullMb = rssMb(child.pid);

    // 7. Push query delivery latency.
    result.push = load(['push', port, pushRateArg, pushSecArg]);
    result.push.serverRssMb = rssMb(child.pid);
  } finally {
    await stopServer(child);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + '\n');
