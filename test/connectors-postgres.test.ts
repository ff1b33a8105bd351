/**
 * The built-in PostgreSQL sink (JDBC sink connector names) against a real
 * PostgreSQL server: the task driven directly with rows read from a real
 * Sluice stream or table (created by SQL on an in-memory engine, decoded with
 * the source's serdes), as the connector runner hands them over.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/common/errors.js';
import type { DataSource } from '../src/planner/data-source.js';
import { serializedValueColumns } from '../src/planner/schema.js';
import type { SinkRow, SinkTask } from '../src/runtime/connectors/builtin-plugin.js';
import { ConnectorError } from '../src/runtime/connectors/connector.js';
import { parseConnectionUrl, parsePgSinkConfig } from '../src/runtime/connectors/postgres-config.js';
import { planTable } from '../src/runtime/connectors/postgres-sql.js';
import { postgresSinkPlugin } from '../src/runtime/connectors/postgres-sink.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { serdeFor } from '../src/serde/serde-for.js';
import { NOT_EXISTS, connectorSetup } from './helpers/connectors.js';
import { describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { PG, PG_URL, freshDatabase, query } from './helpers/postgres.js';

const noLogger = { error: () => undefined };

/** An in-memory engine with `sql` run, and the sink rows of a source's topic (decoded with its serdes; no source here has header columns, so the value serde's columns are all of `schema.value`, as a SinkRow holds them). */
async function engineWith(sql: string): Promise<{ engine: Engine; log: MemoryLog; rows: (name: string, from?: number) => Promise<SinkRow[]> }> {
  const log = new MemoryLog();
  const engine = new Engine({ log, properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute(sql);
  const rows = async (name: string, from = 0): Promise<SinkRow[]> => {
    const source = engine.catalog.getSource(name) as DataSource;
    const keySerde = serdeFor(source.keyFormat, source.schema.key, true, engine.registry, source.topic);
    const valueSerde = serdeFor(source.valueFormat, serializedValueColumns(source.schema), false, engine.registry, source.topic);
    const info = await log.topic(source.topic);
    const out: SinkRow[] = [];
    for (let p = 0; p < (info?.partitions ?? 0); p++) {
      for (const r of await log.read(source.topic, p, from, 1_000_000)) {
        out.push({
          topic: source.topic,
          partition: p,
          offset: r.offset,
          timestamp: r.timestamp,
          key: keySerde.deserialize(r.key) ?? [],
          value: valueSerde.deserialize(r.value),
          headers: r.headers ?? [],
        });
      }
    }
    return out;
  };
  return { engine, log, rows };
}

/** Appends a tombstone for `key` to a table's topic, as a DELETE upstream would. */
async function tombstone(engine: Engine, log: MemoryLog, name: string, key: unknown[]): Promise<void> {
  const source = engine.catalog.getSource(name) as DataSource;
  const keySerde = serdeFor(source.keyFormat, source.schema.key, true, engine.registry, source.topic);
  await log.append(source.topic, 0, [{ key: keySerde.serialize(key), value: null, timestamp: 0, headers: [] }]);
}

function sink(engine: Engine, source: string, connector: string, config: Record<string, string>): SinkTask {
  const src = engine.catalog.getSource(source) as DataSource;
  const create = postgresSinkPlugin.createSink;
  if (!create) throw new Error('the PostgreSQL plugin makes sinks');
  return create(config, { connector, source: src, logger: noLogger });
}

describe('PostgreSQL sink configuration (JDBC sink names and Connect wording)', () => {
  it('names the class and aliases of the JDBC sink connector', () => {
    expect(postgresSinkPlugin.className).toBe('io.confluent.connect.jdbc.JdbcSinkConnector');
    expect(postgresSinkPlugin.aliases).toEqual(['JdbcSinkConnector', 'JdbcSink']);
    expect(postgresSinkPlugin.type).toBe('sink');
  });

  it('reports a missing connection.url and topics as Connect words them', () => {
    expect(postgresSinkPlugin.validate({})).toEqual([
      'Missing required configuration "connection.url" which has no default value.',
      'Missing required configuration "topics" which has no default value.',
    ]);
  });

  it('reports invalid enumerators, booleans, integers and delete.enabled without record_key', () => {
    expect(
      postgresSinkPlugin.validate({
        'connection.url': 'jdbc:postgresql://localhost/db',
        topics: 'T',
        'insert.mode': 'merge',
        'auto.create': 'yes',
        'batch.size': 'many',
        'delete.enabled': 'true',
      }),
    ).toEqual([
      'Invalid value merge for configuration insert.mode: Invalid enumerator',
      'Invalid value yes for configuration auto.create: Expected value to be either true or false',
      'Invalid value many for configuration batch.size: Not a number of type INT',
      "Primary key mode must be 'record_key' when delete support is enabled",
    ]);
  });

  it('accepts jdbc:postgresql:// and postgres:// URLs, user and password from either place', () => {
    expect(parseConnectionUrl('jdbc:postgresql://db.example:6543/shop?user=app&password=s%20cret')).toEqual({
      host: 'db.example',
      port: 6543,
      database: 'shop',
      user: 'app',
      password: 's cret',
    });
    expect(parseConnectionUrl('postgres://postgres@127.0.0.1/postgres')).toEqual({ host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres' });
    expect(parseConnectionUrl('mysql://h/db')).toEqual({ problem: 'expected jdbc:postgresql://host:port/database or postgres://user@host:port/database' });
  });

  it('plans the written columns by pk.mode as the JDBC sink does', async () => {
    const { engine } = await engineWith(
      `CREATE STREAM ORDERS (ORDER_ID INT KEY, CUSTOMER STRING, TOTAL DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);`,
    );
    const source = engine.catalog.getSource('ORDERS') as DataSource;
    const plan = (extra: Record<string, string>): string[] | string => {
      const parsed = parsePgSinkConfig({ 'connection.url': 'postgres://h/db', topics: 'orders', ...extra });
      if ('problems' in parsed) return parsed.problems.join('; ');
      const p = planTable(parsed.config, source, 'orders');
      return 'problem' in p ? p.problem : p.columns.map((c) => `${c.sql} ${c.pgType}${c.pk ? ' pk' : ''}`);
    };
    expect(plan({})).toEqual(['"CUSTOMER" text', '"TOTAL" double precision']);
    expect(plan({ 'pk.mode': 'record_key' })).toEqual(['"ORDER_ID" integer pk', '"CUSTOMER" text', '"TOTAL" double precision']);
    expect(plan({ 'pk.mode': 'record_key', 'pk.fields': 'id' })).toEqual(['"id" integer pk', '"CUSTOMER" text', '"TOTAL" double precision']);
    expect(plan({ 'pk.mode': 'record_value', 'pk.fields': 'CUSTOMER', 'fields.whitelist': 'CUSTOMER' })).toEqual(['"CUSTOMER" text pk']);
    expect(plan({ 'pk.mode': 'kafka', 'quote.sql.identifiers': 'never' })).toEqual([
      '__connect_topic text pk',
      '__connect_partition integer pk',
      '__connect_offset bigint pk',
      'CUSTOMER text',
      'TOTAL double precision',
    ]);
    expect(plan({ 'pk.mode': 'record_value', 'pk.fields': 'NOPE' })).toBe("PK field 'NOPE' is not a value column of ORDERS (value columns: CUSTOMER, TOTAL)");
  });

  it('refuses upsert without a primary key and record_key on a keyless stream with a 40000 error', async () => {
    const { engine } = await engineWith(`CREATE STREAM KEYLESS (A INT) WITH (KAFKA_TOPIC='keyless', VALUE_FORMAT='JSON', PARTITIONS=1);`);
    const base = { 'connection.url': 'postgres://postgres@127.0.0.1/postgres', topics: 'keyless' };
    const upsert = (): SinkTask => sink(engine, 'KEYLESS', 'c1', { ...base, 'insert.mode': 'upsert' });
    expect(upsert).toThrow(ConnectorError);
    expect(upsert).toThrow("Write to table 'keyless' in UPSERT mode requires key field names to be known, check the primary key configuration");
    try {
      sink(engine, 'KEYLESS', 'c1', { ...base, 'pk.mode': 'record_key' });
      expect.unreachable('record_key on a keyless stream is refused');
    } catch (e) {
      expect((e as ConnectorError).errorCode).toBe(ErrorCode.BAD_REQUEST);
      expect((e as Error).message).toBe("PK mode for table 'keyless' is RECORD_KEY, but record key schema is missing (KEYLESS has no key columns)");
    }
  });
});

describeIf(PG_URL !== undefined, PG)('PostgreSQL sink against a real PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const open: SinkTask[] = [];
  const started = (t: SinkTask): SinkTask => {
    open.push(t);
    return t;
  };
  beforeAll(async () => {
    db = await freshDatabase('sluice_sink');
  });
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('auto.create makes the table from the schema, with the key as primary key and every type mapped', async () => {
    const { engine, rows } = await engineWith(`
      CREATE STREAM ALLTYPES (ID INT KEY, B BOOLEAN, I INT, L BIGINT, D DOUBLE, N DECIMAL(10,2), S STRING, BS BYTES,
        DT DATE, TM TIME, TS TIMESTAMP, A ARRAY<STRING>, M MAP<STRING, INT>, ST STRUCT<X INT, Y STRING>)
        WITH (KAFKA_TOPIC='alltypes', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO ALLTYPES VALUES (1, true, 7, 9007199254740991, 1.5, 12.34, 'it''s', TO_BYTES('AQI=', 'base64'),
        FROM_DAYS(19000), PARSE_TIME('10:11:12.345', 'HH:mm:ss.SSS'), FROM_UNIXTIME(1700000000123), ARRAY['a', 'b"c'], MAP('k' := 1), STRUCT(X := 2, Y := 'y'));
      INSERT INTO ALLTYPES (ID) VALUES (2);`);
    const task = started(sink(engine, 'ALLTYPES', 'types', { 'connection.url': db.url, topics: 'alltypes', 'auto.create': 'true', 'pk.mode': 'record_key' }));
    expect(await task.open(1)).toEqual(new Map());
    const columns = await query(
      db.url,
      `SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_name = 'alltypes' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'ID integer',
      'B boolean',
      'I integer',
      'L bigint',
      'D double precision',
      'N numeric',
      'S text',
      'BS bytea',
      'DT date',
      'TM time without time zone',
      'TS timestamp without time zone',
      'A jsonb',
      'M jsonb',
      'ST jsonb',
    ]);
    expect(columns[5]).toMatchObject({ numeric_precision: 10, numeric_scale: 2 });
    const pk = await query(
      db.url,
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '"alltypes"'::regclass AND i.indisprimary`,
    );
    expect(pk).toEqual([{ attname: 'ID' }]);

    expect(await task.put(await rows('ALLTYPES'))).toEqual([]);
    const got = await query(
      db.url,
      `SELECT "ID", "B", "I", "L"::text, "D", "N"::text, "S", encode("BS", 'base64') AS bs, "DT"::text, "TM"::text, "TS"::text, "A", "M", "ST" FROM alltypes ORDER BY "ID"`,
    );
    expect(got).toEqual([
      {
        ID: 1,
        B: true,
        I: 7,
        L: '9007199254740991',
        D: 1.5,
        N: '12.34',
        S: "it's",
        bs: 'AQI=',
        DT: '2022-01-08',
        TM: '10:11:12.345',
        TS: '2023-11-14 22:13:20.123',
        A: ['a', 'b"c'],
        M: { k: 1 },
        ST: { X: 2, Y: 'y' },
      },
      { ID: 2, B: null, I: null, L: null, D: null, N: null, S: null, bs: null, DT: null, TM: null, TS: null, A: null, M: null, ST: null },
    ]);
  });

  it('upserts a table by key (last write in a batch wins) and deletes on a tombstone', async () => {
    const { engine, log, rows } = await engineWith(`
      CREATE TABLE ACCOUNTS (ID STRING PRIMARY KEY, BALANCE INT) WITH (KAFKA_TOPIC='accounts', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO ACCOUNTS VALUES ('a', 1);
      INSERT INTO ACCOUNTS VALUES ('b', 2);
      INSERT INTO ACCOUNTS VALUES ('a', 3);`);
    const config = {
      'connection.url': db.url,
      topics: 'accounts',
      'auto.create': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'delete.enabled': 'true',
    };
    const task = started(sink(engine, 'ACCOUNTS', 'accounts-sink', config));
    await task.open(1);
    expect(await task.put(await rows('ACCOUNTS'))).toEqual([]);
    expect(await query(db.url, 'SELECT * FROM accounts ORDER BY "ID"')).toEqual([
      { ID: 'a', BALANCE: 3 },
      { ID: 'b', BALANCE: 2 },
    ]);

    await engine.execute(`INSERT INTO ACCOUNTS VALUES ('c', 4); INSERT INTO ACCOUNTS VALUES ('a', 5);`);
    await tombstone(engine, log, 'ACCOUNTS', ['b']);
    await engine.execute(`INSERT INTO ACCOUNTS VALUES ('c', 6);`);
    const next = await rows('ACCOUNTS', 3);
    expect(next.map((r) => r.value)).toEqual([[4], [5], null, [6]]);
    expect(await task.put(next)).toEqual([]);
    expect(await query(db.url, 'SELECT * FROM accounts ORDER BY "ID"')).toEqual([
      { ID: 'a', BALANCE: 5 },
      { ID: 'c', BALANCE: 6 },
    ]);
  });

  it('update mode changes existing rows by key and leaves missing keys out', async () => {
    const { engine, rows } = await engineWith(`
      CREATE TABLE PRICES (SKU STRING PRIMARY KEY, PRICE DECIMAL(8,2)) WITH (KAFKA_TOPIC='prices', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO PRICES VALUES ('a', 1.50);
      INSERT INTO PRICES VALUES ('b', 2.50);
      INSERT INTO PRICES VALUES ('a', 1.75);`);
    await query(db.url, 'CREATE TABLE prices ("SKU" text PRIMARY KEY, "PRICE" numeric(8,2))');
    await query(db.url, `INSERT INTO prices VALUES ('a', 1.00)`);
    const task = started(
      sink(engine, 'PRICES', 'prices-sink', { 'connection.url': db.url, topics: 'prices', 'insert.mode': 'update', 'pk.mode': 'record_key' }),
    );
    await task.open(1);
    expect(await task.put(await rows('PRICES'))).toEqual([]);
    expect(await query(db.url, 'SELECT "SKU", "PRICE"::text FROM prices')).toEqual([{ SKU: 'a', PRICE: '1.75' }]);
  });

  it('returns a tombstone as a failure when delete.enabled is false', async () => {
    const { engine, log, rows } = await engineWith(`CREATE TABLE T2 (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO T2 VALUES (1, 1);`);
    await tombstone(engine, log, 'T2', [1]);
    const task = started(
      sink(engine, 'T2', 't2-sink', { 'connection.url': db.url, topics: 't2', 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key' }),
    );
    await task.open(1);
    const failures = await task.put(await rows('T2'));
    expect(failures.map((f) => [f.row.offset, f.error.message])).toEqual([
      [
        1,
        "Sink connector 't2-sink' is configured with 'delete.enabled=false' and 'pk.mode=record_key' and therefore requires records with a non-null value, but found record at (topic='t2',partition=0,offset=1,timestamp=0) with a null value",
      ],
    ]);
    expect(await query(db.url, 'SELECT * FROM t2')).toEqual([{ ID: 1, V: 1 }]);
    // errors.tolerance=none: the saved position stays at the tombstone, for a restart to meet it again.
    expect(await query(db.url, `SELECT next_offset FROM sluice_connector_offsets WHERE connector = 't2-sink'`)).toEqual([{ next_offset: '1' }]);
  });

  it('errors.tolerance=all: insert mode returns the rows whose key already exists as failures and writes the others in the same transaction', async () => {
    const { engine, rows } = await engineWith(`
      CREATE STREAM PAYMENTS (ID INT KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO PAYMENTS VALUES (1, 10.0);
      INSERT INTO PAYMENTS VALUES (2, 20.0);
      INSERT INTO PAYMENTS VALUES (1, 11.0);
      INSERT INTO PAYMENTS VALUES (3, 30.0);`);
    const task = started(
      sink(engine, 'PAYMENTS', 'payments-sink', {
        'connection.url': db.url,
        topics: 'payments',
        'auto.create': 'true',
        'pk.mode': 'record_key',
        'errors.tolerance': 'all',
      }),
    );
    await task.open(1);
    const failures = await task.put(await rows('PAYMENTS'));
    expect(failures.map((f) => f.row.offset)).toEqual([2]);
    expect(failures[0]?.error.message).toBe('duplicate key value violates unique constraint "payments_pkey"');
    expect((failures[0]?.error as { code?: string } | undefined)?.code).toBe('23505');
    expect(await query(db.url, 'SELECT * FROM payments ORDER BY "ID"')).toEqual([
      { ID: 1, AMOUNT: 10 },
      { ID: 2, AMOUNT: 20 },
      { ID: 3, AMOUNT: 30 },
    ]);
    expect(await query(db.url, `SELECT "partition", next_offset FROM sluice_connector_offsets WHERE connector = 'payments-sink'`)).toEqual([
      { partition: 0, next_offset: '4' },
    ]);
  });

  it('errors.tolerance=none: the batch ends at the first refused row, and a new task resumes at that row', async () => {
    const { engine, rows } = await engineWith(`
      CREATE STREAM REFUNDS (ID INT KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='refunds', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO REFUNDS VALUES (1, 10.0);
      INSERT INTO REFUNDS VALUES (2, 20.0);
      INSERT INTO REFUNDS VALUES (1, 11.0);
      INSERT INTO REFUNDS VALUES (3, 30.0);`);
    const config = { 'connection.url': db.url, topics: 'refunds', 'auto.create': 'true', 'pk.mode': 'record_key' };
    const first = started(sink(engine, 'REFUNDS', 'refunds-sink', config));
    await first.open(1);
    const all = await rows('REFUNDS');
    const failures = await first.put(all);
    expect(failures.map((f) => [f.row.offset, f.error.message])).toEqual([[2, 'duplicate key value violates unique constraint "refunds_pkey"']]);
    expect(await query(db.url, 'SELECT * FROM refunds ORDER BY "ID"')).toEqual([
      { ID: 1, AMOUNT: 10 },
      { ID: 2, AMOUNT: 20 },
    ]);
    await first.close();
    const second = started(sink(engine, 'REFUNDS', 'refunds-sink', config));
    expect(await second.open(1)).toEqual(new Map([[0, 2]]));
    expect((await second.put(all)).map((f) => f.row.offset)).toEqual([2]);
  });

  it('keeps positions with the rows: a new task opens where the last committed batch ended, per partition', async () => {
    const { engine, rows } = await engineWith(
      `CREATE STREAM CLICKS (USER_ID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=2);`,
    );
    const pages = ['home', 'cart', 'home', 'pay', 'home', 'cart', 'home', 'pay'];
    await engine.produce(
      'clicks',
      pages.map((page, i) => ({ key: `u${i}`, value: { PAGE: page }, partition: i % 2 })),
    );
    const config = { 'connection.url': db.url, topics: 'clicks', 'auto.create': 'true', 'pk.mode': 'kafka' };
    const first = started(sink(engine, 'CLICKS', 'clicks-sink', config));
    expect(await first.open(2)).toEqual(new Map());
    const all = await rows('CLICKS');
    const byPartition = [0, 1].map((p) => all.filter((r) => r.partition === p));
    expect(byPartition.map((r) => r.length).every((n) => n > 1)).toBe(true);
    // Everything of partition 0, and partition 1 but its last record.
    const written = [...(byPartition[0] ?? []), ...(byPartition[1] ?? []).slice(0, -1)];
    expect(await first.put(written)).toEqual([]);
    await first.close();

    const second = started(sink(engine, 'CLICKS', 'clicks-sink', config));
    const positions = await second.open(2);
    expect(positions).toEqual(
      new Map([
        [0, byPartition[0]?.length],
        [1, (byPartition[1]?.length ?? 0) - 1],
      ]),
    );
    const rest = all.filter((r) => r.offset >= (positions?.get(r.partition) ?? 0));
    expect(rest).toHaveLength(1);
    expect(await second.put(rest)).toEqual([]);
    const table = await query(db.url, 'SELECT __connect_topic, __connect_partition, __connect_offset::int, "PAGE" FROM clicks ORDER BY 2, 3');
    expect(table).toHaveLength(8);
    expect(table.map((r) => r.PAGE).sort()).toEqual(['cart', 'cart', 'home', 'home', 'home', 'home', 'pay', 'pay']);
    // pk.mode=kafka writes no key column.
    expect(Object.keys(table[0] ?? {})).toEqual(['__connect_topic', '__connect_partition', '__connect_offset', 'PAGE']);
  });

  it('skips rows a re-delivered batch already committed, so insert mode neither fails nor duplicates them', async () => {
    const { engine, rows } = await engineWith(`
      CREATE STREAM ORDERS (ID INT KEY, QTY INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO ORDERS VALUES (1, 1);
      INSERT INTO ORDERS VALUES (2, 2);
      INSERT INTO ORDERS VALUES (3, 3);`);
    const task = started(sink(engine, 'ORDERS', 'orders-sink', { 'connection.url': db.url, topics: 'orders', 'auto.create': 'true', 'pk.mode': 'record_key' }));
    await task.open(1);
    const all = await rows('ORDERS');
    expect(await task.put(all.slice(0, 2))).toEqual([]);
    expect(await task.put(all)).toEqual([]);
    expect(await query(db.url, 'SELECT * FROM orders ORDER BY "ID"')).toEqual([
      { ID: 1, QTY: 1 },
      { ID: 2, QTY: 2 },
      { ID: 3, QTY: 3 },
    ]);
  });

  it('reconnects and writes the batch when PostgreSQL drops the connection', async () => {
    const { engine, rows } = await engineWith(`
      CREATE STREAM PINGS (ID INT KEY, N INT) WITH (KAFKA_TOPIC='pings', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO PINGS VALUES (1, 1);
      INSERT INTO PINGS VALUES (2, 2);`);
    const config = { 'connection.url': db.url, topics: 'pings', 'auto.create': 'true', 'pk.mode': 'record_key', 'retry.backoff.ms': '0' };
    const task = started(sink(engine, 'PINGS', 'pings-sink', config));
    await task.open(1);
    const all = await rows('PINGS');
    expect(await task.put(all.slice(0, 1))).toEqual([]);
    const killed = await query(
      db.url,
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'sluice connector pings-sink'`,
    );
    expect(killed).toEqual([{ killed: true }]);
    expect(await task.put(all)).toEqual([]);
    expect(await query(db.url, 'SELECT * FROM pings ORDER BY "ID"')).toEqual([
      { ID: 1, N: 1 },
      { ID: 2, N: 2 },
    ]);
  });

  it('fails open with the address when PostgreSQL is unreachable', async () => {
    const { engine } = await engineWith(`CREATE STREAM NOWHERE (ID INT KEY, N INT) WITH (KAFKA_TOPIC='nowhere', VALUE_FORMAT='JSON', PARTITIONS=1);`);
    const task = started(
      sink(engine, 'NOWHERE', 'nowhere-sink', { 'connection.url': 'jdbc:postgresql://127.0.0.1:1/db?user=u', topics: 'nowhere', 'auto.create': 'true' }),
    );
    await expect(task.open(1)).rejects.toThrow('PostgreSQL sink nowhere-sink could not connect to 127.0.0.1:1/db: connect ECONNREFUSED 127.0.0.1:1');
    await expect(task.open(1)).rejects.toMatchObject({ errorCode: ErrorCode.SERVER_ERROR });
  });

  it('refuses a missing table without auto.create, and adds missing columns only with auto.evolve', async () => {
    const { engine } = await engineWith(
      `CREATE STREAM EVOLVING (ID INT KEY, A INT, B STRING) WITH (KAFKA_TOPIC='evolving', VALUE_FORMAT='JSON', PARTITIONS=1);`,
    );
    const base = { 'connection.url': db.url, topics: 'evolving', 'pk.mode': 'record_key' };
    await expect(started(sink(engine, 'EVOLVING', 'ev', base)).open(1)).rejects.toThrow('Table "evolving" is missing and auto-creation is disabled');
    await query(db.url, 'CREATE TABLE evolving ("ID" integer PRIMARY KEY, "A" integer)');
    await expect(started(sink(engine, 'EVOLVING', 'ev', base)).open(1)).rejects.toThrow(
      'Table "evolving" is missing fields (B) and auto-evolution is disabled',
    );
    await started(sink(engine, 'EVOLVING', 'ev', { ...base, 'auto.evolve': 'true' })).open(1);
    const cols = await query(db.url, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'evolving' ORDER BY ordinal_position`);
    expect(cols).toEqual([
      { column_name: 'ID', data_type: 'integer' },
      { column_name: 'A', data_type: 'integer' },
      { column_name: 'B', data_type: 'text' },
    ]);
  });

  it('quote.sql.identifiers=never leaves names to PostgreSQL, which folds them to lower case', async () => {
    const { engine, rows } =
      await engineWith(`CREATE TABLE FRAUD (CARD STRING PRIMARY KEY, ATTEMPTS BIGINT) WITH (KAFKA_TOPIC='FRAUD', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO FRAUD VALUES ('4000-1', 3);`);
    const config = {
      'connection.url': db.url,
      topics: 'FRAUD',
      'auto.create': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'quote.sql.identifiers': 'never',
    };
    const task = started(sink(engine, 'FRAUD', 'fraud-sink', config));
    await task.open(1);
    expect(await task.put(await rows('FRAUD'))).toEqual([]);
    expect(await query(db.url, 'SELECT card, attempts::int FROM fraud')).toEqual([{ card: '4000-1', attempts: 3 }]);
  });
});

describeIf(PG_URL !== undefined, PG)('PostgreSQL sink under the built-in runner', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const closing: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    db = await freshDatabase('sluice_runner');
  });
  afterEach(async () => {
    for (const c of closing.splice(0).reverse()) await c.close();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A stream with a repeated key, and a JDBC sink in insert mode over it. */
  async function duplicates(name: string, extra: Record<string, string>) {
    const { engine, connectors } = await connectorSetup(closing);
    await engine.execute(`
      CREATE STREAM ${name} (ID INT KEY, N INT) WITH (KAFKA_TOPIC='${name.toLowerCase()}', VALUE_FORMAT='JSON', PARTITIONS=1);
      INSERT INTO ${name} VALUES (1, 1);
      INSERT INTO ${name} VALUES (1, 2);
      INSERT INTO ${name} VALUES (2, 3);`);
    const config = {
      'connector.class': 'JdbcSinkConnector',
      'connection.url': db.url,
      topics: name.toLowerCase(),
      'auto.create': 'true',
      'pk.mode': 'record_key',
      ...extra,
    };
    await connectors.create(`${name.toLowerCase()}-sink`, config, NOT_EXISTS);
    return { engine, connectors };
  }

  it('errors.tolerance=all: a duplicate key goes to the dead-letter topic with __connect.errors.* headers, the other rows to PostgreSQL', async () => {
    const { engine, connectors } = await duplicates('DUPS', {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dups-dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    const dlq = await eventually('one dead letter', async () => {
      const records = (await engine.log.topic('dups-dlq')) ? await engine.log.read('dups-dlq', 0, 0, 10) : [];
      return records.length === 1 ? records : undefined;
    });
    expect(dlq[0]?.value?.toString()).toBe('{"N":2}');
    const headers = Object.fromEntries((dlq[0]?.headers ?? []).map((h) => [h.key, h.value?.toString()]));
    expect(headers).toMatchObject({
      '__connect.errors.topic': 'dups',
      '__connect.errors.offset': '1',
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.class.name': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      '__connect.errors.exception.message': 'duplicate key value violates unique constraint "dups_pkey"',
    });
    await eventually('the other rows in PostgreSQL', async () => {
      expect(await query(db.url, 'SELECT * FROM dups ORDER BY "ID"')).toEqual([
        { ID: 1, N: 1 },
        { ID: 2, N: 3 },
      ]);
      return true;
    });
    expect((await connectors.describe('dups-sink')).status.tasks[0]?.state).toBe('RUNNING');
  });

  it('errors.tolerance=none: a duplicate key fails the task with the PostgreSQL error in DESCRIBE, rows before it written', async () => {
    const { connectors } = await duplicates('STRICT', {});
    const task = await eventually('the task FAILED', async () => {
      const t = (await connectors.describe('strict-sink')).status.tasks[0];
      return t?.state === 'FAILED' ? t : undefined;
    });
    expect(task.trace).toMatch(
      /^org\.apache\.kafka\.connect\.errors\.ConnectException: Tolerance exceeded in error handler\nCaused by: .*duplicate key value violates unique constraint "strict_pkey"/,
    );
    expect(await query(db.url, 'SELECT * FROM strict ORDER BY "ID"')).toEqual([{ ID: 1, N: 1 }]);
    expect(await query(db.url, `SELECT next_offset FROM sluice_connector_offsets WHERE connector = 'strict-sink'`)).toEqual([{ next_offset: '1' }]);
  });
});
