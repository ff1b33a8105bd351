/**
 * A query with several inputs processes their records in event-time order
 * (Kafka Streams' PartitionGroup): a join created over data already in its
 * topics gives the answers it gives when the same records arrive live, one at a
 * time or in batches of any size.
 */
import { describe, expect, it } from 'vitest';
import { startEngine, type Harness } from './helpers/engine-harness.js';
import { eventually } from './helpers/eventually.js';
// The benchmark's seedable PRNG (mulberry32): a failure replays from its seed.
import { rng } from '../bench/gen.mjs';

/** One record to insert: into which source, with which values (SQL literals) and ROWTIME. */
interface Ins {
  readonly source: string;
  readonly cols: string;
  readonly values: string;
  readonly ts: number;
}

const insertSql = (r: Ins) => `INSERT INTO ${r.source} (${r.cols}, ROWTIME) VALUES (${r.values}, ${r.ts});`;

/** Every record of a topic: key, value and timestamp, partition by partition. */
async function sinkRecords(h: Harness, topic: string): Promise<string[]> {
  return (await h.read(topic)).map((r) => `${r.partition}|${r.key}|${r.value}|${r.timestamp}`);
}

type Arrival = { kind: 'preloaded' } | { kind: 'batches'; size: number };

/**
 * Runs `ddl`, then the query `csas` writing `sink`, with `inputs` inserted before the
 * query starts (preloaded) or after it, processed every `size` records.
 */
async function outputOf(ddl: string, csas: string, sink: string, inputs: readonly Ins[], arrival: Arrival): Promise<string[]> {
  const h = await startEngine();
  // Every update is compared, so no record cache: with one, updates collapse per batch by design.
  const every = { properties: { 'cache.max.bytes.buffering': '0' } };
  await h.engine.execute(ddl);
  if (arrival.kind === 'preloaded') {
    if (inputs.length > 0) await h.engine.execute(inputs.map(insertSql).join('\n'));
    await h.engine.execute(csas, every);
    await h.engine.pumpAll();
  } else {
    await h.engine.execute(csas, every);
    await h.engine.pumpAll();
    for (let i = 0; i < inputs.length; i += arrival.size) {
      await h.engine.execute(
        inputs
          .slice(i, i + arrival.size)
          .map(insertSql)
          .join('\n'),
      );
      await h.engine.pumpAll();
    }
  }
  const out = await sinkRecords(h, sink);
  await h.engine.close();
  return out;
}

describe('joins over data already in their topics', () => {
  const S = `CREATE STREAM S (ID STRING KEY, N INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;
  const T = `CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='t', value_format='JSON', partitions=1);`;
  // The table row is written (and timestamped) before the stream row it enriches.
  const rows: Ins[] = [
    { source: 'T', cols: 'ID, NAME', values: `'a', 'Ann'`, ts: 500 },
    { source: 'S', cols: 'ID, N', values: `'a', 1`, ts: 1000 },
  ];

  for (const kind of ['LEFT', 'INNER'] as const) {
    it(`stream-table ${kind} JOIN sees the table row written before the stream row`, async () => {
      const csas = `CREATE STREAM SYT AS SELECT S.ID, N, NAME FROM S ${kind} JOIN T ON S.ID = T.ID;`;
      expect(await outputOf(S + T, csas, 'SYT', rows, { kind: 'preloaded' })).toEqual(['0|a|{"N":1,"NAME":"Ann"}|1000']);
    });
  }

  it('stream-table LEFT JOIN: a stream row earlier than the table row does not see it, however both were written', async () => {
    // Stream row at 400, table row at 500: the stream row goes first, unmatched.
    const early: Ins[] = [
      { source: 'T', cols: 'ID, NAME', values: `'a', 'Ann'`, ts: 500 },
      { source: 'S', cols: 'ID, N', values: `'a', 1`, ts: 400 },
    ];
    const csas = `CREATE STREAM SYT AS SELECT S.ID, N, NAME FROM S LEFT JOIN T ON S.ID = T.ID;`;
    expect(await outputOf(S + T, csas, 'SYT', early, { kind: 'preloaded' })).toEqual(['0|a|{"N":1,"NAME":null}|400']);
  });

  const L = `CREATE STREAM L (ID STRING KEY, A INT) WITH (kafka_topic='l', value_format='JSON', partitions=1);`;
  const R = `CREATE STREAM R (ID STRING KEY, B INT) WITH (kafka_topic='r', value_format='JSON', partitions=1);`;
  // Rows one second apart: R's row is written first but is the later one.
  const lr: Ins[] = [
    { source: 'R', cols: 'ID, B', values: `'a', 2`, ts: 2000 },
    { source: 'L', cols: 'ID, A', values: `'a', 1`, ts: 1000 },
  ];
  for (const kind of ['LEFT', 'INNER'] as const) {
    it(`stream-stream ${kind} JOIN WITHIN 5 SECONDS GRACE PERIOD 5 SECONDS joins rows 1 s apart`, async () => {
      const csas = `CREATE STREAM J AS SELECT L.ID, A, B FROM L ${kind} JOIN R WITHIN 5 SECONDS GRACE PERIOD 5 SECONDS ON L.ID = R.ID;`;
      expect(await outputOf(L + R, csas, 'J', lr, { kind: 'preloaded' })).toEqual(['0|a|{"A":1,"B":2}|2000']);
    });
  }
});

/**
 * Records for each source, written in event-time order across sources (on equal
 * times, tables first): the order in which a live query would see them if they
 * arrived one at a time. `outOfOrder` sources get some records later than ones
 * before them in their own topic (only where order within a topic alone decides
 * the answer, e.g. an aggregation's grace period).
 */
function records(
  seed: number,
  sources: readonly { name: string; cols: string; table: boolean; value: (r: () => number) => string }[],
  n: number,
  outOfOrder = false,
): Ins[] {
  const r = rng(seed);
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const out: (Ins & { rank: number })[] = [];
  let ts = 10_000;
  for (let i = 0; i < n; i++) {
    ts += Math.floor(r() * 1500);
    const s = Math.floor(r() * sources.length);
    const src = sources[s]!;
    const key = keys[Math.floor(r() * keys.length)]!;
    const late = outOfOrder && r() < 0.2 ? Math.floor(r() * 12_000) : 0;
    out.push({ source: src.name, cols: src.cols, values: `'${key}', ${src.value(r)}`, ts: ts - late, rank: (src.table ? 0 : sources.length) + s });
  }
  if (!outOfOrder) out.sort((x, y) => x.ts - y.ts || x.rank - y.rank);
  return out.map(({ rank: _r, ...rest }) => rest);
}

const num = (r: () => number) => String(Math.floor(r() * 100));
const str = (r: () => number) => `'v${Math.floor(r() * 100)}'`;

interface Scenario {
  readonly name: string;
  readonly ddl: string;
  readonly csas: string;
  readonly sink: string;
  readonly inputs: Ins[];
  /**
   * Compare each sink partition's records per key only: a single-source query's
   * partitions are separate tasks, whose writes into a shared sink partition
   * interleave as they happen to run (in ksqlDB too).
   */
  readonly perKey?: boolean;
}

/** Records in sink order, or (perKey) grouped by partition and key, keeping each key's order. */
function canonical(out: readonly string[], perKey: boolean | undefined): readonly string[] {
  if (!perKey) return out;
  const at = (r: string) => r.slice(0, r.indexOf('|', r.indexOf('|') + 1));
  return out
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (at(x.r) < at(y.r) ? -1 : at(x.r) > at(y.r) ? 1 : x.i - y.i))
    .map((x) => x.r);
}

function scenarios(partitions: number): Scenario[] {
  const stream = (name: string, col: string, type: string) =>
    `CREATE STREAM ${name} (ID STRING KEY, ${col} ${type}) WITH (kafka_topic='${name.toLowerCase()}', value_format='JSON', partitions=${partitions});`;
  const table = (name: string, col: string, type: string) =>
    `CREATE TABLE ${name} (ID STRING PRIMARY KEY, ${col} ${type}) WITH (kafka_topic='${name.toLowerCase()}', value_format='JSON', partitions=${partitions});`;
  const L = { name: 'L', cols: 'ID, A', table: false, value: num };
  const R = { name: 'R', cols: 'ID, B', table: false, value: num };
  const T = { name: 'T', cols: 'ID, NAME', table: true, value: str };
  const U = { name: 'U', cols: 'ID, C', table: true, value: num };
  const F = { name: 'F', cols: 'ID, REF', table: true, value: (r: () => number) => `'${'abcde'[Math.floor(r() * 5)]}'` };
  const ddlLR = stream('L', 'A', 'INT') + stream('R', 'B', 'INT');
  const out: Scenario[] = [];
  for (const kind of ['INNER', 'LEFT', 'RIGHT', 'FULL OUTER']) {
    out.push({
      name: `stream-stream ${kind} JOIN with grace`,
      ddl: ddlLR,
      csas: `CREATE STREAM J AS SELECT ROWKEY AS K, A, B FROM L ${kind} JOIN R WITHIN 3 SECONDS GRACE PERIOD 2 SECONDS ON L.ID = R.ID;`,
      sink: 'J',
      inputs: records(11, [L, R], 80),
    });
  }
  out.push({
    name: 'stream-stream LEFT JOIN without grace (legacy)',
    ddl: ddlLR,
    csas: `CREATE STREAM J AS SELECT L.ID, A, B FROM L LEFT JOIN R WITHIN 3 SECONDS ON L.ID = R.ID;`,
    sink: 'J',
    inputs: records(12, [L, R], 80),
  });
  for (const kind of ['INNER', 'LEFT']) {
    out.push({
      name: `stream-table ${kind} JOIN`,
      ddl: stream('L', 'A', 'INT') + table('T', 'NAME', 'STRING'),
      csas: `CREATE STREAM J AS SELECT L.ID, A, NAME FROM L ${kind} JOIN T ON L.ID = T.ID;`,
      sink: 'J',
      inputs: records(13, [L, T], 80),
    });
  }
  for (const kind of ['INNER', 'LEFT', 'FULL OUTER']) {
    out.push({
      name: `table-table ${kind} JOIN`,
      ddl: table('T', 'NAME', 'STRING') + table('U', 'C', 'INT'),
      csas: `CREATE TABLE J AS SELECT ROWKEY AS K, NAME, C FROM T ${kind} JOIN U ON T.ID = U.ID;`,
      sink: 'J',
      inputs: records(14, [T, U], 80),
    });
  }
  out.push({
    name: 'foreign-key table-table LEFT JOIN',
    ddl: table('F', 'REF', 'STRING') + table('U', 'C', 'INT'),
    csas: `CREATE TABLE J AS SELECT F.ID, REF, C FROM F LEFT JOIN U ON F.REF = U.ID;`,
    sink: 'J',
    inputs: records(15, [F, U], 80),
  });
  out.push({
    name: 'n-way join: stream-stream then stream-table',
    ddl: ddlLR + table('T', 'NAME', 'STRING'),
    csas: `CREATE STREAM J AS SELECT L.ID, A, B, NAME FROM L JOIN R WITHIN 3 SECONDS GRACE PERIOD 2 SECONDS ON L.ID = R.ID LEFT JOIN T ON L.ID = T.ID;`,
    sink: 'J',
    inputs: records(16, [L, R, T], 90),
  });
  out.push({
    name: 'windowed aggregation with grace (records out of order within the topic)',
    ddl: stream('L', 'A', 'INT'),
    csas: `CREATE TABLE J AS SELECT ID, COUNT(*) AS C, SUM(A) AS S FROM L WINDOW TUMBLING (SIZE 5 SECONDS, GRACE PERIOD 2 SECONDS) GROUP BY ID;`,
    sink: 'J',
    inputs: records(17, [L], 80, true),
    perKey: true,
  });
  out.push({
    name: 'EMIT FINAL windowed aggregation (records out of order within the topic)',
    ddl: stream('L', 'A', 'INT'),
    csas: `CREATE TABLE J AS SELECT ID, COUNT(*) AS C FROM L WINDOW TUMBLING (SIZE 5 SECONDS, RETENTION 1 HOUR, GRACE PERIOD 2 SECONDS) GROUP BY ID EMIT FINAL;`,
    sink: 'J',
    inputs: records(19, [L], 80, true),
    perKey: true,
  });
  out.push({
    name: 'session windows with grace (records out of order within the topic)',
    ddl: stream('L', 'A', 'INT'),
    csas: `CREATE TABLE J AS SELECT ID, COUNT(*) AS C FROM L WINDOW SESSION (3 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY ID;`,
    sink: 'J',
    inputs: records(18, [L], 80, true),
    perKey: true,
  });
  return out;
}

describe("a query's output does not depend on how its input arrives", () => {
  const arrivals: Arrival[] = [
    { kind: 'batches', size: 1 },
    { kind: 'batches', size: 7 },
    { kind: 'batches', size: 20_000 },
  ];
  for (const partitions of [1, 2]) {
    for (const s of scenarios(partitions)) {
      it(`${s.name} (${partitions} partition${partitions > 1 ? 's' : ''}): preloaded = live one by one = batches of 7 = batches of 20000`, async () => {
        const preloaded = canonical(await outputOf(s.ddl, s.csas, s.sink, s.inputs, { kind: 'preloaded' }), s.perKey);
        expect(preloaded.length).toBeGreaterThan(0);
        for (const a of arrivals) {
          expect({ arrival: a, out: canonical(await outputOf(s.ddl, s.csas, s.sink, s.inputs, a), s.perKey) }).toEqual({ arrival: a, out: preloaded });
        }
      });
    }
  }
});

describe('max.task.idle.ms', () => {
  const S = `CREATE STREAM S (ID STRING KEY, N INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;
  const T = `CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='t', value_format='JSON', partitions=1);`;
  const CSAS = `CREATE STREAM SYT AS SELECT S.ID, N, NAME FROM S LEFT JOIN T ON S.ID = T.ID;`;

  it('0 (the default): a stream row goes on without the table once the table is read to its end', async () => {
    const h = await startEngine();
    await h.engine.execute(S + T + CSAS);
    await h.engine.execute(`INSERT INTO S (ID, N, ROWTIME) VALUES ('a', 1, 1000);`);
    await h.engine.pumpAll();
    await h.engine.execute(`INSERT INTO T (ID, NAME, ROWTIME) VALUES ('a', 'Ann', 500);`);
    await h.engine.pumpAll();
    expect(await sinkRecords(h, 'SYT')).toEqual(['0|a|{"N":1,"NAME":null}|1000']);
    await h.engine.close();
  });

  it('a wait holds the stream row while the table has no record, and the row goes on when the wait ends', async () => {
    const h = await startEngine();
    await h.engine.execute(`SET 'max.task.idle.ms'='5000'; ${S} ${T} ${CSAS}`);
    await h.engine.execute(`INSERT INTO S (ID, N, ROWTIME) VALUES ('a', 1, 1000);`);
    await h.engine.pumpAll();
    expect(await sinkRecords(h, 'SYT')).toEqual([]);
    // The table's row (earlier by time) goes first; then the task waits again for the table, up to 5 s.
    await h.engine.execute(`INSERT INTO T (ID, NAME, ROWTIME) VALUES ('a', 'Ann', 500);`);
    await h.engine.pumpAll();
    const out = await eventually('the joined row on SYT', async () => {
      const recs = await sinkRecords(h, 'SYT');
      return recs.length > 0 && recs;
    });
    expect(out).toEqual(['0|a|{"N":1,"NAME":"Ann"}|1000']);
    await h.engine.close();
  });
});
