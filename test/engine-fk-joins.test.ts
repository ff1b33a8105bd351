import { describe, expect, it } from 'vitest';
import { on, run, runError, type TestRecord } from './helpers/engine-harness.js';

/**
 * Foreign-key table-table joins: a left row's column points at the right table's
 * primary key; results are keyed by the left key. Expected outputs are derived
 * from Kafka Streams' KTable-KTable foreign-key join semantics as ksqlDB documents
 * them (a right change re-joins every left row pointing at it).
 */
const DDL = `
CREATE TABLE orders (order_id INT PRIMARY KEY, customer_id INT, amount INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);
CREATE TABLE customers (customer_id INT PRIMARY KEY, name STRING) WITH (kafka_topic='customers', value_format='JSON', partitions=1);
`;
const order = (id: number, customer: number | null, amount: number, timestamp: number): TestRecord => ({
  topic: 'orders',
  key: id,
  value: { CUSTOMER_ID: customer, AMOUNT: amount },
  timestamp,
});
const customer = (id: number, name: string | null, timestamp: number): TestRecord => ({
  topic: 'customers',
  key: id,
  value: name === null ? null : { NAME: name },
  timestamp,
});

describe('foreign-key table-table joins', () => {
  it('inner join: left changes and right changes re-join; losing the match retracts', async () => {
    const out = await run(
      `${DDL} CREATE TABLE enriched AS SELECT o.order_id, o.amount, c.name FROM orders o JOIN customers c ON o.customer_id = c.customer_id;`,
      [
        customer(7, 'ada', 100),
        order(1, 7, 30, 200), // joins ada
        order(2, 8, 40, 300), // no customer 8: nothing
        order(3, 7, 50, 400), // joins ada
        customer(7, 'ada l.', 500), // re-joins orders 1 and 3, in key order
        customer(7, null, 600), // customer deleted: both retracted
      ],
    );
    expect(on('ENRICHED', out).map((r) => [r.key, r.value, r.timestamp])).toEqual([
      [1, { AMOUNT: 30, NAME: 'ada' }, 200],
      [3, { AMOUNT: 50, NAME: 'ada' }, 400],
      [1, { AMOUNT: 30, NAME: 'ada l.' }, 500],
      [3, { AMOUNT: 50, NAME: 'ada l.' }, 500],
      [1, null, 600],
      [3, null, 600],
    ]);
  });

  it('left join keeps unmatched left rows with nulls and follows a changed foreign key', async () => {
    const out = await run(`${DDL} CREATE TABLE enriched AS SELECT o.order_id, c.name FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id;`, [
      order(1, 9, 10, 100), // no customer yet: null name
      customer(9, 'bo', 200), // arrives: order 1 re-joined
      customer(4, 'cy', 300), // nobody points at 4: nothing
      order(1, 4, 10, 400), // order 1 now points at cy
      customer(9, 'bob', 500), // order 1 no longer points at 9: nothing
      order(1, 4, 10, 600),
    ]);
    expect(on('ENRICHED', out).map((r) => [r.key, r.value])).toEqual([
      [1, { NAME: null }],
      [1, { NAME: 'bo' }],
      [1, { NAME: 'cy' }],
      [1, { NAME: 'cy' }],
    ]);
  });

  it('rejects RIGHT and FULL joins on a foreign key, and a missing left key in the projection', async () => {
    await expect(
      runError(`${DDL} CREATE TABLE x AS SELECT o.order_id, c.name FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id;`),
    ).resolves.toMatch(/RIGHT OUTER JOIN on a foreign key is not supported/);
    await expect(
      runError(`${DDL} CREATE TABLE x AS SELECT o.order_id, c.name FROM orders o FULL JOIN customers c ON o.customer_id = c.customer_id;`),
    ).resolves.toMatch(/FULL OUTER JOIN on a foreign key is not supported/);
    await expect(
      runError(`${DDL} CREATE TABLE x AS SELECT o.amount, c.name FROM orders o JOIN customers c ON o.customer_id = c.customer_id;`),
    ).resolves.toMatch(/ORDER_ID/);
  });
});

describe('foreign-key joins from a multi-column left key', () => {
  const DDL =
    "CREATE TABLE L (L_ID BIGINT PRIMARY KEY, FK BIGINT PRIMARY KEY, NAME STRING) WITH (kafka_topic='l', format='JSON', partitions=1);" +
    "CREATE TABLE R (R_ID BIGINT PRIMARY KEY, F1 STRING) WITH (kafka_topic='r', format='JSON', partitions=1);";
  const l = (id: number, fk: number, name: string | null, timestamp: number): TestRecord => ({
    topic: 'l',
    key: { L_ID: id, FK: fk },
    value: name === null ? null : { NAME: name },
    timestamp,
  });
  const r = (id: number, f1: string | null, timestamp: number): TestRecord => ({ topic: 'r', key: id, value: f1 === null ? null : { F1: f1 }, timestamp });

  it('joining on one key column is a foreign-key join, keyed by the whole left key', async () => {
    const out = await run(`${DDL} CREATE TABLE O AS SELECT L_ID, FK, NAME, F1 FROM L JOIN R ON FK = R_ID;`, [
      r(0, 'blah', 0),
      l(1, 0, 'zero', 10),
      l(10, 0, 'bar', 20),
      r(0, null, 30), // retracts both left rows, in key order
    ]);
    expect(on('O', out)).toEqual([
      { key: { L_ID: 1, FK: 0 }, value: { NAME: 'zero', F1: 'blah' }, timestamp: 10 },
      { key: { L_ID: 10, FK: 0 }, value: { NAME: 'bar', F1: 'blah' }, timestamp: 20 },
      { key: { L_ID: 1, FK: 0 }, value: null, timestamp: 30 },
      { key: { L_ID: 10, FK: 0 }, value: null, timestamp: 30 },
    ]);
  });
});
