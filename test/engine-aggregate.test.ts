/**
 * GROUP BY end to end. Expected records are worked out by hand from ksqlDB's
 * documented aggregation semantics (ksqlDB docs "Aggregate functions",
 * "GROUP BY", "HAVING"):
 *  - a non-windowed aggregate over a stream emits the new aggregate for the
 *    record's group on every input record (EMIT CHANGES), keyed by the GROUP BY
 *    columns, which move from the value into the key;
 *  - rows whose grouping expression is NULL are dropped;
 *  - COUNT(*) counts rows, COUNT(col) / SUM / AVG / MIN / MAX /
 *    COUNT_DISTINCT / LATEST_BY_OFFSET ignore NULL inputs;
 *  - aggregating a TABLE first retracts the row's old value from its old
 *    group (the "undo"), then adds the new value; a tombstone only retracts;
 *    a group whose rows are all gone is emitted with COUNT 0 (not deleted);
 *  - HAVING on a table emits a tombstone for a group only when the group was
 *    previously in the result and no longer passes.
 */
import { describe, expect, it } from 'vitest';
import { on, run, runError } from './helpers/engine-harness.js';

const S = `CREATE STREAM S (ID STRING KEY, K STRING, V INT, W STRING)
  WITH (kafka_topic='s', value_format='JSON', partitions=1);`;
const rec = (k: string | null, v: number | null, w: string | null, timestamp: number) => ({ topic: 's', key: 'id', value: { K: k, V: v, W: w }, timestamp });

describe('GROUP BY on a stream', () => {
  it('COUNT, SUM, AVG, MIN, MAX update per record; NULL inputs are ignored, NULL group keys dropped', async () => {
    const out = await run(
      `${S} CREATE TABLE AGG AS SELECT K, COUNT(*) AS CNT, COUNT(V) AS CNTV, SUM(V) AS SM, AVG(V) AS AV, MIN(V) AS MN, MAX(V) AS MX
         FROM S GROUP BY K;`,
      [rec('x', 4, null, 1), rec('y', 10, null, 2), rec('x', null, null, 3), rec('x', -2, null, 4), rec(null, 7, null, 5)],
    );
    expect(on('AGG', out)).toEqual([
      { key: 'x', value: { CNT: 1, CNTV: 1, SM: 4, AV: 4, MN: 4, MX: 4 }, timestamp: 1 },
      { key: 'y', value: { CNT: 1, CNTV: 1, SM: 10, AV: 10, MN: 10, MX: 10 }, timestamp: 2 },
      // the NULL V counts for COUNT(*) only
      { key: 'x', value: { CNT: 2, CNTV: 1, SM: 4, AV: 4, MN: 4, MX: 4 }, timestamp: 3 },
      // x has seen 4 and -2: sum 2, average 1.0
      { key: 'x', value: { CNT: 3, CNTV: 2, SM: 2, AV: 1, MN: -2, MX: 4 }, timestamp: 4 },
      // the record with K = NULL produces nothing
    ]);
  });

  it('COUNT_DISTINCT, LATEST_BY_OFFSET and COLLECT_LIST', async () => {
    const out = await run(
      `${S} CREATE TABLE D AS SELECT K, COUNT_DISTINCT(W) AS CD, LATEST_BY_OFFSET(W) AS LAST FROM S GROUP BY K;
            CREATE TABLE L AS SELECT K, COLLECT_LIST(V) AS VS FROM S WHERE V IS NOT NULL GROUP BY K;`,
      [rec('x', 1, 'a', 1), rec('x', 2, 'b', 2), rec('x', 1, 'a', 3), rec('x', null, null, 4), rec('y', 3, 'c', 5)],
    );
    expect(on('D', out)).toEqual([
      { key: 'x', value: { CD: 1, LAST: 'a' }, timestamp: 1 },
      { key: 'x', value: { CD: 2, LAST: 'b' }, timestamp: 2 },
      { key: 'x', value: { CD: 2, LAST: 'a' }, timestamp: 3 },
      // a NULL W neither adds a distinct value nor replaces the latest (nulls ignored by default)
      { key: 'x', value: { CD: 2, LAST: 'a' }, timestamp: 4 },
      { key: 'y', value: { CD: 1, LAST: 'c' }, timestamp: 5 },
    ]);
    expect(on('L', out)).toEqual([
      { key: 'x', value: { VS: [1] }, timestamp: 1 },
      { key: 'x', value: { VS: [1, 2] }, timestamp: 2 },
      { key: 'x', value: { VS: [1, 2, 1] }, timestamp: 3 },
      { key: 'y', value: { VS: [3] }, timestamp: 5 },
    ]);
  });

  it('aggregates only rows passing WHERE, and can group by an expression', async () => {
    const out = await run(`${S} CREATE TABLE AGG AS SELECT UCASE(K) AS UK, SUM(V) AS SM FROM S WHERE V > 0 GROUP BY UCASE(K);`, [
      rec('a', 1, null, 1),
      rec('A', 2, null, 2),
      rec('a', -5, null, 3),
      rec('b', 3, null, 4),
    ]);
    expect(on('AGG', out)).toEqual([
      { key: 'A', value: { SM: 1 }, timestamp: 1 },
      { key: 'A', value: { SM: 3 }, timestamp: 2 },
      { key: 'B', value: { SM: 3 }, timestamp: 4 },
    ]);
  });

  it('multi-column GROUP BY makes a multi-column key (JSON key format)', async () => {
    const out = await run(
      `CREATE STREAM O (ID STRING KEY, REGION STRING, KIND STRING, AMT INT) WITH (kafka_topic='o', value_format='JSON', partitions=1);
       CREATE TABLE T WITH (KEY_FORMAT='JSON') AS SELECT REGION, KIND, COUNT(*) AS N, SUM(AMT) AS TOTAL FROM O GROUP BY REGION, KIND;`,
      [
        { topic: 'o', key: '1', value: { REGION: 'eu', KIND: 'a', AMT: 5 }, timestamp: 1 },
        { topic: 'o', key: '2', value: { REGION: 'eu', KIND: 'b', AMT: 6 }, timestamp: 2 },
        { topic: 'o', key: '3', value: { REGION: 'eu', KIND: 'a', AMT: 7 }, timestamp: 3 },
        { topic: 'o', key: '4', value: { REGION: 'us', KIND: null, AMT: 1 }, timestamp: 4 },
      ],
    );
    expect(on('T', out)).toEqual([
      { key: { REGION: 'eu', KIND: 'a' }, value: { N: 1, TOTAL: 5 }, timestamp: 1 },
      { key: { REGION: 'eu', KIND: 'b' }, value: { N: 1, TOTAL: 6 }, timestamp: 2 },
      { key: { REGION: 'eu', KIND: 'a' }, value: { N: 2, TOTAL: 12 }, timestamp: 3 },
      // a NULL in any grouping column drops the row
    ]);
  });

  it('rejects a multi-column GROUP BY into the KAFKA key format', async () => {
    // ksqlDB: "The 'KAFKA' format only supports a single field"
    expect(await runError(`${S} CREATE TABLE T AS SELECT K, W, COUNT(*) AS N FROM S GROUP BY K, W;`)).toMatch(/KAFKA/);
  });
});

describe('GROUP BY on a table', () => {
  const T = `CREATE TABLE ACCOUNTS (ID STRING PRIMARY KEY, REGION STRING, BAL INT)
    WITH (kafka_topic='acc', value_format='JSON', partitions=1);
    CREATE TABLE BY_REGION AS SELECT REGION, COUNT(*) AS N, SUM(BAL) AS TOTAL FROM ACCOUNTS GROUP BY REGION;`;
  const acc = (id: string, value: { REGION: string; BAL: number } | null, timestamp: number) => ({ topic: 'acc', key: id, value, timestamp });

  it('retracts the old row from its old group before adding the new one', async () => {
    const out = await run(T, [
      acc('a1', { REGION: 'east', BAL: 10 }, 1),
      acc('a2', { REGION: 'east', BAL: 5 }, 2),
      acc('a1', { REGION: 'east', BAL: 30 }, 3), // same group: undo 10, add 30
      acc('a1', { REGION: 'west', BAL: 30 }, 4), // moves group: east loses it, then west gains it
    ]);
    expect(on('BY_REGION', out)).toEqual([
      { key: 'east', value: { N: 1, TOTAL: 10 }, timestamp: 1 },
      { key: 'east', value: { N: 2, TOTAL: 15 }, timestamp: 2 },
      // undo of a1's old row and add of its new row land in the same group: one update
      // (Kafka Streams applies subtractor then adder to one change and forwards once)
      { key: 'east', value: { N: 2, TOTAL: 35 }, timestamp: 3 },
      { key: 'east', value: { N: 1, TOTAL: 5 }, timestamp: 4 },
      { key: 'west', value: { N: 1, TOTAL: 30 }, timestamp: 4 },
    ]);
  });

  it('a tombstone retracts the row; an emptied group is emitted with COUNT 0', async () => {
    const out = await run(T, [acc('a1', { REGION: 'east', BAL: 10 }, 1), acc('a1', null, 2), acc('nobody', null, 3)]);
    expect(on('BY_REGION', out)).toEqual([
      { key: 'east', value: { N: 1, TOTAL: 10 }, timestamp: 1 },
      { key: 'east', value: { N: 0, TOTAL: 0 }, timestamp: 2 },
      // a tombstone for a key the table never held changes nothing
    ]);
  });

  it('refuses COLLECT_SET, which cannot undo (ksqlDB CollectSetUdaf is not a TableUdaf)', async () => {
    const sql = `CREATE TABLE ACCOUNTS (ID STRING PRIMARY KEY, REGION STRING, BAL INT)
      WITH (kafka_topic='acc', value_format='JSON', partitions=1);
      CREATE TABLE SETS AS SELECT REGION, COLLECT_SET(BAL) AS BALS FROM ACCOUNTS GROUP BY REGION;`;
    expect(await runError(sql)).toContain('The aggregation function COLLECT_SET cannot be applied to a table source, only to a stream source.');
  });
});

describe('HAVING', () => {
  it('emits a tombstone only for groups that previously passed', async () => {
    const out = await run(`${S} CREATE TABLE H AS SELECT K, SUM(V) AS SM FROM S GROUP BY K HAVING SUM(V) > 10;`, [
      rec('a', 5, null, 1), //  a=5: never passed -> nothing
      rec('a', 6, null, 2), //  a=11: passes -> a 11
      rec('b', 20, null, 3), // b=20 -> b 20
      rec('a', -3, null, 4), // a=8: was in the result, now fails -> tombstone
      rec('a', 1, null, 5), //  a=9: fails, not in the result any more -> nothing
      rec('a', 5, null, 6), //  a=14 -> a 14
      rec('c', 1, null, 7), //  c=1: never passed -> nothing
    ]);
    expect(on('H', out)).toEqual([
      { key: 'a', value: { SM: 11 }, timestamp: 2 },
      { key: 'b', value: { SM: 20 }, timestamp: 3 },
      { key: 'a', value: null, timestamp: 4 },
      { key: 'a', value: { SM: 14 }, timestamp: 6 },
    ]);
  });

  it('on a table aggregate, a group emptied by a tombstone that fails HAVING is tombstoned', async () => {
    const out = await run(
      `CREATE TABLE ACCOUNTS (ID STRING PRIMARY KEY, REGION STRING, BAL INT) WITH (kafka_topic='acc', value_format='JSON', partitions=1);
       CREATE TABLE BUSY AS SELECT REGION, SUM(BAL) AS TOTAL FROM ACCOUNTS GROUP BY REGION HAVING COUNT(*) > 0;`,
      [
        { topic: 'acc', key: 'a1', value: { REGION: 'east', BAL: 10 }, timestamp: 1 },
        { topic: 'acc', key: 'a1', value: null, timestamp: 2 }, // east now has no rows: COUNT 0 fails
        { topic: 'acc', key: 'a2', value: { REGION: 'east', BAL: 7 }, timestamp: 3 },
      ],
    );
    expect(on('BUSY', out)).toEqual([
      { key: 'east', value: { TOTAL: 10 }, timestamp: 1 },
      { key: 'east', value: null, timestamp: 2 },
      { key: 'east', value: { TOTAL: 7 }, timestamp: 3 },
    ]);
  });

  it('on windows, tracks which groups passed per window: a group failing in one window leaves its other windows alone', async () => {
    const out = await run(`${S} CREATE TABLE H AS SELECT K, SUM(V) AS SM FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K HAVING SUM(V) > 10;`, [
      rec('a', 11, null, 1000), //  a [0,10s) = 11 -> passes
      rec('a', 12, null, 10000), // a [10s,20s) = 12 -> passes
      rec('a', -5, null, 2000), //  a [0,10s) = 6: was in the result -> tombstone for that window only
      rec('a', -1, null, 11000), // a [10s,20s) = 11: still passes
      rec('a', -1, null, 3000), //  a [0,10s) = 5: not in the result any more -> nothing
    ]);
    const time = (start: number) => ({ start, end: start + 10000, type: 'time' });
    expect(on('H', out)).toEqual([
      { key: 'a', value: { SM: 11 }, timestamp: 1000, window: time(0) },
      { key: 'a', value: { SM: 12 }, timestamp: 10000, window: time(10000) },
      { key: 'a', value: null, timestamp: 2000, window: time(0) },
      { key: 'a', value: { SM: 11 }, timestamp: 11000, window: time(10000) },
    ]);
  });

  it('with a key of several columns, tombstones exactly the group that stops passing', async () => {
    const out = await run(`${S} CREATE TABLE H WITH (key_format='JSON') AS SELECT K, W, SUM(V) AS SM FROM S GROUP BY K, W HAVING SUM(V) > 10;`, [
      rec('a', 11, 'x', 1), //  (a,x) = 11 -> passes
      rec('a', 20, 'y', 2), //  (a,y) = 20 -> passes
      rec('a', -5, 'x', 3), //  (a,x) = 6 -> tombstone
      rec('a', -5, 'x', 4), //  (a,x) = 1 -> nothing
      rec('a', -1, 'y', 5), //  (a,y) = 19 -> still passes
    ]);
    expect(on('H', out)).toEqual([
      { key: { K: 'a', W: 'x' }, value: { SM: 11 }, timestamp: 1 },
      { key: { K: 'a', W: 'y' }, value: { SM: 20 }, timestamp: 2 },
      { key: { K: 'a', W: 'x' }, value: null, timestamp: 3 },
      { key: { K: 'a', W: 'y' }, value: { SM: 19 }, timestamp: 5 },
    ]);
  });

  it('HAVING may use an aggregate that is not projected', async () => {
    const out = await run(`${S} CREATE TABLE H AS SELECT K, MAX(V) AS MX FROM S GROUP BY K HAVING COUNT(*) >= 2;`, [
      rec('a', 5, null, 1),
      rec('b', 1, null, 2),
      rec('a', 3, null, 3),
    ]);
    expect(on('H', out)).toEqual([{ key: 'a', value: { MX: 5 }, timestamp: 3 }]);
  });
});
