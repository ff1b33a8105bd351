/**
 * The PostgreSQL sink end to end: a real `sluice server` child process, a
 * stream fed continuously over /inserts-stream, `CREATE SINK CONNECTOR` with
 * the JDBC sink's properties, a SIGKILL while the sink writes, a restart on
 * the same data directory, and then PostgreSQL holds exactly the stream's
 * rows: the table has no primary key (pk.mode=none writes the value columns
 * only; SEQ repeats the key), so a repeated row would show up twice and a lost
 * one would be missing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { PG, PG_URL, freshDatabase, query } from './helpers/postgres.js';
import { BUNDLE_BUILT, type ServerProcess, startServerProcess } from './helpers/server-process.js';

const missing = !BUNDLE_BUILT ? DIST : PG_URL === undefined ? PG : undefined;

async function ksql(url: string, sql: string): Promise<unknown[]> {
  const r = await fetch(`${url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest' } }),
  });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`/ksql ${r.status}: ${body}`);
  return JSON.parse(body) as unknown[];
}

/** The IDs a pull query over the stream returns (what Sluice holds), sorted. */
async function streamIds(url: string): Promise<number[]> {
  const r = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: 'SELECT ID FROM PAYMENTS;', streamsProperties: {} }),
  });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`/query ${r.status}: ${body}`);
  const rows = JSON.parse(body) as { row?: { columns: unknown[] } }[];
  return rows
    .filter((x) => x.row !== undefined)
    .map((x) => Number(x.row?.columns[0]))
    .sort((a, b) => a - b);
}

/** Inserts PAYMENTS rows `from` … `from + n - 1` in one /inserts-stream request. */
function insert(url: string, from: number, n: number): Promise<string> {
  const lines = [JSON.stringify({ target: 'PAYMENTS' })];
  for (let id = from; id < from + n; id++) lines.push(JSON.stringify({ ID: id, SEQ: id, CARD: `4000-${id % 97}`, AMOUNT: (id % 50) + 0.5 }));
  return fetch(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: lines.join('\n') }).then((r) => r.text());
}

describeIf(missing === undefined, missing ?? '')('PostgreSQL sink in a real server', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    db = await freshDatabase('sluice_e2e');
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("the README's example: the fraud table upserted into PostgreSQL, cards under the threshold absent", async () => {
    const server = await startServerProcess();
    servers.push(server);
    const pgUrl = new URL(db.url);
    const jdbcUrl = `jdbc:postgresql://${pgUrl.host}${pgUrl.pathname}?user=${pgUrl.username}`;
    await ksql(
      server.url,
      `CREATE STREAM authorization_attempts (card_number VARCHAR, merchant VARCHAR, amount DOUBLE)
         WITH (kafka_topic='authorizations', value_format='JSON', partitions=1);
       CREATE TABLE fraud AS
         SELECT card_number, COUNT(*) AS attempts, SUM(amount) AS total
         FROM authorization_attempts GROUP BY card_number HAVING COUNT(*) > 3;
       CREATE SINK CONNECTOR fraud_to_pg WITH (
         'connector.class' = 'io.confluent.connect.jdbc.JdbcSinkConnector',
         'connection.url'  = '${jdbcUrl}',
         'topics'          = 'FRAUD',
         'insert.mode'     = 'upsert',
         'pk.mode'         = 'record_key',
         'delete.enabled'  = 'true',
         'auto.create'     = 'true');`,
    );
    const attempts = [
      ['4000-1', 5],
      ['4000-2', 4],
      ['4000-3', 2],
    ] as const;
    const lines = [JSON.stringify({ target: 'AUTHORIZATION_ATTEMPTS' })];
    for (const [card, n] of attempts) for (let i = 0; i < n; i++) lines.push(JSON.stringify({ CARD_NUMBER: card, MERCHANT: 'm', AMOUNT: 10 }));
    const r = await fetch(`${server.url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: lines.join('\n') });
    expect(r.status).toBe(200);
    await eventually(
      'the fraud table in PostgreSQL',
      async () => {
        const rows = await query(db.url, 'SELECT * FROM "FRAUD" ORDER BY "CARD_NUMBER"');
        expect(rows).toEqual([
          { CARD_NUMBER: '4000-1', ATTEMPTS: '5', TOTAL: 50 },
          { CARD_NUMBER: '4000-2', ATTEMPTS: '4', TOTAL: 40 },
        ]);
        return true;
      },
      { timeoutMs: 25_000 },
    );
  }, 60_000);

  it('SIGKILL mid-stream and a restart leave PostgreSQL with exactly the stream rows, none lost or repeated', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pg-kill-'));
    dirs.push(dataDir);
    const start = async (): Promise<ServerProcess> => {
      const s = await startServerProcess({}, { args: ['--data-dir', dataDir] });
      servers.push(s);
      return s;
    };
    const first = await start();
    await ksql(
      first.url,
      "CREATE STREAM PAYMENTS (ID BIGINT KEY, SEQ BIGINT, CARD STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=2);",
    );
    const created = await ksql(
      first.url,
      `CREATE SINK CONNECTOR PG_PAYMENTS WITH (
         'connector.class' = 'io.confluent.connect.jdbc.JdbcSinkConnector',
         'connection.url' = '${db.url}',
         'topics' = 'payments',
         'insert.mode' = 'insert',
         'pk.mode' = 'none',
         'auto.create' = 'true');`,
    );
    expect(created).toMatchObject([{ '@type': 'connector_info', info: { name: 'PG_PAYMENTS', type: 'sink' } }]);

    const count = async (): Promise<number> => {
      const [row] = await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM payments').catch(() => [{ n: 0 }]);
      return row?.n ?? 0;
    };
    // A first batch, acknowledged, reaches PostgreSQL.
    expect(await insert(first.url, 0, 2000)).not.toContain('"status":"error"');
    await eventually('the first rows in PostgreSQL', async () => (await count()) >= 2000 || undefined, { timeoutMs: 25_000 });
    // More rows stream in; kill the server once the sink is writing them, not before.
    const inflight = insert(first.url, 2000, 20_000).catch(() => '');
    await eventually('the sink writing the second batch', async () => (await count()) > 2000 || undefined, { timeoutMs: 25_000, everyMs: 5 });
    first.child.kill('SIGKILL');
    await inflight;
    const atKill = await count();

    // Restart on the same data directory: the connector comes back from the command log and resumes
    // from the positions PostgreSQL committed with the rows; more rows arrive after the restart.
    const second = await start();
    expect(await insert(second.url, 100_000, 500)).not.toContain('"status":"error"');
    const ids = await streamIds(second.url);
    expect(ids.length).toBeGreaterThan(atKill);
    expect(ids.slice(-500)).toEqual(Array.from({ length: 500 }, (_, i) => 100_000 + i));
    await eventually(
      'PostgreSQL holding exactly the stream rows',
      async () => {
        const got = await query<{ SEQ: string }>(db.url, 'SELECT "SEQ" FROM payments ORDER BY "SEQ"');
        expect(got.map((r) => Number(r.SEQ))).toEqual(ids);
        return true;
      },
      { timeoutMs: 25_000 },
    );
    const [status] = (await ksql(second.url, 'DESCRIBE CONNECTOR PG_PAYMENTS;')) as { status?: { tasks?: { state: string }[] } }[];
    expect(status?.status?.tasks?.map((t) => t.state)).toEqual(['RUNNING']);
  }, 120_000);
});
