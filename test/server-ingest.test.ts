import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import type { RunningServer } from '../src/server/index.js';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess } from './helpers/server-process.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

/**
 * HTTP ingestion in batches: the rows of `/inserts-stream` that arrive together
 * and the records of one `POST /topics/{topic}` are written with one append per
 * partition run; each row still gets its own ack (or error ack), in order, and
 * an ack is sent only once its row is in the log.
 */
describe('batched HTTP ingestion', () => {
  let server: RunningServer;
  let url: string;
  let engine: Engine;
  beforeAll(async () => {
    ({ server, url, engine } = await startTestServer());
    await ksql(url, "CREATE STREAM orders (id STRING KEY, n INT, note STRING) WITH (kafka_topic='orders', partitions=2, value_format='json');");
  });
  afterAll(() => server.close());

  /** Each partition's records of a topic as `[key, N]`, in offset order. */
  async function partitions(topic: string): Promise<[string, unknown][][]> {
    const out: [string, unknown][][] = [];
    for (let p = 0; p < (await engine.log.topic(topic))!.partitions; p++) {
      const records = await engine.log.read(topic, p, 0, 1000);
      out.push(records.map((r) => [r.key!.toString(), JSON.parse(r.value!.toString()).N]));
    }
    return out;
  }

  it('/inserts-stream: rows sent in one chunk are acked in order, a misfit gets its error ack, the rest land per partition in order', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ ID: `k${i % 5}`, N: i, NOTE: 'x' }));
    const misfit = { id: 'k1', n: 'not a number' };
    const unknown = { ID: 'k2', N: 99, COLOUR: 'red' };
    const lines = [{ target: 'orders' }, ...rows.slice(0, 20), misfit, unknown, ...rows.slice(20)].map((r) => JSON.stringify(r));
    const res = await fetch(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${lines.join('\n')}\n` });
    expect(res.status).toBe(200);
    const acks = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(acks.map((a) => a.seq)).toEqual(Array.from({ length: 42 }, (_, i) => i));
    expect(acks[20]).toEqual({
      status: 'error',
      seq: 20,
      error_code: 40001,
      message: "Failed to insert values into 'ORDERS'. Failed to deserialize value. Can't coerce string to type. targetType: INTEGER, path: $.N",
    });
    expect(acks[21]).toEqual({ status: 'error', seq: 21, error_code: 40001, message: 'Unknown column(s) for ORDERS: COLOUR' });
    expect(acks.filter((a) => a.status === 'ok')).toHaveLength(40);
    const stored = (await partitions('orders')).flat();
    expect(stored).toHaveLength(40);
    for (const p of await partitions('orders')) {
      const ns = p.map(([, n]) => n as number);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
    expect(stored.map(([, n]) => n).sort((a, b) => (a as number) - (b as number))).toEqual(rows.map((r) => r.N));
  });

  it('/inserts-stream: a DECIMAL keeps every digit sent', async () => {
    await ksql(url, "CREATE STREAM prices (amount DECIMAL(34, 16)) WITH (kafka_topic='prices', partitions=1, value_format='json');");
    const res = await fetch(`${url}/inserts-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"target":"PRICES"}\n{"AMOUNT":12345678987654321.2345678987654321}\n',
    });
    expect(await res.text()).toBe('{"status":"ok","seq":0}\n');
    const [record] = await engine.log.read('prices', 0, 0, 10);
    expect(record!.value!.toString()).toBe('{"AMOUNT":12345678987654321.2345678987654321}');
  });

  it('POST /topics/{topic}: one batch over two partitions gets dense offsets per partition, in record order', async () => {
    await ksql(url, "CREATE STREAM clicks (id STRING KEY, n INT) WITH (kafka_topic='clicks', partitions=2, value_format='json');");
    const records = Array.from({ length: 10 }, (_, i) => ({ key: `u${i % 3}`, value: { N: i } }));
    const r = await postJson(`${url}/topics/clicks`, { records }, { 'content-type': 'application/vnd.kafka.json.v2+json' });
    expect(r.status).toBe(200);
    const offsets = r.body.offsets as { partition: number; offset: number }[];
    for (const p of [0, 1]) {
      const mine = offsets.filter((o) => o.partition === p).map((o) => o.offset);
      expect(mine).toEqual(Array.from({ length: mine.length }, (_, i) => i));
    }
    const stored = await partitions('clicks');
    for (const [i, o] of offsets.entries()) expect(stored[o.partition]![o.offset]).toEqual([`u${i % 3}`, i]);
  });

  it('POST /topics/{topic}: a batch with a record that does not fit is refused whole, nothing of it written', async () => {
    await ksql(url, "CREATE STREAM taps (n INT) WITH (kafka_topic='taps', partitions=1, value_format='json');");
    const r = await postJson(
      `${url}/topics/taps`,
      { records: [{ value: { N: 1 } }, { value: { N: 'two' } }, { value: { N: 3 } }] },
      { 'content-type': 'application/vnd.kafka.json.v2+json' },
    );
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      '@type': 'generic_error',
      error_code: 40001,
      message: "Record does not fit TAPS: Failed to deserialize value. Can't coerce string to type. targetType: INTEGER, path: $.N",
    });
    expect(await engine.log.endOffset('taps', 0)).toBe(0);
  });
});

describeIf(BUNDLE_BUILT, DIST)('an /inserts-stream ack means the row is in the log', () => {
  it('rows acked over HTTP/2 before a SIGKILL are all there, in order, after it', async () => {
    const server = await startServerProcess();
    try {
      await ksql(server.url, "CREATE STREAM feed (n BIGINT, note STRING) WITH (kafka_topic='feed', partitions=1, value_format='json');");
      const session = http2.connect(server.url);
      session.on('error', () => undefined); // the server is killed under it
      const stream = session.request({ ':method': 'POST', ':path': '/inserts-stream', 'content-type': 'application/vnd.ksqlapi.delimited.v1' });
      stream.on('error', () => undefined);
      let acked = 0;
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => {
        text += c;
        const lines = text.split('\n');
        text = lines.pop()!;
        for (const l of lines) if (JSON.parse(l).status === 'ok') acked++;
      });
      stream.write('{"target":"FEED"}\n');
      let sent = 0;
      const writeMore = (): void => {
        let chunk = '';
        for (let i = 0; i < 500; i++) chunk += `{"N":${sent++},"NOTE":"row"}\n`;
        stream.write(chunk);
      };
      // Keep rows flowing until some are acknowledged, then kill the server mid-stream.
      await eventually('some rows acked', () => {
        writeMore();
        return acked >= 1000;
      });
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
      const ackedBeforeKill = acked;
      session.destroy();
      const engine = await Engine.open({ dataDir: server.dataDir, autoPump: false });
      try {
        const stored = await engine.log.read('feed', 0, 0, 10_000_000);
        expect(stored.length).toBeGreaterThanOrEqual(ackedBeforeKill);
        expect(stored.map((r) => JSON.parse(r.value!.toString()).N)).toEqual(Array.from({ length: stored.length }, (_, i) => i));
      } finally {
        await engine.close();
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
