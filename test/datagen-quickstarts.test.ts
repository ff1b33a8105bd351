/**
 * `sluice datagen`: deterministic with --seed, every quickstart's records fit
 * the DDL it suggests (no processing-log errors), written through a real
 * server's /topics or straight into a data directory's log; the fraud and
 * error-count examples get rows from the transactions and monitoring data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import type { RunningServer } from '../src/server/index.js';
import { ROOT, runSluiceAsync, tempDir } from './repl-helpers.js';
import { eventually } from './helpers/eventually.js';
import { ksql, startTestServer } from './server-helpers.js';

const QUICKSTARTS = ['orders', 'users', 'pageviews', 'clickstream', 'transactions', 'monitoring'];

let server: RunningServer;
let engine: Engine;
let url: string;
let dir: string;

beforeAll(async () => {
  ({ server, url, engine } = await startTestServer());
  dir = tempDir('sluice-datagen-');
});

afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string, n: number): Promise<unknown[][]> {
  const q = await engine.startQuery(sql, { properties: { 'auto.offset.reset': 'earliest' } });
  const out: unknown[][] = [];
  const timer = setTimeout(() => q.close(), 5000);
  for await (const r of q.rows) {
    out.push([...r]);
    if (out.length >= n) break;
  }
  clearTimeout(timer);
  q.close();
  return out;
}

describe('sluice datagen', () => {
  it('--seed makes the records repeatable; another seed gives others', async () => {
    const a = await runSluiceAsync(['datagen', '--quickstart', 'transactions', '--dry-run', '--iterations', '30', '--seed', '42']);
    const b = await runSluiceAsync(['datagen', '--quickstart', 'transactions', '--dry-run', '--iterations', '30', '--seed', '42']);
    const c = await runSluiceAsync(['datagen', '--quickstart', 'transactions', '--dry-run', '--iterations', '30', '--seed', '43']);
    expect(a.code).toBe(0);
    expect(a.out.trim().split('\n')).toHaveLength(30);
    expect(a.out).toBe(b.out);
    expect(c.out).not.toBe(a.out);
    expect(a.out).toMatch(
      /^4\d{3}-\d{4}-\d{4}-\d{4} --> \{"CARD_NUMBER":"4\d{3}-\d{4}-\d{4}-\d{4}","MERCHANT":"[^"]+","AMOUNT":\d+(\.\d+)?,"CURRENCY":"USD","TRANSACTION_ID":"tx-0000001"\}$/m,
    );
  });

  it.each(QUICKSTARTS)('%s: the records fit the suggested DDL when written through the server', async (name) => {
    const ddl = await runSluiceAsync(['datagen', '--quickstart', name, '--topic', `dg_${name}`, '--print-ddl']);
    expect(ddl.code).toBe(0);
    await ksql(url, ddl.out.replace(/^CREATE (STREAM|TABLE) (\w+)/, `CREATE $1 dg_$2`));
    const r = await runSluiceAsync([
      'datagen',
      '--quickstart',
      name,
      '--topic',
      `dg_${name}`,
      '--iterations',
      '20',
      '--rate',
      '0',
      '--seed',
      '1',
      '--server',
      url,
      '--quiet',
    ]);
    expect(r.err).toBe(`Wrote 20 records to topic 'dg_${name}'.\n`);
    expect(r.code).toBe(0);
    const source = /^CREATE (?:STREAM|TABLE) (\w+)/.exec(ddl.out)![1]!;
    const got = await rows(`SELECT * FROM dg_${source} EMIT CHANGES;`, 20);
    expect(got.length).toBeGreaterThan(0);
    for (const row of got) expect(row.every((v) => v !== null)).toBe(true);
    expect(engine.processingLog).toEqual([]);
  });

  it('echoes each record as it lands on the topic: upper-case fields, key columns in the key only', async () => {
    await ksql(
      url,
      (await runSluiceAsync(['datagen', '--quickstart', 'orders', '--topic', 'echo_orders', '--print-ddl'])).out.replace('orders', 'echo_orders'),
    );
    const r = await runSluiceAsync([
      'datagen',
      '--quickstart',
      'orders',
      '--topic',
      'echo_orders',
      '--iterations',
      '3',
      '--rate',
      '0',
      '--seed',
      '9',
      '--server',
      url,
    ]);
    expect(r.code).toBe(0);
    const echoed = r.out.trim().split('\n');
    expect(echoed).toHaveLength(3);
    expect(echoed[0]).toMatch(
      /^1 --> \{"ORDERTIME":\d+,"ITEMID":"Item_\d+","ORDERUNITS":[\d.]+,"ADDRESS":\{"CITY":"[^"]+","STATE":"[A-Z]{2}","ZIPCODE":\d+\}\}$/,
    );
    const printed = await runSluiceAsync(['cli', url, '-e', 'PRINT echo_orders FROM BEGINNING LIMIT 3;']);
    const landed = [...printed.out.matchAll(/key: (\S+), value: (\{.*\}), partition: 0$/gm)].map((m) => `${m[1]} --> ${m[2]}`);
    expect(landed).toEqual(echoed);
  });

  it('transactions feed the possible-fraud example: some card passes HAVING count() > 3', async () => {
    await ksql(url, fs.readFileSync(path.join(ROOT, 'examples', 'possible-fraud', 'statements.sql'), 'utf8'));
    const r = await runSluiceAsync([
      'datagen',
      '--quickstart',
      'transactions',
      '--iterations',
      '150',
      '--rate',
      '0',
      '--seed',
      '3',
      '--server',
      url,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const fraud = await eventually('a row in possible_fraud', async () => {
      const res = await fetch(`${url}/query-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT * FROM possible_fraud;' }),
      });
      const lines = (await res.text()).trim().split('\n').slice(1);
      return lines.length > 0 ? lines : undefined;
    });
    expect(fraud[0]).toMatch(/^\["4\d{3}-\d{4}-\d{4}-\d{4}",\d+,\d+,\d+\]$/);
  });

  it('monitoring feeds the error-counts example, in DELIMITED too', async () => {
    await ksql(
      url,
      "CREATE STREAM mon_csv (host STRING KEY, type STRING, error_code INT, message STRING) WITH (kafka_topic='mon_csv', value_format='DELIMITED', partitions=1);",
    );
    await ksql(
      url,
      "CREATE TABLE csv_errors AS SELECT error_code, COUNT(*) AS n FROM mon_csv WINDOW TUMBLING (SIZE 1 MINUTE) WHERE type = 'ERROR' GROUP BY error_code;",
    );
    const r = await runSluiceAsync([
      'datagen',
      '--quickstart',
      'monitoring',
      '--topic',
      'mon_csv',
      '--format',
      'delimited',
      '--iterations',
      '40',
      '--rate',
      '0',
      '--seed',
      '5',
      '--server',
      url,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const counts = await eventually('a row in csv_errors', async () => {
      const res = await fetch(`${url}/query-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT * FROM csv_errors;' }),
      });
      const lines = (await res.text())
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l) as number[]);
      return lines.length > 0 ? lines : undefined;
    });
    for (const [code] of counts) expect([500, 502, 503, 504, 404]).toContain(code);
    const printed = await runSluiceAsync(['cli', url, '-e', 'PRINT mon_csv FROM BEGINNING LIMIT 1;']);
    expect(printed.out).toMatch(/^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, key: [\w-]+, value: (INFO|WARN|ERROR),\d+,[^,]+, partition: 0$/m);
  });

  it('explains what to do when the topic does not exist, or the format does not match', async () => {
    const missing = await runSluiceAsync(['datagen', '--quickstart', 'users', '--topic', 'nowhere', '--iterations', '1', '--server', url]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      `sluice datagen: topic 'nowhere' does not exist at ${url}. Create a stream or table on it first, e.g.:\n  CREATE TABLE users (user_id INT PRIMARY KEY,`,
    );
    const format = await runSluiceAsync([
      'datagen',
      '--quickstart',
      'monitoring',
      '--topic',
      'mon_csv',
      '--format',
      'avro',
      '--iterations',
      '1',
      '--server',
      url,
    ]);
    expect(format.code).toBe(1);
    expect(format.err).toContain("topic 'mon_csv' is read with VALUE_FORMAT 'DELIMITED', not 'AVRO'");
    const bad = await runSluiceAsync(['datagen', '--quickstart', 'weather']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown quickstart 'weather'");
  });

  it('--data-dir writes straight into a data directory, which a server then reads', async () => {
    const data = path.join(dir, 'data');
    const r = await runSluiceAsync([
      'datagen',
      '--quickstart',
      'clickstream',
      '--iterations',
      '10',
      '--rate',
      '0',
      '--seed',
      '9',
      '--data-dir',
      data,
      '--quiet',
    ]);
    expect(r.err).toBe("Wrote 10 records to topic 'clickstream'.\n");
    const e = await Engine.open({ dataDir: data });
    try {
      await e.execute("CREATE STREAM clickstream (userid INT, page STRING, action STRING) WITH (kafka_topic='clickstream', value_format='JSON');");
      const q = await e.startQuery('SELECT userid, page, action FROM clickstream EMIT CHANGES LIMIT 10;', { properties: { 'auto.offset.reset': 'earliest' } });
      const got: unknown[][] = [];
      for await (const row of q.rows) got.push([...row]);
      expect(got).toHaveLength(10);
      for (const [userid, page, action] of got) {
        expect(userid).toBeGreaterThanOrEqual(1);
        expect(String(page)).toMatch(/^\//);
        expect(['view', 'click', 'add_to_cart', 'purchase']).toContain(action);
      }
    } finally {
      await e.close();
    }
  });
});
