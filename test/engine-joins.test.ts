/**
 * Joins end to end: stream-stream (windowed, legacy and with GRACE PERIOD),
 * stream-table, table-table, n-way, column naming and planner errors.
 * Expected records are worked out by hand from ksqlDB's documented join
 * semantics ("Join Event Streams with ksqlDB", "Time and Windows", the
 * "Joins" overview) and Kafka Streams' join operators that ksqlDB compiles to:
 *  - stream-stream: a left record at t matches right records in
 *    [t - before, t + after] (WITHIN n = (n, n); bounds inclusive); a joined row
 *    carries max(left ts, right ts). Without GRACE PERIOD (legacy), an outer
 *    side's unmatched record is emitted at once (and joins again later if a
 *    match arrives); with GRACE PERIOD, only once stream time passes
 *    t + after + grace (right side: t + before + grace), with its own
 *    timestamp, and never if it joined. A record older than the window
 *    store's retention (before + after + grace) joins nothing; on an outer
 *    side its window is already closed, so it is emitted unmatched at once;
 *  - stream-table: a lookup of the table row current when the stream record
 *    is processed; table changes emit nothing; a tombstone deletes the row;
 *    the output carries the stream record's timestamp;
 *  - table-table on primary keys: a change on either side re-joins the key
 *    and emits the result (timestamp = max of the two rows) or a tombstone
 *    when the key stops producing a row;
 *  - output key = the join key; the key column is named after the join
 *    column selected (left side preferred); a synthetic key (FULL OUTER, or
 *    neither side of ON a plain column) is ROWKEY and must be selected.
 */
import { describe, expect, it } from 'vitest';
import { formatType } from '../src/common/types.js';
import { on, run, runError, startEngine, type TestRecord } from './helpers/engine-harness.js';

const L = `CREATE STREAM L (ID INT KEY, LV STRING) WITH (kafka_topic='l', value_format='JSON', partitions=1);`;
const R = `CREATE STREAM R (ID INT KEY, RV STRING) WITH (kafka_topic='r', value_format='JSON', partitions=1);`;
const l = (id: number, lv: string, timestamp: number): TestRecord => ({ topic: 'l', key: id, value: { LV: lv }, timestamp });
const r = (id: number, rv: string, timestamp: number): TestRecord => ({ topic: 'r', key: id, value: { RV: rv }, timestamp });
const row = (key: unknown, LV: string | null, RV: string | null, timestamp: number) => ({ key, value: { LV, RV }, timestamp });

/** The sink's schema as ksqlDB's DESCRIBE prints it: `NAME TYPE KEY, NAME TYPE, …`. */
async function schemaOf(sql: string, name: string): Promise<string> {
  const h = await startEngine();
  await h.engine.execute(sql);
  const s = h.engine.catalog.getSource(name);
  if (!s) throw new Error(`${name} was not created`);
  return [
    ...s.schema.key.map((c) => `${c.name} ${formatType(c.type)} KEY`),
    ...s.schema.value.filter((c) => c.namespace === 'VALUE').map((c) => `${c.name} ${formatType(c.type)}`),
  ].join(', ');
}

describe('stream-stream joins, legacy WITHIN (no grace period)', () => {
  // Window ±10 s. Inputs exercise both inclusive bounds, a just-outside record,
  // an out-of-order left record that joins three buffered right records, and
  // a right record just outside a buffered left record's window.
  const inputs = [
    l(1, 'a', 1000),
    r(1, 'x', 5000), //  left window [−5000, 15000] holds a
    r(1, 'y', 11000), // [1000, 21000]: a at exactly 1000 joins (inclusive)
    r(1, 'z', 11001), // [1001, 21001]: a is 1 ms too early
    l(2, 'b', 12000),
    l(1, 'c', 3000), //  right window [−7000, 13000] holds x, y and z
    r(2, 'w', 22001), // [12001, 32001]: b is 1 ms too early
  ];
  const join = (type: string, select = 'L.ID, LV, RV') =>
    `${L} ${R} CREATE STREAM OUT AS SELECT ${select} FROM L ${type} JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`;

  it('INNER emits each matching pair once, stamped with the later timestamp', async () => {
    const out = await run(join('INNER'), inputs);
    expect(on('OUT', out)).toEqual([row(1, 'a', 'x', 5000), row(1, 'a', 'y', 11000), row(1, 'c', 'x', 5000), row(1, 'c', 'y', 11000), row(1, 'c', 'z', 11001)]);
  });

  it('LEFT emits an unmatched left record at once, and its joins when matches arrive', async () => {
    const out = await run(join('LEFT'), inputs);
    expect(on('OUT', out)).toEqual([
      row(1, 'a', null, 1000),
      row(1, 'a', 'x', 5000),
      row(1, 'a', 'y', 11000),
      row(2, 'b', null, 12000),
      row(1, 'c', 'x', 5000),
      row(1, 'c', 'y', 11000),
      row(1, 'c', 'z', 11001),
    ]);
  });

  it('RIGHT emits an unmatched right record at once with null left columns', async () => {
    const out = await run(join('RIGHT'), inputs);
    expect(on('OUT', out)).toEqual([
      row(1, 'a', 'x', 5000),
      row(1, 'a', 'y', 11000),
      row(1, null, 'z', 11001),
      row(1, 'c', 'x', 5000),
      row(1, 'c', 'y', 11000),
      row(1, 'c', 'z', 11001),
      row(2, null, 'w', 22001),
    ]);
  });

  it('FULL OUTER emits unmatched records of both sides; ROWKEY is the key of whichever side is present', async () => {
    const out = await run(join('FULL OUTER', 'ROWKEY AS K, L.ID, R.ID, LV, RV'), inputs);
    const full = (key: number, lid: number | null, rid: number | null, LV: string | null, RV: string | null, timestamp: number) => ({
      key,
      value: { L_ID: lid, R_ID: rid, LV, RV },
      timestamp,
    });
    expect(on('OUT', out)).toEqual([
      full(1, 1, null, 'a', null, 1000),
      full(1, 1, 1, 'a', 'x', 5000),
      full(1, 1, 1, 'a', 'y', 11000),
      full(1, null, 1, null, 'z', 11001),
      full(2, 2, null, 'b', null, 12000),
      full(1, 1, 1, 'c', 'x', 5000),
      full(1, 1, 1, 'c', 'y', 11000),
      full(1, 1, 1, 'c', 'z', 11001),
      full(2, null, 2, null, 'w', 22001),
    ]);
  });

  it('OUTER is optional after FULL, LEFT and RIGHT; INNER is optional', async () => {
    // ksqlDB's grammar: joinType is INNER? | FULL OUTER? | LEFT OUTER? | RIGHT OUTER?.
    const same = async (a: string, b: string, select = 'ROWKEY AS K, LV, RV') => {
      const x = on('OUT', await run(join(a, select), inputs));
      expect(x).toEqual(on('OUT', await run(join(b, select), inputs)));
      return x.length;
    };
    expect(await same('FULL', 'FULL OUTER')).toBe(9);
    expect(await same('LEFT OUTER', 'LEFT', 'L.ID, LV, RV')).toBe(7);
    expect(await same('RIGHT OUTER', 'RIGHT', 'L.ID, LV, RV')).toBe(7);
    expect(await same('', 'INNER', 'L.ID, LV, RV')).toBe(5);
  });

  it('a bare OUTER JOIN is a syntax error (FULL is required)', async () => {
    expect(await runError(join('OUTER', 'ROWKEY AS K, LV, RV'))).toMatch(/OUTER/);
  });

  it('records with a null value are skipped, even on an outer side', async () => {
    const out = await run(join('LEFT'), [{ topic: 'l', key: 1, value: null, timestamp: 1 }, { topic: 'r', key: 1, value: null, timestamp: 2 }, l(1, 'a', 4)]);
    expect(on('OUT', out)).toEqual([row(1, 'a', null, 4)]);
  });

  it('other time units: WITHIN 1 MINUTE and WITHIN 500 MILLISECONDS', async () => {
    const minute = await run(join('INNER').replace('10 SECONDS', '1 MINUTE'), [l(1, 'a', 0), r(1, 'x', 60000), r(1, 'y', 60001)]);
    expect(on('OUT', minute)).toEqual([row(1, 'a', 'x', 60000)]);
    const ms = await run(join('INNER').replace('10 SECONDS', '500 MILLISECONDS'), [l(1, 'a', 1000), r(1, 'x', 1500), r(1, 'y', 499)]);
    expect(on('OUT', ms)).toEqual([row(1, 'a', 'x', 1500)]);
  });
});

describe('stream-stream joins, asymmetric WITHIN (before, after)', () => {
  // WITHIN (2 SECONDS, 5 SECONDS): a left record at t joins right records in
  // [t − 2 s, t + 5 s]; so a right record at t joins left records in [t − 5 s, t + 2 s].
  const sql = (type: string) => `${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L ${type} JOIN R WITHIN (2 SECONDS, 5 SECONDS) ON L.ID = R.ID;`;
  const inputs = [
    l(1, 'a', 10000),
    r(1, 'p', 7999), //  left range [2999, 9999]: misses a
    r(1, 'q', 8000), //  [3000, 10000]: a (2 s before a, inclusive)
    r(1, 's', 15000), // [10000, 17000]: a (5 s after a, inclusive)
    r(1, 't', 15001), // [10001, 17001]: misses a
    l(1, 'b', 13000), // right range [11000, 18000]: s and t, not p or q
  ];

  it('INNER matches right records up to `before` earlier and `after` later', async () => {
    const out = await run(sql('INNER'), inputs);
    expect(on('OUT', out)).toEqual([row(1, 'a', 'q', 10000), row(1, 'a', 's', 15000), row(1, 'b', 's', 15000), row(1, 'b', 't', 15001)]);
  });

  it('the window is not symmetric: swapping before and after changes the matches', async () => {
    // WITHIN (5 SECONDS, 2 SECONDS): a at 10000 joins right records in [5000, 12000].
    const out = await run(sql('INNER').replace('(2 SECONDS, 5 SECONDS)', '(5 SECONDS, 2 SECONDS)'), inputs);
    // p 7999, q 8000 join a; s, t (15000/15001) are more than 2 s after a;
    // b at 13000 takes right records in [8000, 15000]: q and s.
    expect(on('OUT', out)).toEqual([row(1, 'a', 'p', 10000), row(1, 'a', 'q', 10000), row(1, 'b', 'q', 13000), row(1, 'b', 's', 15000)]);
  });

  it('RIGHT (legacy) emits right records outside every left window at once', async () => {
    const out = await run(sql('RIGHT'), inputs);
    expect(on('OUT', out)).toEqual([
      row(1, null, 'p', 7999),
      row(1, 'a', 'q', 10000),
      row(1, 'a', 's', 15000),
      row(1, null, 't', 15001),
      row(1, 'b', 's', 15000),
      row(1, 'b', 't', 15001),
    ]);
  });
});

describe('stream-stream joins with GRACE PERIOD', () => {
  const sql = (type: string, select = 'L.ID, LV, RV', within = 'WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS') =>
    `${L} ${R} CREATE STREAM OUT AS SELECT ${select} FROM L ${type} JOIN R ${within} ON L.ID = R.ID;`;

  it('LEFT emits an unmatched left record only once stream time passes t + after + grace', async () => {
    const inputs = [
      l(1, 'a', 1000), //  held back
      r(1, 'x', 5000), //  joins a: a is never emitted unmatched
      l(2, 'b', 6000), //  held back: window closes after 6000 + 10000 + 5000 = 21000
      r(3, 'y', 21000), // stream time 21000: b's window is not yet closed
      r(3, 'z', 21001), // stream time 21001: b is emitted, with its own timestamp
    ];
    expect(on('OUT', await run(sql('LEFT'), inputs.slice(0, 4)))).toEqual([row(1, 'a', 'x', 5000)]);
    expect(on('OUT', await run(sql('LEFT'), inputs))).toEqual([row(1, 'a', 'x', 5000), row(2, 'b', null, 6000)]);
  });

  it('an out-of-order record within the grace period still joins', async () => {
    const out = await run(sql('LEFT'), [
      l(8, 'h', 60000),
      r(9, 'i', 60000), // stream time 60000, window stores keep ts >= 35000
      l(6, 'g', 50000), // late but retained; its window closes at 65000
      r(6, 'j', 47000), // late but retained; left range [37000, 57000] holds g
    ]);
    expect(on('OUT', out)).toEqual([row(6, 'g', 'j', 50000)]);
  });

  it('records older than window + grace join nothing; on an outer side they are emitted unmatched at once', async () => {
    const inputs = [
      l(8, 'h', 60000),
      r(9, 'i', 60000), // both window stores now keep only ts >= 60000 − 25000
      r(5, 'f', 20000), // too late: dropped by the right store
      l(5, 'e', 20000), // too late: finds nothing
    ];
    expect(on('OUT', await run(sql('INNER'), inputs))).toEqual([]);
    expect(on('OUT', await run(sql('LEFT'), inputs))).toEqual([row(5, 'e', null, 20000)]);
    expect(on('OUT', await run(sql('FULL OUTER', 'ROWKEY AS K, LV, RV'), inputs))).toEqual([row(5, null, 'f', 20000), row(5, 'e', null, 20000)]);
  });

  it('RIGHT emits an unmatched right record once its window closes', async () => {
    const within = 'WITHIN 5 SECONDS GRACE PERIOD 1 SECOND';
    const inputs = [
      r(1, 'x', 10000), // held back: left records up to 15000 may join it, closes after 16000
      l(2, 'a', 16000),
      l(2, 'b', 16001),
    ];
    expect(on('OUT', await run(sql('RIGHT', 'L.ID, LV, RV', within), inputs.slice(0, 2)))).toEqual([]);
    expect(on('OUT', await run(sql('RIGHT', 'L.ID, LV, RV', within), inputs))).toEqual([row(1, null, 'x', 10000)]);
  });

  it('FULL OUTER holds back both sides and drops the pending record when it joins', async () => {
    const within = 'WITHIN 5 SECONDS GRACE PERIOD 2 SECONDS';
    const out = await run(sql('FULL OUTER', 'ROWKEY AS K, LV, RV', within), [
      l(1, 'a', 1000), //  closes after 8000
      r(2, 'x', 3000), //  closes after 10000
      l(3, 'c', 8000), //  stream time 8000: nothing closed yet
      r(3, 'y', 9000), //  a's window closed → (a, null); then y joins c
      l(4, 'd', 10001), // x's window closed → (null, x); c joined, so it is never emitted alone
    ]);
    expect(on('OUT', out)).toEqual([row(1, 'a', null, 1000), row(3, 'c', 'y', 9000), row(2, null, 'x', 3000)]);
  });

  // Kafka Streams' KStreamKStreamJoin (which ksqlDB's stream-stream joins compile to) keeps
  // pending outer records in one store keyed <timestamp><left/right flag><key> and emits the
  // closed ones by iterating it in that order: oldest first, across both sides.
  it('pending outer records whose windows close together are emitted oldest first, across sides', async () => {
    const out = await run(sql('FULL OUTER', 'ROWKEY AS K, LV, RV', 'WITHIN 5 SECONDS GRACE PERIOD 0 SECONDS'), [
      l(1, 'a', 2000),
      r(2, 'x', 1000), // out of order, still open
      l(3, 'b', 1500), // out of order, still open
      l(9, 'z', 20000), // closes all three windows
    ]);
    expect(on('OUT', out)).toEqual([row(2, null, 'x', 1000), row(3, 'b', null, 1500), row(1, 'a', null, 2000)]);
  });

  it('INNER with a grace period joins as without one', async () => {
    const out = await run(sql('INNER', 'L.ID, LV, RV', 'WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS'), [l(1, 'a', 1000), r(1, 'x', 11000), r(1, 'y', 11001)]);
    expect(on('OUT', out)).toEqual([row(1, 'a', 'x', 11000)]);
  });
});

describe('stream-table joins', () => {
  const ORDERS = `CREATE STREAM ORDERS (OID INT KEY, CUST STRING, AMOUNT INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);`;
  const CUSTOMERS = `CREATE TABLE CUSTOMERS (CID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='customers', value_format='JSON', partitions=1);`;
  const sql = (type: string) =>
    `${ORDERS} ${CUSTOMERS} CREATE STREAM ENRICHED AS SELECT O.CUST, OID, AMOUNT, NAME FROM ORDERS O ${type} JOIN CUSTOMERS C ON O.CUST = C.CID;`;
  const order = (oid: number, cust: string, amount: number, timestamp: number): TestRecord => ({
    topic: 'orders',
    key: oid,
    value: { CUST: cust, AMOUNT: amount },
    timestamp,
  });
  const customer = (cid: string, name: string | null, timestamp: number): TestRecord => ({
    topic: 'customers',
    key: cid,
    value: name === null ? null : { NAME: name },
    timestamp,
  });
  const inputs = [
    order(1, 'c1', 10, 1000), //   no customer yet
    customer('c1', 'Ann', 2000), // table change: no output
    order(2, 'c1', 20, 3000),
    customer('c1', 'Annie', 4000),
    order(3, 'c1', 30, 5000), //   sees the update
    customer('c2', 'Bob', 9000), //  later timestamp, but processed first
    order(4, 'c2', 40, 8500), //   uses the row current when processed
    customer('c1', null, 6000), //  tombstone: c1 removed
    order(5, 'c1', 50, 7000),
  ];
  const enriched = (cust: string, oid: number, amount: number, name: string | null, timestamp: number) => ({
    key: cust,
    value: { OID: oid, AMOUNT: amount, NAME: name },
    timestamp,
  });

  it('INNER looks up the current table row; table updates emit nothing; a tombstone removes the row', async () => {
    const out = await run(sql('INNER'), inputs);
    // Output key is the join key (the stream is re-keyed by CUST), timestamp the stream record's.
    expect(on('ENRICHED', out)).toEqual([enriched('c1', 2, 20, 'Ann', 3000), enriched('c1', 3, 30, 'Annie', 5000), enriched('c2', 4, 40, 'Bob', 8500)]);
  });

  it('LEFT emits every stream record, with null table columns when there is no row', async () => {
    const out = await run(sql('LEFT'), inputs);
    expect(on('ENRICHED', out)).toEqual([
      enriched('c1', 1, 10, null, 1000),
      enriched('c1', 2, 20, 'Ann', 3000),
      enriched('c1', 3, 30, 'Annie', 5000),
      enriched('c2', 4, 40, 'Bob', 8500),
      enriched('c1', 5, 50, null, 7000),
    ]);
  });

  it('the output is a stream: a stream-table join is created with CREATE STREAM and its sink holds every event', async () => {
    const h = await startEngine();
    await h.engine.execute(sql('LEFT'));
    expect(h.engine.catalog.getSource('ENRICHED')?.sourceType).toBe('STREAM');
    expect(await runError(`${ORDERS} ${CUSTOMERS} CREATE TABLE ENRICHED AS SELECT O.CUST, NAME FROM ORDERS O JOIN CUSTOMERS C ON O.CUST = C.CID;`)).toMatch(
      /Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead./,
    );
  });

  it('joins on the stream key when the stream is keyed like the table', async () => {
    const out = await run(
      `CREATE STREAM VISITS (CID STRING KEY, PAGE STRING) WITH (kafka_topic='visits', value_format='JSON', partitions=1);
       ${CUSTOMERS}
       CREATE STREAM V AS SELECT V.CID, PAGE, NAME FROM VISITS V JOIN CUSTOMERS C ON V.CID = C.CID;`,
      [
        customer('c1', 'Ann', 1),
        { topic: 'visits', key: 'c1', value: { PAGE: 'home' }, timestamp: 2 },
        { topic: 'visits', key: 'c9', value: { PAGE: 'x' }, timestamp: 3 },
      ],
    );
    expect(on('V', out)).toEqual([{ key: 'c1', value: { PAGE: 'home', NAME: 'Ann' }, timestamp: 2 }]);
  });

  it('enrichment example: VIP clicks, filtering on a table column after a LEFT JOIN', async () => {
    const sqlText = `
      CREATE STREAM clickstream (userid STRING, page STRING, action STRING) WITH (kafka_topic='clickstream', value_format='JSON', partitions=1);
      CREATE TABLE users (user_id STRING PRIMARY KEY, level STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);
      CREATE STREAM vip_users AS SELECT userid, page, action FROM clickstream c LEFT JOIN users u ON c.userid = u.user_id WHERE u.level = 'Platinum';`;
    const user = (id: string, level: string | null, timestamp: number): TestRecord => ({
      topic: 'users',
      key: id,
      value: level === null ? null : { LEVEL: level },
      timestamp,
    });
    const click = (userid: string, page: string, action: string, timestamp: number): TestRecord => ({
      topic: 'clickstream',
      key: null,
      value: { USERID: userid, PAGE: page, ACTION: action },
      timestamp,
    });
    const out = await run(sqlText, [
      user('u1', 'Platinum', 0),
      user('u2', 'Gold', 0),
      click('u1', 'home', 'view', 100), //     Platinum: kept
      click('u2', 'home', 'view', 110), //     Gold: filtered
      click('u3', 'home', 'view', 120), //     no user: LEVEL is null, so the WHERE is false
      user('u2', 'Platinum', 200), //         upgrade: no output by itself
      click('u2', 'cart', 'checkout', 300), // now Platinum
      user('u1', null, 400), //               deleted
      click('u1', 'home', 'view', 500), //     no longer a VIP
    ]);
    expect(on('VIP_USERS', out)).toEqual([
      { key: 'u1', value: { PAGE: 'home', ACTION: 'view' }, timestamp: 100 },
      { key: 'u2', value: { PAGE: 'cart', ACTION: 'checkout' }, timestamp: 300 },
    ]);
    expect(await schemaOf(sqlText, 'VIP_USERS')).toBe('USERID STRING KEY, PAGE STRING, ACTION STRING');
  });
});

describe('joins of windowed sources', () => {
  const src = (name: string, topic: string, with_: string) =>
    `CREATE STREAM ${name} (ID INT KEY, V BIGINT) WITH (kafka_topic='${topic}', value_format='JSON', partitions=1${with_ ? `, ${with_}` : ''});`;
  const time = (start: number, end: number) => ({ start, end, type: 'time' });
  const session = (start: number, end: number) => ({ start, end, type: 'session' });

  it('time windows join on key and window start; the output keeps the left window', async () => {
    const sql = `${src('S1', 'l', "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND'")} ${src('S2', 'r', "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND'")}
      CREATE STREAM J AS SELECT S1.ID, S1.V AS LV, S2.V AS RV, S1.WINDOWSTART AS WS, S1.WINDOWEND AS WE FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;`;
    const out = await run(sql, [
      { topic: 'l', key: 1, value: { V: 1 }, timestamp: 10, window: time(0, 1000) },
      { topic: 'r', key: 1, value: { V: 2 }, timestamp: 1010, window: time(1000, 2000) }, // another window: no join
      { topic: 'r', key: 1, value: { V: 3 }, timestamp: 20, window: time(0, 1000) },
    ]);
    expect(on('J', out)).toEqual([{ key: 1, value: { LV: 1, RV: 3, WS: 0, WE: 1000 }, timestamp: 20, window: time(0, 1000) }]);
  });

  it('session windows join only when both bounds match', async () => {
    const sql = `${src('S1', 'l', "WINDOW_TYPE='SESSION'")} ${src('S2', 'r', "WINDOW_TYPE='SESSION'")}
      CREATE STREAM J AS SELECT S1.ID, S1.V AS LV, S2.V AS RV FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;`;
    const out = await run(sql, [
      { topic: 'l', key: 1, value: { V: 1 }, timestamp: 765, window: session(234, 765) },
      { topic: 'r', key: 1, value: { V: 2 }, timestamp: 567, window: session(234, 567) },
      { topic: 'r', key: 1, value: { V: 3 }, timestamp: 765, window: session(234, 765) },
    ]);
    expect(on('J', out)).toEqual([{ key: 1, value: { LV: 1, RV: 3 }, timestamp: 765, window: session(234, 765) }]);
  });

  it('rejects a windowed source joined to a non-windowed one', async () => {
    const err = await runError(
      `${src('S1', 'l', "WINDOW_TYPE='SESSION'")} ${src('S2', 'r', '')} CREATE STREAM J AS SELECT * FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;`,
    );
    expect(err).toContain('Can not join windowed source to non-windowed source.\n`S1` is SESSION windowed\n`S2` is not windowed');
  });

  it('rejects a session-windowed source joined to a time-windowed one', async () => {
    const err = await runError(
      `${src('S1', 'l', "WINDOW_TYPE='SESSION'")} ${src('S2', 'r', "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND'")} CREATE STREAM J AS SELECT * FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;`,
    );
    expect(err).toContain('Incompatible windowed sources.\nLeft source: SESSION\nRight source: TUMBLING\nSession windowed sources can only be joined');
  });

  it('rejects re-keying a windowed source, or KAFKA keys with different windows', async () => {
    const hop = "WINDOW_TYPE='HOPPING', WINDOW_SIZE='5 SECONDS'";
    const tum = "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='2 SECONDS'";
    const msg = 'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.';
    expect(
      await runError(`${src('S1', 'l', hop)} ${src('S2', 'r', hop)} CREATE STREAM J AS SELECT * FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = ABS(S2.ID);`),
    ).toContain(msg);
    expect(
      await runError(`${src('S1', 'l', hop)} ${src('S2', 'r', tum)} CREATE STREAM J AS SELECT * FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;`),
    ).toContain(msg);
  });
});

describe('PARTITION BY after a join', () => {
  const L = `CREATE STREAM L (A INT KEY, B INT, C INT) WITH (kafka_topic='l', value_format='JSON', partitions=1);`;
  const R = `CREATE STREAM R (X INT KEY, Y INT, Z INT) WITH (kafka_topic='r', value_format='JSON', partitions=1);`;

  it('SELECT * lists every source column as ALIAS_NAME, system columns included, minus the new key', async () => {
    const out = await run(`${L} ${R} CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.B = R.Y PARTITION BY A;`, [
      { topic: 'l', key: 0, value: { B: 1, C: 2 }, timestamp: 11 },
      { topic: 'r', key: -1, value: { Y: 1, Z: -2 }, timestamp: 12 },
    ]);
    expect(on('O', out)).toEqual([
      {
        key: 0,
        value: { L_B: 1, L_C: 2, L_ROWTIME: 11, L_ROWPARTITION: 0, L_ROWOFFSET: 0, R_Y: 1, R_Z: -2, R_ROWTIME: 12, R_ROWPARTITION: 0, R_ROWOFFSET: 0, R_X: -1 },
        timestamp: 12,
      },
    ]);
  });
});

describe('join key equivalence (ksqlDB JoinTree)', () => {
  const S = (n: string) => `CREATE STREAM ${n} (ID INT KEY, V0 BIGINT) WITH (kafka_topic='${n.toLowerCase()}', value_format='JSON', partitions=1);`;

  it('a later join on an expression the earlier key equals keeps that key column viable', async () => {
    // ABS(S2.ID) equals the first join's key S1.ID, so S1.ID still names the key.
    const sql = `${S('S1')} ${S('S2')} ${S('S3')} CREATE STREAM O AS SELECT S1.ID, S1.V0, S2.V0, S3.V0 FROM S1
      JOIN S2 WITHIN 10 SECONDS ON S1.ID = ABS(S2.ID) JOIN S3 WITHIN 10 SECONDS ON ABS(S2.ID) = ABS(S3.ID);`;
    const out = await run(sql, [
      { topic: 's3', key: 0, value: { V0: 3 }, timestamp: 10 },
      { topic: 's2', key: 0, value: { V0: 2 }, timestamp: 11 },
      { topic: 's1', key: 0, value: { V0: 1 }, timestamp: 12 },
    ]);
    expect(on('O', out)).toEqual([{ key: 0, value: { S1_V0: 1, S2_V0: 2, S3_V0: 3 }, timestamp: 12 }]);
  });

  it('the missing-key error lists every viable key column', async () => {
    const err = await runError(`${S('S1')} ${S('S2')} ${S('S3')} CREATE STREAM O AS SELECT S1.V0, S2.V0 AS X, S3.V0 AS Y FROM S1
      JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID JOIN S3 WITHIN 10 SECONDS ON S2.ID = S3.ID;`);
    expect(err).toContain('must include the join expressions S1.ID, S2.ID or S3.ID in its projection (eg, SELECT S1.ID...).');
  });
});

describe('synthetic join key name', () => {
  it('is ROWKEY_n with the lowest n no source column uses (ksqlDB generateSyntheticJoinKey)', async () => {
    const l = `CREATE TABLE L (ROWKEY INT PRIMARY KEY, ROWKEY_1 INT, ROWKEY_2 INT) WITH (kafka_topic='l', value_format='JSON', partitions=1);`;
    const r = `CREATE TABLE R (ROWKEY_3 INT PRIMARY KEY, ROWKEY_4 INT, ROWKEY_5 INT) WITH (kafka_topic='r', value_format='JSON', partitions=1);`;
    const out = await run(`${l} ${r} CREATE TABLE J AS SELECT ROWKEY_6, L.ROWKEY, R.ROWKEY_3, L.ROWKEY_1 FROM L FULL OUTER JOIN R ON L.ROWKEY = R.ROWKEY_3;`, [
      { topic: 'l', key: 1, value: { ROWKEY_1: 2, ROWKEY_2: 3 }, timestamp: 0 },
      { topic: 'r', key: 1, value: { ROWKEY_4: 4, ROWKEY_5: 5 }, timestamp: 100 },
    ]);
    expect(on('J', out)).toEqual([
      { key: 1, value: { ROWKEY: 1, ROWKEY_3: null, ROWKEY_1: 2 }, timestamp: 0 },
      { key: 1, value: { ROWKEY: 1, ROWKEY_3: 1, ROWKEY_1: 2 }, timestamp: 100 },
    ]);
  });

  it('the missing-key error names the generated key column', async () => {
    const l = `CREATE TABLE L (ROWKEY INT PRIMARY KEY, V INT) WITH (kafka_topic='l', value_format='JSON', partitions=1);`;
    const r = `CREATE TABLE R (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='r', value_format='JSON', partitions=1);`;
    const err = await runError(`${l} ${r} CREATE TABLE J AS SELECT V, W FROM L FULL OUTER JOIN R ON L.ROWKEY = R.ID;`);
    expect(err).toContain('must include the join expression ROWKEY_1 in its projection (eg, SELECT ROWKEY_1...).');
    expect(err).toContain('ROWKEY_1 was added as a synthetic key column');
  });
});

describe('table-table joins on primary keys', () => {
  const A = `CREATE TABLE A (ID INT PRIMARY KEY, AV STRING) WITH (kafka_topic='a', value_format='JSON', partitions=1);`;
  const B = `CREATE TABLE B (ID INT PRIMARY KEY, BV STRING) WITH (kafka_topic='b', value_format='JSON', partitions=1);`;
  const a = (id: number, av: string | null, timestamp: number): TestRecord => ({ topic: 'a', key: id, value: av === null ? null : { AV: av }, timestamp });
  const b = (id: number, bv: string | null, timestamp: number): TestRecord => ({ topic: 'b', key: id, value: bv === null ? null : { BV: bv }, timestamp });
  const joined = (key: number, AV: string | null, BV: string | null, timestamp: number) => ({ key, value: { AV, BV }, timestamp });
  const tombstone = (key: number, timestamp: number) => ({ key, value: null, timestamp });

  it('INNER: a change on either side re-joins; deleting a side retracts the row', async () => {
    const out = await run(`${A} ${B} CREATE TABLE J AS SELECT A.ID, AV, BV FROM A JOIN B ON A.ID = B.ID;`, [
      a(1, 'a1', 100), //  no B row: nothing
      b(1, 'b1', 200), //  joined, ts max(100, 200)
      a(1, 'a2', 150), //  update with an older timestamp: ts is still max(150, 200)
      b(2, 'b2', 300), //  no A row: nothing
      b(1, null, 400), //  B deleted: the joined row is retracted
      a(1, null, 500), //  nothing was joined any more: no output
      a(2, 'a3', 600), //  joins b2
    ]);
    expect(on('J', out)).toEqual([joined(1, 'a1', 'b1', 200), joined(1, 'a2', 'b1', 200), tombstone(1, 400), joined(2, 'a3', 'b2', 600)]);
  });

  it('LEFT: every left row is present, with null right columns when B has none', async () => {
    const out = await run(`${A} ${B} CREATE TABLE J AS SELECT A.ID, AV, BV FROM A LEFT JOIN B ON A.ID = B.ID;`, [
      a(1, 'a1', 100),
      b(1, 'b1', 200),
      b(1, null, 300), //  right deleted: back to the left row alone
      a(1, null, 400), //  left deleted: tombstone
      b(2, 'b2', 500), //  no left row: nothing
    ]);
    expect(on('J', out)).toEqual([joined(1, 'a1', null, 100), joined(1, 'a1', 'b1', 200), joined(1, 'a1', null, 300), tombstone(1, 400)]);
  });

  it('FULL OUTER: a row exists while either side does; the key is ROWKEY', async () => {
    const out = await run(`${A} ${B} CREATE TABLE J AS SELECT ROWKEY AS ID, AV, BV FROM A FULL OUTER JOIN B ON A.ID = B.ID;`, [
      b(2, 'b2', 100),
      a(2, 'a2', 200),
      a(2, null, 300), //  left deleted, right remains
      b(2, null, 400), //  both gone: tombstone
      a(3, 'a3', 500),
    ]);
    expect(on('J', out)).toEqual([
      joined(2, null, 'b2', 100),
      joined(2, 'a2', 'b2', 200),
      joined(2, null, 'b2', 300),
      tombstone(2, 400),
      joined(3, 'a3', null, 500),
    ]);
  });

  it('the output is a table', async () => {
    const h = await startEngine();
    await h.engine.execute(`${A} ${B} CREATE TABLE J AS SELECT A.ID, AV, BV FROM A JOIN B ON A.ID = B.ID;`);
    expect(h.engine.catalog.getSource('J')?.sourceType).toBe('TABLE');
    expect(await runError(`${A} ${B} CREATE STREAM J AS SELECT A.ID, AV, BV FROM A JOIN B ON A.ID = B.ID;`)).toMatch(
      /Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead./,
    );
  });
});

describe('n-way joins', () => {
  const ORDERS = `CREATE STREAM ORDERS (OID INT KEY, CUST STRING, ITEM STRING) WITH (kafka_topic='orders', value_format='JSON', partitions=1);`;
  const CUSTOMERS = `CREATE TABLE CUSTOMERS (CID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='customers', value_format='JSON', partitions=1);`;
  const ITEMS = `CREATE TABLE ITEMS (IID STRING PRIMARY KEY, PRICE INT) WITH (kafka_topic='items', value_format='JSON', partitions=1);`;
  const sql = (type: string) => `${ORDERS} ${CUSTOMERS} ${ITEMS}
    CREATE STREAM OUT AS SELECT O.ITEM, O.OID, C.NAME, I.PRICE
      FROM ORDERS O ${type} JOIN CUSTOMERS C ON O.CUST = C.CID ${type} JOIN ITEMS I ON O.ITEM = I.IID;`;
  const order = (oid: number, cust: string, item: string, timestamp: number): TestRecord => ({
    topic: 'orders',
    key: oid,
    value: { CUST: cust, ITEM: item },
    timestamp,
  });
  const inputs: TestRecord[] = [
    { topic: 'customers', key: 'c1', value: { NAME: 'Ann' }, timestamp: 0 },
    { topic: 'items', key: 'i1', value: { PRICE: 5 }, timestamp: 0 },
    order(1, 'c1', 'i1', 100),
    order(2, 'c2', 'i1', 200), // unknown customer
    order(3, 'c1', 'i9', 300), // unknown item
    { topic: 'items', key: 'i1', value: { PRICE: 6 }, timestamp: 400 },
    order(4, 'c1', 'i1', 500),
  ];
  const o = (item: string, oid: number, name: string | null, price: number | null, timestamp: number) => ({
    key: item,
    value: { OID: oid, NAME: name, PRICE: price },
    timestamp,
  });

  it('stream-table-table INNER: each stream record looks up both tables, keyed by the last join', async () => {
    const out = await run(sql('INNER'), inputs);
    expect(on('OUT', out)).toEqual([o('i1', 1, 'Ann', 5, 100), o('i1', 4, 'Ann', 6, 500)]);
  });

  it('stream-table-table LEFT: missing rows in either table give nulls', async () => {
    const out = await run(sql('LEFT'), inputs);
    expect(on('OUT', out)).toEqual([o('i1', 1, 'Ann', 5, 100), o('i1', 2, null, 5, 200), o('i9', 3, 'Ann', null, 300), o('i1', 4, 'Ann', 6, 500)]);
    expect(await schemaOf(sql('LEFT'), 'OUT')).toBe('ITEM STRING KEY, OID INTEGER, NAME STRING, PRICE INTEGER');
  });

  it('stream-table-table on one shared key', async () => {
    const out = await run(
      `${L}
       CREATE TABLE T1 (ID INT PRIMARY KEY, X STRING) WITH (kafka_topic='t1', value_format='JSON', partitions=1);
       CREATE TABLE T2 (ID INT PRIMARY KEY, Y STRING) WITH (kafka_topic='t2', value_format='JSON', partitions=1);
       CREATE STREAM OUT AS SELECT L.ID, LV, X, Y FROM L JOIN T1 ON L.ID = T1.ID LEFT JOIN T2 ON L.ID = T2.ID;`,
      [
        { topic: 't1', key: 1, value: { X: 'x1' }, timestamp: 0 },
        { topic: 't2', key: 1, value: { Y: 'y1' }, timestamp: 0 },
        { topic: 't1', key: 2, value: { X: 'x2' }, timestamp: 0 },
        l(1, 'a', 10),
        l(2, 'b', 20), // no T2 row: LEFT keeps it
        l(3, 'c', 30), // no T1 row: the INNER drops it
      ],
    );
    expect(on('OUT', out)).toEqual([
      { key: 1, value: { LV: 'a', X: 'x1', Y: 'y1' }, timestamp: 10 },
      { key: 2, value: { LV: 'b', X: 'x2', Y: null }, timestamp: 20 },
    ]);
  });
});

describe('column naming', () => {
  it('SELECT * prefixes every column with its source alias; the key is the left join column', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('L_ID INTEGER KEY, L_LV STRING, R_ID INTEGER, R_RV STRING');
    const out = await run(sql, [l(1, 'a', 1), r(1, 'x', 2)]);
    expect(on('OUT', out)).toEqual([{ key: 1, value: { L_LV: 'a', R_ID: 1, R_RV: 'x' }, timestamp: 2 }]);
  });

  it('SELECT * uses the aliases given in FROM', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT * FROM L AS X1 JOIN R Y2 WITHIN 10 SECONDS ON X1.ID = Y2.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('X1_ID INTEGER KEY, X1_LV STRING, Y2_ID INTEGER, Y2_RV STRING');
  });

  it('a column in both sources, qualified, is named ALIAS_COL; a unique one keeps its name even when qualified', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT L.ID, R.ID, L.LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('L_ID INTEGER KEY, R_ID INTEGER, LV STRING, RV STRING');
  });

  it('the key takes the name of the right join column when only that one is selected', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT R.ID, LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('R_ID INTEGER KEY, LV STRING, RV STRING');
    const out = await run(sql, [l(7, 'a', 1), r(7, 'x', 2)]);
    expect(on('OUT', out)).toEqual([{ key: 7, value: { LV: 'a', RV: 'x' }, timestamp: 2 }]);
  });

  it('the key can be aliased', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT L.ID AS K, LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('K INTEGER KEY, LV STRING, RV STRING');
  });

  it('a join key column from differently named columns is named after the left one', async () => {
    const sql = `CREATE STREAM S1 (K1 STRING KEY, V1 INT) WITH (kafka_topic='s1', value_format='JSON', partitions=1);
      CREATE STREAM S2 (K2 STRING KEY, V2 INT) WITH (kafka_topic='s2', value_format='JSON', partitions=1);
      CREATE STREAM OUT AS SELECT K1, K2, V1, V2 FROM S1 JOIN S2 WITHIN 1 SECOND ON K1 = K2;`;
    // Both join columns are selected: the left one becomes the key, the right one a value column.
    expect(await schemaOf(sql, 'OUT')).toBe('K1 STRING KEY, K2 STRING, V1 INTEGER, V2 INTEGER');
    const out = await run(sql, [
      { topic: 's1', key: 'k', value: { V1: 1 }, timestamp: 0 },
      { topic: 's2', key: 'k', value: { V2: 2 }, timestamp: 0 },
    ]);
    expect(on('OUT', out)).toEqual([{ key: 'k', value: { K2: 'k', V1: 1, V2: 2 }, timestamp: 0 }]);
  });

  it('FULL OUTER: the key is a synthetic ROWKEY, included by SELECT *', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT * FROM L FULL OUTER JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('ROWKEY INTEGER KEY, L_ID INTEGER, L_LV STRING, R_ID INTEGER, R_RV STRING');
    const out = await run(sql, [r(4, 'x', 1)]);
    expect(on('OUT', out)).toEqual([{ key: 4, value: { L_ID: null, L_LV: null, R_ID: 4, R_RV: 'x' }, timestamp: 1 }]);
  });

  it('joining on expressions gives a synthetic ROWKEY key holding the expression value', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT ROWKEY AS K, L.ID, R.ID, LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID + 1 = R.ID - 1;`;
    expect(await schemaOf(sql, 'OUT')).toBe('K INTEGER KEY, L_ID INTEGER, R_ID INTEGER, LV STRING, RV STRING');
    const out = await run(sql, [l(1, 'a', 1), r(3, 'x', 2), r(1, 'y', 3)]);
    // L.ID + 1 = 2 = R.ID − 1 for R.ID 3 only.
    expect(on('OUT', out)).toEqual([{ key: 2, value: { L_ID: 1, R_ID: 3, LV: 'a', RV: 'x' }, timestamp: 2 }]);
  });

  it('joining a column to an expression names the key after the column side', async () => {
    const sql = `${L} ${R} CREATE STREAM OUT AS SELECT R.ID, LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID * 2 = R.ID;`;
    expect(await schemaOf(sql, 'OUT')).toBe('R_ID INTEGER KEY, LV STRING, RV STRING');
    const out = await run(sql, [l(2, 'a', 1), r(4, 'x', 2)]);
    expect(on('OUT', out)).toEqual([{ key: 4, value: { LV: 'a', RV: 'x' }, timestamp: 2 }]);
  });

  it('table-table SELECT * names the key after the left table key', async () => {
    const sql = `CREATE TABLE A (ID INT PRIMARY KEY, V STRING) WITH (kafka_topic='a', value_format='JSON', partitions=1);
      CREATE TABLE B (ID INT PRIMARY KEY, V STRING) WITH (kafka_topic='b', value_format='JSON', partitions=1);
      CREATE TABLE J AS SELECT * FROM A JOIN B ON A.ID = B.ID;`;
    expect(await schemaOf(sql, 'J')).toBe('A_ID INTEGER KEY, A_V STRING, B_ID INTEGER, B_V STRING');
  });
});

describe('planner errors', () => {
  const S = `CREATE STREAM S (ID STRING KEY, X STRING, N INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;
  const T = `CREATE TABLE T (ID STRING PRIMARY KEY, V STRING, N INT) WITH (kafka_topic='t', value_format='JSON', partitions=1);`;

  it('rejects table-stream order (only stream-table joins exist)', async () => {
    expect(await runError(`${S} ${T} CREATE STREAM OUT AS SELECT T.ID, V, X FROM T JOIN S ON T.ID = S.ID;`)).toMatch(
      /Invalid join order: table-stream joins are not supported; only stream-table joins/,
    );
  });

  it('rejects a stream-stream join without WITHIN', async () => {
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L JOIN R ON L.ID = R.ID;`)).toMatch(
      /Stream-Stream joins must have a WITHIN clause specified. None was provided./,
    );
  });

  it('rejects WITHIN on stream-table and table-table joins', async () => {
    expect(await runError(`${S} ${T} CREATE STREAM OUT AS SELECT S.ID, V FROM S JOIN T WITHIN 10 SECONDS ON S.ID = T.ID;`)).toMatch(
      /A window definition was provided for a Stream-Table join/,
    );
    const T2 = `CREATE TABLE T2 (ID STRING PRIMARY KEY, W STRING) WITH (kafka_topic='t2', value_format='JSON', partitions=1);`;
    expect(await runError(`${T} ${T2} CREATE TABLE OUT AS SELECT T.ID, V, W FROM T JOIN T2 WITHIN 10 SECONDS ON T.ID = T2.ID;`)).toMatch(
      /A window definition was provided for a Table-Table join/,
    );
  });

  it('rejects a stream-table join on a non-key column of the table', async () => {
    expect(await runError(`${S} ${T} CREATE STREAM OUT AS SELECT S.X, V FROM S JOIN T ON S.X = T.V;`)).toMatch(
      /Invalid join condition: stream-table joins require to join on the table's primary key. Got S.X = T.V./,
    );
  });

  it('rejects RIGHT and FULL OUTER stream-table joins', async () => {
    expect(await runError(`${S} ${T} CREATE STREAM OUT AS SELECT ROWKEY AS K, V FROM S FULL OUTER JOIN T ON S.ID = T.ID;`)).toMatch(
      /Invalid join type: full-outer join not supported for stream-table join/,
    );
    expect(await runError(`${S} ${T} CREATE STREAM OUT AS SELECT S.ID, V FROM S RIGHT JOIN T ON S.ID = T.ID;`)).toMatch(
      /Invalid join type: right join not supported for stream-table join/,
    );
  });

  it('rejects an ON whose sides have different types', async () => {
    expect(await runError(`${S} ${T} CREATE STREAM OUT AS SELECT S.N, V FROM S JOIN T ON S.N = T.ID;`)).toMatch(
      /Invalid join condition: types don't match. Got S.N\{INTEGER\} = T.ID\{STRING\}./,
    );
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV FROM L JOIN R WITHIN 1 SECOND ON L.LV = R.ID;`)).toMatch(/types don't match/);
  });

  it('rejects a projection without the join column', async () => {
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`)).toMatch(
      /The query used to build `OUT` must include the join expressions L.ID or R.ID in its projection \(eg, SELECT L.ID\.\.\.\)\./,
    );
    // A value column that happens to carry the key's would-be name does not count.
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT LV AS L_ID, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`)).toMatch(
      /must include the join expressions L.ID or R.ID in its projection/,
    );
  });

  it('rejects a synthetic-key join whose projection lacks ROWKEY', async () => {
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, R.ID, LV, RV FROM L FULL OUTER JOIN R WITHIN 10 SECONDS ON L.ID = R.ID;`)).toMatch(
      /The query used to build `OUT` must include the join expression ROWKEY in its projection \(eg, SELECT ROWKEY\.\.\.\)/,
    );
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L JOIN R WITHIN 10 SECONDS ON L.ID + 1 = R.ID + 1;`)).toMatch(
      /must include the join expression ROWKEY in its projection/,
    );
  });

  it('rejects a source with the KAFKA value format', async () => {
    const K = `CREATE STREAM K (ID INT KEY, V STRING) WITH (kafka_topic='k', value_format='KAFKA', partitions=1);`;
    expect(await runError(`${L} ${K} CREATE STREAM OUT AS SELECT L.ID, LV, V FROM L JOIN K WITHIN 10 SECONDS ON L.ID = K.ID;`)).toMatch(
      /Source\(s\) K are using the 'KAFKA' value format. This format does not yet support JOIN./,
    );
  });

  it('rejects a join condition that is not a single equality', async () => {
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID AND LV = RV;`)).toMatch(
      /Invalid join condition: joins on multiple conditions are not yet supported/,
    );
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV FROM L JOIN R WITHIN 10 SECONDS ON L.ID > R.ID;`)).toMatch(/equality/i);
  });

  // ksqlDB reports an unknown column in ON as "JOIN ON column 'R.NOPE' cannot be resolved."
  // (its Analyzer resolves ON columns against the joined sources; the message is the one
  // ksqlDB's query-validation tests expect for a misspelled ON column).
  it('rejects an ON column that does not exist with "JOIN ON column … cannot be resolved"', async () => {
    expect(await runError(`${L} ${R} CREATE STREAM OUT AS SELECT L.ID, LV FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.NOPE;`)).toMatch(
      /JOIN ON column 'R.NOPE' cannot be resolved./,
    );
  });
});
