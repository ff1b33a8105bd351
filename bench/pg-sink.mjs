// PostgreSQL sink throughput: the built-in JDBC sink's task (dist/) writing batches of
// SinkRows into a real PostgreSQL, each batch one transaction with its positions.
//   node bench/pg-sink.mjs [--rows=N] [--batch=N] [--mode=upsert|insert] [--keys=N]
// Needs SLUICE_PG_URL (scripts/pg-local.sh start prints it); build first (npm run build).
// Makes a scratch database, prints one JSON line (rows/s over the timed puts), drops it.
import pg from 'pg';
import { postgresSinkPlugin } from '../dist/src/runtime/connectors/postgres-sink.js';
import { Decimal } from '../dist/src/common/decimal.js';

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : a.slice(name.length + 3);
};
const rows = Number(arg('rows', 200_000));
const batch = Number(arg('batch', 500));
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
try {
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
  const c = new pg.Client({ connectionString: dbUrl.toString() });
  await c.connect();
  const count = (await c.query('SELECT count(*)::int AS n FROM payments')).rows[0].n;
  const next = (await c.query('SELECT next_offset::int AS n FROM sluice_connector_offsets')).rows[0].n;
  await c.end();
  if (count !== Math.min(rows, keys) || next !== rows) throw new Error(`table has ${count} rows, position ${next}`);
  console.log(JSON.stringify({ bench: 'pg-sink', mode, rows, batch, keys, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds) }));
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
