// Ingestion load generator, run in its own process so it does not share the server's event loop.
//   node bench/ingest-load.mjs inserts <port> <stream> <rows>
//     streams `rows` JSON rows over ONE HTTP/2 /inserts-stream stream (delimited), reading the acks
//   node bench/ingest-load.mjs topics <port> <topic> <records> <batch>
//     POSTs application/vnd.kafka.json.v2+json batches of `batch` records to /topics/<topic>, one after another
// The request bodies are built before timing. Rate = rows acknowledged / time from the
// first byte sent to the last ack. Loopback only. Prints one JSON line.
import http from 'node:http';
import http2 from 'node:http2';
import { rng } from './gen.mjs';

const [mode, portArg, target, nArg, batchArg] = process.argv.slice(2);
const port = Number(portArg);
const n = Number(nArg);
const HOST = '127.0.0.1';

/** CPU seconds this process used since `from` (the client's share of the time). */
function cpuSeconds(from) {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

/** The i-th row: six columns, as `sluice datagen`'s orders quickstart. */
function rows(count) {
  const r = rng(7);
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = {
      ORDERTIME: 1_700_000_000_000 + i,
      ORDERID: i,
      ITEMID: `Item_${(r() * 1000) | 0}`,
      ORDERUNITS: Math.round(r() * 10000) / 100,
      CITY: `City_${(r() * 100) | 0}`,
      ZIPCODE: (r() * 99999) | 0,
    };
  }
  return out;
}

/** One HTTP/2 stream: the arguments line, then rows in chunks of ~64 KB, acks read as they come. */
async function inserts() {
  const data = rows(n);
  const chunks = [];
  let text = '';
  for (const row of data) {
    text += `${JSON.stringify(row)}\n`;
    if (text.length >= 64 * 1024) {
      chunks.push(text);
      text = '';
    }
  }
  if (text) chunks.push(text);
  const session = http2.connect(`http://${HOST}:${port}`);
  session.on('error', () => undefined);
  const stream = session.request({
    ':method': 'POST',
    ':path': '/inserts-stream',
    'content-type': 'application/vnd.ksqlapi.delimited.v1',
    accept: 'application/vnd.ksqlapi.delimited.v1',
  });
  let ok = 0;
  let errors = 0;
  let firstError;
  let lastAck = 0;
  let pending = '';
  let expectSeq = 0;
  let outOfOrder = 0;
  let ackChunks = 0; // about one per batch the server wrote (its acks go out together)
  const done = new Promise((resolve, reject) => {
    stream.setEncoding('utf8');
    stream.on('data', (c) => {
      ackChunks++;
      pending += c;
      let nl;
      let start = 0;
      while ((nl = pending.indexOf('\n', start)) >= 0) {
        const line = pending.slice(start, nl);
        start = nl + 1;
        if (!line) continue;
        const ack = JSON.parse(line);
        if (ack.seq !== expectSeq++) outOfOrder++;
        if (ack.status === 'ok') ok++;
        else {
          errors++;
          firstError ??= ack;
        }
      }
      pending = pending.slice(start);
      lastAck = performance.now();
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  stream.write(`${JSON.stringify({ target })}\n`);
  for (const c of chunks) {
    if (!stream.write(c)) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await done;
  session.close();
  const seconds = (lastAck - t0) / 1000;
  return { mode, rows: n, acked: ok, errors, firstError, outOfOrder, seconds, rowsPerSec: ok / seconds, ackChunks, clientCpuSeconds: cpuSeconds(cpu0) };
}

/** Sequential produce requests over one keep-alive connection. */
async function topics() {
  const batch = Number(batchArg);
  const data = rows(n);
  const bodies = [];
  for (let i = 0; i < n; i += batch) bodies.push(Buffer.from(JSON.stringify({ records: data.slice(i, i + batch).map((value) => ({ value })) })));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: HOST,
          port,
          path: `/topics/${target}`,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/vnd.kafka.json.v2+json', accept: 'application/vnd.kafka.v2+json', 'content-length': body.length },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let acked = 0;
  let errors = 0;
  let firstError;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const body of bodies) {
    const r = await post(body);
    if (r.status !== 200) {
      errors++;
      firstError ??= r.text.slice(0, 300);
      continue;
    }
    for (const o of JSON.parse(r.text).offsets) if (o.error_code === null) acked++;
  }
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { mode, records: n, batch, acked, errors, firstError, seconds, recordsPerSec: acked / seconds, clientCpuSeconds: cpuSeconds(cpu0) };
}

const result = mode === 'inserts' ? await inserts() : mode === 'topics' ? await topics() : undefined;
if (!result) throw new Error(`unknown mode ${mode}: inserts or topics`);
process.stdout.write(`${JSON.stringify(result)}\n`);
