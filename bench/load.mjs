// Load generator, run in its own process so it does not share the server's event loop.
//   node bench/load.mjs pull <port> <table> <keyColumn> <keys> <concurrency> <maxRequests> <maxSeconds>
//   node bench/load.mjs push <port> <rate> <seconds>
// Loopback only, bounded by request count and time. Prints one JSON line.
import http from 'node:http';
import { rng } from './gen.mjs';

const [mode, portArg, ...rest] = process.argv.slice(2);
const port = Number(portArg);
const HOST = '127.0.0.1';

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(lat) {
  const s = Float64Array.from(lat).sort();
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : null };
}

/** Pull queries by key over keep-alive connections, `concurrency` requests in flight. */
async function pull() {
  const [table, keyColumn, keysArg, concArg, maxArg, secArg] = rest;
  const keys = Number(keysArg);
  const concurrency = Number(concArg);
  const maxRequests = Number(maxArg);
  const seconds = Number(secArg);
  let deadline = Infinity;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const r = rng(42);
  const lat = [];
  let sent = 0;
  let errors = 0;
  let rows = 0;
  const one = () =>
    new Promise((resolve) => {
      const card = `4000${String((r() * keys) | 0).padStart(12, '0')}`;
      const body = JSON.stringify({ sql: `SELECT * FROM ${table} WHERE ${keyColumn} = '${card}';` });
      const t0 = performance.now();
      const req = http.request(
        {
          host: HOST,
          port,
          path: '/query-stream',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            lat.push(performance.now() - t0);
            if (res.statusCode !== 200) errors++;
            else rows += text.split('\n').filter((l) => l.startsWith('[')).length;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (sent < maxRequests && performance.now() < deadline) {
      sent++;
      await one();
    }
  };
  // Warm up the connections and the server's code paths (at most 20 requests or 2 s).
  const w0 = performance.now();
  let warm = 0;
  while (warm < 20 && performance.now() - w0 < 2000) {
    await one();
    warm++;
  }
  const warmupMsPerRequest = (performance.now() - w0) / warm;
  lat.length = 0;
  rows = 0;
  errors = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  deadline = t0 + seconds * 1000;
  // Requests still outstanding 5 s after the deadline are abandoned (counted as timeouts).
  const cut = new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 5000).unref());
  await Promise.race([Promise.all(Array.from({ length: concurrency }, worker)), cut]);
  const timeouts = sent - lat.length;
  const secs = (performance.now() - t0) / 1000;
  // This generator's own CPU per request: it shares the machine with the server.
  const cpu = process.cpuUsage(cpu0);
  const clientCpuUsPerRequest = (cpu.user + cpu.system) / Math.max(1, lat.length);
  agent.destroy();
  return {
    requests: lat.length,
    seconds: secs,
    qps: lat.length / secs,
    ...stats(lat),
    errors,
    timeouts,
    rowsFound: rows,
    concurrency,
    warmupMsPerRequest,
    clientCpuUsPerRequest,
  };
}

/**
 * Push delivery latency: a /query-stream push query on PING, and an /inserts-stream
 * request writing `rate` rows per second; latency = row written → row received.
 */
async function push() {
  const [rateArg, secArg] = rest;
  const rate = Number(rateArg);
  const total = Math.round(rate * Number(secArg));
  const sentAt = new Float64Array(total);
  const lat = [];
  let received = 0;
  let done;
  const finished = new Promise((res) => (done = res));
  const query = http.request({ host: HOST, port, path: '/query-stream', method: 'POST', headers: { 'content-type': 'application/json' } });
  const ready = new Promise((resolve, reject) => {
    query.on('response', (res) => {
      let buf = '';
      let header = false;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const now = performance.now();
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!header) {
            header = true;
            resolve();
            continue;
          }
          if (!line.startsWith('[')) continue;
          const seq = JSON.parse(line)[0];
          if (typeof seq === 'number' && seq < total) {
            lat.push(now - sentAt[seq]);
            if (++received === total) done();
          }
        }
      });
    });
    query.on('error', reject);
  });
  query.end(JSON.stringify({ sql: 'SELECT SEQ FROM PING EMIT CHANGES;' }));
  await ready;
  const ins = http.request({ host: HOST, port, path: '/inserts-stream', method: 'POST', headers: { 'content-type': 'application/vnd.ksqlapi.delimited.v1' } });
  ins.on('response', (res) => res.resume());
  ins.write('{"target":"PING"}\n');
  const start = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
      let text = '';
      for (; sent < due; sent++) {
        sentAt[sent] = now;
        text += `{"SEQ":${sent}}\n`;
      }
      if (text) ins.write(text);
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const timeout = new Promise((res) => setTimeout(res, 10_000));
  await Promise.race([finished, timeout]);
  ins.end();
  query.destroy();
  const secs = (performance.now() - start) / 1000;
  return { rate, events: total, received, seconds: secs, ...stats(lat) };
}

const result = mode === 'pull' ? await pull() : await push();
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
