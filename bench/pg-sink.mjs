// PostgreSQL sink throughput: the built-in JDBC sink's task (dist/) writing batches of
// SinkRows into a real PostgreSQL, each batch one transaction with its positions.
//   node bench/pg-sink.mjs [--rows=N] [--batch=N] [--mode=upsert|insert] [--keys=N] [--via=task|runner]
// --via=runner: the whole path instead: a stream's JSON records on an in-memory log, read,
// decoded and put by the built-in runner (CREATE SINK CONNECTOR's), timed until PostgreSQL has them.
// Needs SLUICE_PG_URL (scripts/pg-local.sh start prints it); build first (npm run build).
// Makes a scratch database, prints one JSON line (rows/s over the timed puts), drops it.
import pg from 'pg';
import { postgresSinkPlugin } from '../dist/src/runtime/connectors/postgres-sink.js';
import { Decimal } from '../dist/src/common/decimal.js';
import { BuiltinConnectors } from '../dist/src/runtime/connectors/builtin/builtin-connectors.js';
import { Engine } from '../dist/src/runtime/engine/engine.js';
import { MemoryLog } from '../dist/src/runtime/log/memory-log.js';

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : a.slice(name.length + 3);
};
const rows = Number(arg('rows', 200_000));
const batch = Number(arg('batch', 1000));
const via = arg('via', 'task');
const mode = arg('mode', 'upsert');
const keys = Number(arg('keys', rows));
const url = process.env.SLUICE_PG_URL;
if (!url) {
  console.error('pg-sink: set SLUICE_PG_URL (scripts/pg-local.sh start prints it)');
  process.exit(2);
}

const T = (kind) => ({ kind });
const source = {
  name: 'PAYMENTS',
  sourceType: mode === 'upsert' ? 'TABLE' : 'STREAM',
  topic: 'payments',
  schema: {
    key: [{ name: 'ID', type: T('BIGINT'), namespace: 'KEY' }],
    value: [
      { name: 'CARD', type: T('STRING'), namespace: 'VALUE' },
      { name: 'AMOUNT', type: { kind: 'DECIMAL', precision: 10, scale: 2 }, namespace: 'VALUE' },
      { name: 'MERCHANT', type: T('STRING'), namespace: 'VALUE' },
      { name: 'TS', type: T('TIMESTAMP'), namespace: 'VALUE' },
    ],
  },
  keyFormat: { format: 'KAFKA', properties: {} },
  valueFormat: { format: 'JSON', properties: {} },
  isSource: false,
  sqlText: '',
};

const db = `sluice_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${db}`);
const dbUrl = new URL(url);
dbUrl.pathname = `/${db}`;
/** Puts pre-built SinkRows straight into the task, `batch` at a time; returns the seconds taken. */
async function viaTask() {
  const task = postgresSinkPlugin.createSink(
    {
      'connection.url': dbUrl.toString(),
      topics: 'payments',
      'auto.create': 'true',
      'insert.mode': mode,
      'pk.mode': mode === 'upsert' ? 'record_key' : 'kafka',
    },
    { connector: 'bench', source, logger: { error: () => undefined } },
  );
  await task.open(1);
  const all = new Array(rows);
  for (let i = 0; i < rows; i++) {
    all[i] = {
      topic: 'payments',
      partition: 0,
      offset: i,
      timestamp: 1_700_000_000_000 + i,
      key: [i % keys],
      value: [`4000-${String(i % 9973).padStart(6, '0')}`, new Decimal(BigInt(i % 100_000), 2), `m${i % 101}`, 1_700_000_000_000 + i],
      headers: [],
    };
  }
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows; i += batch) {
    const failures = await task.put(all.slice(i, i + batch));
    if (failures.length > 0) throw new Error(`${failures.length} rows refused: ${failures[0].error.message}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await task.close();
  return seconds;
}

/** Appends the stream's records to an in-memory log, then times CREATE SINK CONNECTOR's runner until PostgreSQL has every row. */
async function viaRunner() {
  const log = new MemoryLog();
  const engine = new Engine({ log });
  await engine.execute(
    `CREATE ${mode === 'upsert' ? 'TABLE' : 'STREAM'} PAYMENTS (ID BIGINT ${mode === 'upsert' ? 'PRIMARY KEY' : 'KEY'}, CARD STRING, AMOUNT DECIMAL(10,2), MERCHANT STRING, TS TIMESTAMP) WITH (KAFKA_TOPIC='payments', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);`,
  );
  for (let i = 0; i < rows; i += 10_000) {
    const chunk = [];
    for (let j = i; j < Math.min(rows, i + 10_000); j++) {
      const key = Buffer.alloc(8);
      key.writeBigInt64BE(BigInt(j % keys));
      const value = { CARD: `4000-${String(j % 9973).padStart(6, '0')}`, AMOUNT: (j % 100_000) / 100, MERCHANT: `m${j % 101}`, TS: 1_700_000_000_000 + j };
      chunk.push({ key, value: Buffer.from(JSON.stringify(value)), timestamp: 1_700_000_000_000 + j, headers: [] });
    }
    await log.append('payments', 0, chunk);
  }
  const connectors = new BuiltinConnectors({
    log,
    catalog: engine.catalog,
    registry: engine.registry,
    logger: { error: () => undefined },
    serverProperties: new Map(),
    kafkaMode: false,
  });
  const c = new pg.Client({ connectionString: dbUrl.toString() });
  await c.connect();
  const started = process.hrtime.bigint();
  await connectors.create(
    'bench',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': dbUrl.toString(),
      topics: 'payments',
      'auto.create': 'true',
      'insert.mode': mode,
      'pk.mode': mode === 'upsert' ? 'record_key' : 'kafka',
      'batch.size': String(batch),
    },
    { ifNotExists: false, replaying: false },
  );
  for (;;) {
    const r = await c.query('SELECT next_offset::int AS n FROM sluice_connector_offsets').catch(() => ({ rows: [] }));
    if ((r.rows[0]?.n ?? 0) >= rows) break;
    const state = (await connectors.describe('bench')).status.tasks[0];
    if (state?.state === 'FAILED') throw new Error(state.trace);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await c.end();
  await connectors.close();
  await engine.close();
  return seconds;
}

try {
  const seconds = via === 'runner' ? await viaRunner() : await viaTask();
  const c = new pg.Client({ connectionString: dbUrl.toString() });
  await c.connect();
  const count = (await c.query('SELECT count(*)::int AS n FROM payments')).rows[0].n;
  const next = (await c.query('SELECT next_offset::int AS n FROM sluice_connector_offsets')).rows[0].n;
  await c.end();
  if (count !== Math.min(rows, keys) || next !== rows) throw new Error(`table has ${count} rows, position ${next}`);
  console.log(
    JSON.stringify({ bench: 'pg-sink', via, mode, rows, batch, keys, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds) }),
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
