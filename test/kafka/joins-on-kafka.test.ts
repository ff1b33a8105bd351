// Joins in Kafka mode over records already in their topics: the inputs of a task are
// processed in event-time order, so a query created after its data gives ksqlDB's answers
// (issue 12's reproducers), whatever order the topics were written in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Engine } from '../../src/runtime/engine/engine.js';
import { consumeAll, createTopic, describeKafka, KAFKA_BROKER, produce, uniqueTopic } from './broker.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-kafka-joins-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (serviceId: string) => Engine.open({ dataDir, kafka: { brokers: [KAFKA_BROKER], serviceId }, autoPump: true });

/** Creates the topics, writes `first` then `second` (whole topics), then runs `sql` over them; returns the sink's values. */
async function joinOverPreloaded(opts: {
  readonly ddl: (a: string, b: string) => string;
  readonly first: { readonly key: string; readonly value: string; readonly timestamp: number }[];
  readonly second: { readonly key: string; readonly value: string; readonly timestamp: number }[];
  readonly query: (sink: string) => string;
  readonly expected: number;
}): Promise<unknown[]> {
  const service = uniqueTopic('svc');
  const a = uniqueTopic('a');
  const b = uniqueTopic('b');
  const sink = uniqueTopic('j');
  await createTopic(a, 2);
  await createTopic(b, 2);
  await produce(
    a,
    opts.first.map((m) => ({ ...m, timestamp: String(m.timestamp) })),
  );
  await produce(
    b,
    opts.second.map((m) => ({ ...m, timestamp: String(m.timestamp) })),
  );
  const engine = await open(service);
  try {
    await engine.execute(`${opts.ddl(a, b)} SET 'auto.offset.reset'='earliest'; ${opts.query(sink)}`);
    const out = await consumeAll(sink, opts.expected);
    return out.map((m) => (m.value === null ? null : JSON.parse(m.value)));
  } finally {
    await engine.close();
  }
}

const streamTable = (a: string, b: string) =>
  `CREATE STREAM S (ID STRING KEY, N INT) WITH (kafka_topic='${a}', value_format='JSON'); CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='${b}', value_format='JSON');`;
const streamStream = (a: string, b: string) =>
  `CREATE STREAM L (ID STRING KEY, A INT) WITH (kafka_topic='${a}', value_format='JSON'); CREATE STREAM R (ID STRING KEY, B INT) WITH (kafka_topic='${b}', value_format='JSON');`;

describeKafka('joins on Kafka over preloaded topics', () => {
  for (const kind of ['LEFT', 'INNER']) {
    it(`stream-table ${kind} JOIN: the table row at 500 enriches the stream row at 1000 written before it`, async () => {
      const values = await joinOverPreloaded({
        ddl: streamTable,
        first: [{ key: 'a', value: '{"N":1}', timestamp: 1000 }],
        second: [{ key: 'a', value: '{"NAME":"Ann"}', timestamp: 500 }],
        query: (sink) => `CREATE STREAM SYT WITH (kafka_topic='${sink}', partitions=2) AS SELECT S.ID, N, NAME FROM S ${kind} JOIN T ON S.ID = T.ID;`,
        expected: 1,
      });
      expect(values).toEqual([{ N: 1, NAME: 'Ann' }]);
    }, 60_000);

    it(`stream-stream ${kind} JOIN WITHIN 5 SECONDS GRACE PERIOD 5 SECONDS joins rows 1 s apart`, async () => {
      // Twelve keys; each R row comes 1 s after its L row. Read side by side, L's stream time
      // would run 11 s ahead and close the first windows before R's rows were seen.
      const keys = Array.from({ length: 12 }, (_, i) => i);
      const values = await joinOverPreloaded({
        ddl: streamStream,
        first: keys.map((i) => ({ key: `k${i}`, value: `{"A":${i}}`, timestamp: 1000 * (i + 1) })),
        second: keys.map((i) => ({ key: `k${i}`, value: `{"B":${i}}`, timestamp: 1000 * (i + 2) })),
        query: (sink) =>
          `CREATE STREAM J WITH (kafka_topic='${sink}', partitions=2) AS SELECT L.ID, A, B FROM L ${kind} JOIN R WITHIN 5 SECONDS GRACE PERIOD 5 SECONDS ON L.ID = R.ID;`,
        expected: 12,
      });
      expect((values as { A: number }[]).sort((x, y) => x.A - y.A)).toEqual(keys.map((i) => ({ A: i, B: i })));
    }, 60_000);
  }

  it('table-table LEFT JOIN: each left row sees the right row as of its time', async () => {
    const values = await joinOverPreloaded({
      ddl: (a, b) =>
        `CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='${a}', value_format='JSON'); CREATE TABLE U (ID STRING PRIMARY KEY, C INT) WITH (kafka_topic='${b}', value_format='JSON');`,
      // T: a@1000 'x', a@3000 'y'; U: a@2000 7. Order by time: T x (no U yet), U 7 (x,7), T y (y,7).
      first: [
        { key: 'a', value: '{"NAME":"x"}', timestamp: 1000 },
        { key: 'a', value: '{"NAME":"y"}', timestamp: 3000 },
      ],
      second: [{ key: 'a', value: '{"C":7}', timestamp: 2000 }],
      query: (sink) => `CREATE TABLE J WITH (kafka_topic='${sink}', partitions=2) AS SELECT T.ID, NAME, C FROM T LEFT JOIN U ON T.ID = U.ID;`,
      expected: 3,
    });
    expect(values).toEqual([
      { NAME: 'x', C: null },
      { NAME: 'x', C: 7 },
      { NAME: 'y', C: 7 },
    ]);
  }, 60_000);
});
