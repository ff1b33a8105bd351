/**
 * Pull and push queries over HTTP, field for field with ksqlDB's REST answers
 * (the behaviour its rest-query-validation-tests pin down): key columns in pull
 * headers, the refusals of its PullQueryValidator with its messages, how
 * stream pulls and LIMIT 0 end, scalable push query ids, DOUBLE text, and
 * INSERT VALUES widening inside constructors. Cases are our own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/runtime/engine/engine.js';
import type { RunningServer } from '../src/server/index.js';
import { eventually } from './helpers/eventually.js';
import { LineReader, ksql, postJson, startTestServer } from './server-helpers.js';

const EARLIEST = { 'auto.offset.reset': 'earliest' };
const HELP = ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

describe('query fidelity with ksqlDB', () => {
  let server: RunningServer;
  let url: string;
  let engine: Engine;

  /** `/query`'s raw body (the text, so number spelling is visible). */
  async function queryText(sql: string, properties: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
    });
    return { status: res.status, text: await res.text() };
  }

  beforeAll(async () => {
    ({ server, url, engine } = await startTestServer());
    await ksql(url, "CREATE STREAM orders_in (id BIGINT KEY, amount DOUBLE, note STRING) WITH (kafka_topic='orders_in', partitions=1, value_format='json');");
    await ksql(url, 'CREATE TABLE totals AS SELECT id, COUNT(*) AS n, SUM(amount) AS total FROM orders_in GROUP BY id;', { streamsProperties: EARLIEST });
    await ksql(url, 'CREATE TABLE per_second AS SELECT id, COUNT(*) AS n FROM orders_in WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY id;', {
      streamsProperties: EARLIEST,
    });
    await ksql(url, "CREATE TABLE plain (id BIGINT PRIMARY KEY, v INT) WITH (kafka_topic='plain', partitions=1, value_format='json');");
    await ksql(url, "INSERT INTO orders_in (ROWTIME, id, amount, note) VALUES (12345, 1, 11.0, 'first');");
    await eventually('both tables hold the row', async () => {
      const a = await postJson(`${url}/query`, { ksql: 'SELECT * FROM totals WHERE id = 1;' });
      const b = await postJson(`${url}/query`, { ksql: 'SELECT * FROM per_second WHERE id = 1;' });
      return a.body.length === 2 && b.body.length === 2;
    });
  });
  afterAll(() => server.close());

  it('table pull query headers mark key columns and window bounds as KEY, with no final message', async () => {
    const plainKey = await postJson(`${url}/query`, { ksql: 'SELECT * FROM totals WHERE id = 1;' });
    expect(plainKey.status).toBe(200);
    expect(plainKey.body).toEqual([
      { header: { queryId: expect.stringMatching(/^query_/), schema: '`ID` BIGINT KEY, `N` BIGINT, `TOTAL` DOUBLE' } },
      { row: { columns: [1, 1, 11] } },
    ]);
    const windowed = await postJson(`${url}/query`, { ksql: 'SELECT id, windowstart, windowend, n, ROWTIME FROM per_second WHERE id = 1;' });
    expect(windowed.body).toEqual([
      { header: { queryId: expect.any(String), schema: '`ID` BIGINT KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `N` BIGINT, `ROWTIME` BIGINT' } },
      { row: { columns: [1, 12000, 13000, 1, 12345] } },
    ]);
    const noKey = await postJson(`${url}/query`, { ksql: 'SELECT n FROM totals WHERE id = 1;' });
    expect(noKey.body[0]).toEqual({ header: { queryId: expect.any(String), schema: '`N` BIGINT' } });
  });

  it('stream pull queries on /query end with "Query Completed" and do not mark keys', async () => {
    const r = await postJson(`${url}/query`, { ksql: 'SELECT id, note FROM orders_in;' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { header: { queryId: expect.any(String), schema: '`ID` BIGINT, `NOTE` STRING' } },
      { row: { columns: [1, 'first'] } },
      { finalMessage: 'Query Completed' },
    ]);
  });

  it('stream pull queries with LIMIT end "Limit Reached" when it cut them short, else with nothing', async () => {
    await ksql(url, "CREATE STREAM notes (id INT KEY, note STRING) WITH (kafka_topic='notes', partitions=1, value_format='json');");
    await ksql(url, "INSERT INTO notes (id, note) VALUES (1, 'first'); INSERT INTO notes (id, note) VALUES (2, 'second');");
    const cut = await postJson(`${url}/query`, { ksql: 'SELECT note FROM notes LIMIT 1;' });
    expect(cut.body).toEqual([
      { header: { queryId: expect.any(String), schema: '`NOTE` STRING' } },
      { row: { columns: ['first'] } },
      { finalMessage: 'Limit Reached' },
    ]);
    const zero = await postJson(`${url}/query`, { ksql: 'SELECT note FROM notes LIMIT 0;' });
    expect(zero.body).toEqual([{ header: { queryId: expect.any(String), schema: '`NOTE` STRING' } }, { finalMessage: 'Limit Reached' }]);
    const notReached = await postJson(`${url}/query`, { ksql: 'SELECT note FROM notes LIMIT 25;' });
    expect(notReached.body).toEqual([
      { header: { queryId: expect.any(String), schema: '`NOTE` STRING' } },
      { row: { columns: ['first'] } },
      { row: { columns: ['second'] } },
    ]);
  });

  it('table scans answer rows in the order of their serialized keys, as ksqlDB state stores do', async () => {
    await ksql(url, "CREATE STREAM visits (page STRING) WITH (kafka_topic='visits', partitions=1, value_format='json');");
    await ksql(url, 'CREATE TABLE per_page AS SELECT page, COUNT(*) AS n FROM visits GROUP BY page;', { streamsProperties: EARLIEST });
    for (const page of ['which', 'there', 'about', 'their']) await ksql(url, `INSERT INTO visits (page) VALUES ('${page}');`);
    const rows = await eventually('four pages counted', async () => {
      const r = await postJson(`${url}/query`, { ksql: 'SELECT * FROM per_page;' });
      return r.body.length === 5 && r.body.slice(1);
    });
    expect(rows).toEqual(['about', 'their', 'there', 'which'].map((p) => ({ row: { columns: [p, 1] } })));
    const limited = await postJson(`${url}/query`, { ksql: 'SELECT page FROM per_page LIMIT 2;' });
    expect(limited.body.slice(1)).toEqual([{ row: { columns: ['about'] } }, { row: { columns: ['their'] } }]);
  });

  it('table scans over several partitions answer partition by partition (murmur2 of the key), keys in byte order within each', async () => {
    await ksql(url, "CREATE TABLE grades (id STRING PRIMARY KEY, grade STRING) WITH (kafka_topic='grades', partitions=4, value_format='json');");
    await ksql(url, 'CREATE TABLE queryable_grades AS SELECT * FROM grades;', { streamsProperties: EARLIEST });
    for (const id of ['10', '11', '12', '14', '16']) await ksql(url, `INSERT INTO grades (id, grade) VALUES ('${id}', 'A');`);
    const ids = await eventually('five grades', async () => {
      const r = await postJson(`${url}/query`, { ksql: 'SELECT id FROM queryable_grades;' });
      return r.body.length === 6 && r.body.slice(1).map((x: { row: { columns: unknown[] } }) => x.row.columns[0]);
    });
    // murmur2 over 4 partitions puts '11' in 0, '16' in 1, '10' and '12' in 2, '14' in 3.
    expect(ids).toEqual(['11', '16', '10', '12', '14']);
  });

  it('DOUBLE values are written with a decimal point on /query, /query-stream and the topic', async () => {
    const q = await queryText('SELECT id, amount FROM orders_in;');
    expect(q.text).toContain('{"row":{"columns":[1,11.0]}}');
    const s = await fetch(`${url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT amount FROM orders_in;' }),
    });
    expect((await s.text()).split('\n')[1]).toBe('[11.0]');
    const t = await queryText('SELECT total FROM totals WHERE id = 1;');
    expect(t.text).toContain('{"row":{"columns":[11.0]}}');
    const records = await engine.log.read('orders_in', 0, 0, 10);
    expect(records.map((r) => r.value?.toString())).toEqual(['{"AMOUNT":11.0,"NOTE":"first"}']);
  });

  it.each([
    ['a JOIN', 'SELECT * FROM orders_in o JOIN totals t ON o.id = t.id;', `Pull queries don't support JOIN clauses.${HELP}`],
    ['a WINDOW', 'SELECT * FROM orders_in WINDOW TUMBLING (SIZE 1 SECOND);', `Pull queries don't support WINDOW clauses.${HELP}`],
    ['a GROUP BY', 'SELECT id, COUNT(*) FROM orders_in GROUP BY id;', `Pull queries don't support GROUP BY clauses.${HELP}`],
    ['a PARTITION BY', 'SELECT * FROM orders_in PARTITION BY note;', `Pull queries don't support PARTITION BY clauses.${HELP}`],
    [
      'ROWOFFSET in SELECT',
      'SELECT id, ROWOFFSET, ROWPARTITION FROM orders_in;',
      `Pull queries don't support the following columns in SELECT clauses: \`ROWOFFSET\`, \`ROWPARTITION\`\n${HELP}`,
    ],
    [
      'ROWPARTITION in WHERE',
      'SELECT * FROM totals WHERE id = 1 AND ROWPARTITION = 0;',
      `Pull queries don't support the following columns in WHERE clauses: \`ROWPARTITION\`\n${HELP}`,
    ],
    [
      'a table no query materializes',
      'SELECT * FROM plain WHERE id = 1;',
      `The \`PLAIN\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_PLAIN AS SELECT * FROM PLAIN'.${HELP}`,
    ],
  ])('pull queries with %s are refused with ksqlDB message', async (_what, sql, message) => {
    const r = await postJson(`${url}/query`, { ksql: sql });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ '@type': 'statement_error', error_code: 40001, message, statementText: sql, entities: [] });
  });

  it('with ksql.query.pull.table.scan.enabled=false only key lookups run, others refused with ksqlDB reasons', async () => {
    const off = { 'ksql.query.pull.table.scan.enabled': 'false' };
    const scan = 'Query requires table scan to be enabled. Table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true';
    const whereHelp =
      `. ${HELP}\nPull queries require a WHERE clause that:\n - includes a key equality expression, e.g. \`SELECT * FROM X WHERE <key-column> = Y;\`.` +
      '\n - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.' +
      '\n - to support range expressions, e.g.,  SELECT * FROM X WHERE <key-column> < Y;`, range scans need to be enabled by setting ksql.query.pull.range.scan.enabled=true' +
      '\nIf more flexible queries are needed, , table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true.';
    const refused: [string, string][] = [
      ['SELECT * FROM totals;', scan],
      // A range on a BIGINT key is no key lookup (ranges are only on STRING/BYTES keys).
      ['SELECT * FROM totals WHERE id > 0;', scan],
      ['SELECT * FROM totals WHERE n = 1;', `WHERE clause missing key column for disjunct: (N = 1)${whereHelp}`],
      ['SELECT * FROM totals WHERE id != 1;', `Bound on key columns '[\`ID\` BIGINT KEY]' must currently be '='${whereHelp}`],
      [
        'SELECT * FROM totals WHERE id > 0 AND id < 5;',
        `A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate${whereHelp}`,
      ],
    ];
    for (const [sql, message] of refused) {
      const r = await postJson(`${url}/query`, { ksql: sql, streamsProperties: off });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ '@type': 'statement_error', error_code: 40001, message, statementText: sql, entities: [] });
    }
    // Refused whether scans are on or off: LIKE on a column that is not a STRING.
    const likeSql = "SELECT * FROM totals WHERE id LIKE '1%';";
    const like = await postJson(`${url}/query`, { ksql: likeSql });
    expect(like.body).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message: `The column type for Like condition must be VARCHAR. The column type is BIGINT${whereHelp}`,
      statementText: likeSql,
      entities: [],
    });
    const keyed = await postJson(`${url}/query`, { ksql: 'SELECT id, n FROM totals WHERE id IN (1, 2);', streamsProperties: off });
    expect(keyed.body.slice(1)).toEqual([{ row: { columns: [1, 1] } }]);
    const bounded = await postJson(`${url}/query`, { ksql: 'SELECT id, n FROM per_second WHERE id = 1 AND windowstart >= 12000;', streamsProperties: off });
    expect(bounded.body.slice(1)).toEqual([{ row: { columns: [1, 1] } }]);
    const scanned = await postJson(`${url}/query`, { ksql: 'SELECT id, n FROM totals;' });
    expect(scanned.body.slice(1)).toEqual([{ row: { columns: [1, 1] } }]);
  });

  it('CREATE ... AS SELECT with LIMIT is refused as ksqlDB refuses it', async () => {
    const sql = 'CREATE STREAM first_two AS SELECT * FROM orders_in LIMIT 2;';
    const r = await postJson(`${url}/ksql`, { ksql: sql });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message: "CREATE STREAM AS SELECT statements don't support LIMIT clause.",
      statementText: sql,
      entities: [],
    });
  });

  it('arithmetic on a NULL literal is refused instead of running', async () => {
    const r = await postJson(`${url}/query`, { ksql: 'SELECT 1 + NULL FROM orders_in EMIT CHANGES;' });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(40001);
    expect(r.body.message).toContain('Error processing expression: (1 + null). Arithmetic on types INTEGER and null are not supported.');
    const both = await postJson(`${url}/query`, { ksql: 'SELECT NULL * NULL FROM orders_in EMIT CHANGES;' });
    expect(both.body.error_code).toBe(40001);
    expect(both.body.message).toContain('Error processing expression: (null * null). Arithmetic on types null and null are not supported.');
  });

  it('a push query with LIMIT 0 answers the header and "Limit Reached", no row', async () => {
    const r = await postJson(`${url}/query`, { ksql: 'SELECT id FROM orders_in EMIT CHANGES LIMIT 0;', streamsProperties: EARLIEST });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([{ header: { queryId: expect.stringMatching(/^transient_ORDERS_IN_/), schema: '`ID` BIGINT' } }, { finalMessage: 'Limit Reached' }]);
  });

  it('with ksql.query.push.v2.enabled push queries on a persistent query output are scalable push queries', async () => {
    const v2 = { 'ksql.query.push.v2.enabled': 'true' };
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SELECT id, n FROM totals EMIT CHANGES LIMIT 1;', streamsProperties: v2 }),
    });
    // The query reads from the latest offset: the row is inserted once its header says it started.
    const lines = LineReader.of(res);
    const header = (await lines.next())!;
    await ksql(url, "INSERT INTO orders_in (id, amount, note) VALUES (2, 1.5, 'second');");
    expect(JSON.parse(`${header}\n${await lines.rest()}`)).toEqual([
      { header: { queryId: expect.stringMatching(/^SCALABLE_PUSH_QUERY_/), schema: '`ID` BIGINT, `N` BIGINT' } },
      { row: { columns: [2, 1] } },
      { finalMessage: 'Limit Reached' },
    ]);
    // Not eligible: a stream no query writes, reading from the earliest offset, or reading ROWOFFSET.
    for (const [sql, props] of [
      ['SELECT id FROM orders_in EMIT CHANGES LIMIT 0;', v2],
      ['SELECT id FROM totals EMIT CHANGES LIMIT 0;', { ...v2, ...EARLIEST }],
      ['SELECT id, ROWOFFSET FROM totals EMIT CHANGES LIMIT 0;', v2],
    ] as const) {
      const r = await postJson(`${url}/query`, { ksql: sql, streamsProperties: props });
      expect(r.body[0].header.queryId).toMatch(/^transient_/);
    }
  });

  it.each([
    [
      'a value count unlike the column list',
      'INSERT INTO orders_in (id, note) VALUES (3);',
      'Failed to prepare statement: Expected number columns and values to match: 2, 1',
    ],
    [
      'a qualified column reference',
      "INSERT INTO orders_in (id, note) VALUES (FOO.bar, 'x');",
      "Failed to prepare statement: 'FOO' is not a valid stream/table name or alias.",
    ],
    ['ROWPARTITION', "INSERT INTO orders_in (id, note, ROWPARTITION) VALUES (3, 'x', 5);", 'Inserting into column `ROWPARTITION` is not allowed.'],
    ['ROWOFFSET', "INSERT INTO orders_in (id, note, ROWOFFSET) VALUES (3, 'x', 5);", 'Inserting into column `ROWOFFSET` is not allowed.'],
  ])('INSERT VALUES with %s is refused with ksqlDB message', async (_what, sql, message) => {
    const r = await postJson(`${url}/ksql`, { ksql: sql });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ '@type': 'statement_error', error_code: 40001, message, statementText: sql, entities: [] });
  });

  it('scalable push queries skip records whose key is null, as ksqlDB push v2 does', async () => {
    await ksql(url, "CREATE STREAM keyed_in (k INT KEY, v INT) WITH (kafka_topic='keyed_in', partitions=1, value_format='json');");
    await ksql(url, 'CREATE STREAM keyed AS SELECT * FROM keyed_in;');
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql: 'SELECT * FROM keyed EMIT CHANGES LIMIT 1;', streamsProperties: { 'ksql.query.push.v2.enabled': 'true' } }),
    });
    const lines = LineReader.of(res);
    const header = (await lines.next())!;
    await ksql(url, 'INSERT INTO keyed_in (v) VALUES (1);');
    await ksql(url, 'INSERT INTO keyed_in (k, v) VALUES (5, 2);');
    expect(JSON.parse(`${header}\n${await lines.rest()}`)).toEqual([
      { header: { queryId: expect.stringMatching(/^SCALABLE_PUSH_QUERY_/), schema: '`K` INTEGER, `V` INTEGER' } },
      { row: { columns: [5, 2] } },
      { finalMessage: 'Limit Reached' },
    ]);
  });

  it('INSERT VALUES widens numbers inside STRUCT, ARRAY and MAP constructors', async () => {
    await ksql(
      url,
      "CREATE STREAM nested (k INT KEY, s STRUCT<foo BIGINT, bar DOUBLE>, a ARRAY<BIGINT>, m MAP<STRING, DOUBLE>) WITH (kafka_topic='nested', partitions=1, value_format='json');",
    );
    await ksql(url, "INSERT INTO nested (k, s, a, m) VALUES (1, STRUCT(foo := 2, bar := 3), ARRAY[1, 2], MAP('x' := 4));");
    const q = await queryText('SELECT * FROM nested;');
    expect(q.text).toContain('{"row":{"columns":[1,{"FOO":2,"BAR":3.0},[1,2],{"x":4.0}]}}');
    const sql = 'INSERT INTO nested (k, s) VALUES (2, STRUCT(baz := 1));';
    const bad = await postJson(`${url}/ksql`, { ksql: sql });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe(40001);
    expect(bad.body.message).toContain('Cannot implicitly convert STRUCT<`BAZ` INTEGER> to STRUCT<`FOO` BIGINT, `BAR` DOUBLE>');
  });
});
