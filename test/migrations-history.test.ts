/**
 * A history written by the real ksql-migrations reads back: metadata rows in
 * its exact shape (two rows per change, keyed CURRENT and the version, epoch
 * millis, `<none>`, "N/A", "" while running), written over `/inserts-stream`
 * as its Java client does, then `sluice migrations` validates, shows and
 * extends it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SluiceClient } from '../cli/repl/client.js';
import { describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { runSluiceAsync } from './repl-helpers.js';

const md5 = (file: string) => createHash('md5').update(fs.readFileSync(file)).digest('hex');

describeIf(BUNDLE_BUILT, 'the built dist/ (npm run build)')('sluice migrations on a history written by ksql-migrations', () => {
  let server: ServerProcess;
  let client: SluiceClient;
  let dir: string;
  let config: string;
  const file = (name: string) => path.join(dir, 'migrations', name);
  const run = (...args: string[]) => runSluiceAsync(['migrations', '-c', config, ...args], { cwd: dir, timeoutMs: 60_000 });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-migrations-history-'));
    server = await startServerProcess();
    client = new SluiceClient(server.url);
    config = path.join(dir, 'ksql-migrations.properties');
    fs.writeFileSync(config, `ksql.server.url=${server.url}\n`);
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(
      file('V000001__Create_orders.sql'),
      "CREATE STREAM orders (id INT KEY, total DOUBLE) WITH (kafka_topic='orders', partitions=1, value_format='JSON');\n",
    );
    fs.writeFileSync(file('V000002__Big_orders.sql'), 'CREATE STREAM big_orders AS SELECT * FROM orders WHERE total > 100;\n');
    fs.writeFileSync(file('V000003__Count_orders.sql'), 'CREATE TABLE order_counts AS SELECT id, COUNT(*) AS n FROM orders GROUP BY id;\n');
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('validate and info read the recorded versions; apply continues after them', async () => {
    expect((await run('initialize-metadata')).code).toBe(0);
    // What ksql-migrations would have done for versions 1 and 2: their statements, then its rows.
    await client.ksql(fs.readFileSync(file('V000001__Create_orders.sql'), 'utf8'), { properties: {}, variables: {} });
    await client.ksql(fs.readFileSync(file('V000002__Big_orders.sql'), 'utf8'), { properties: {}, variables: {} });
    const event = (version: string, name: string, state: string, started: string, completed: string, previous: string) => {
      const values = {
        VERSION: version,
        NAME: name,
        STATE: state,
        CHECKSUM: md5(file(`V00000${version}__${name.replace(/ /g, '_')}.sql`)),
        STARTED_ON: started,
        COMPLETED_ON: completed,
        PREVIOUS: previous,
        ERROR_REASON: 'N/A',
      };
      return [
        { VERSION_KEY: 'CURRENT', ...values },
        { VERSION_KEY: version, ...values },
      ];
    };
    await client.insert('MIGRATION_EVENTS', [
      ...event('1', 'Create orders', 'RUNNING', '1700000000000', '', '<none>'),
      ...event('1', 'Create orders', 'MIGRATED', '1700000000000', '1700000000500', '<none>'),
      ...event('2', 'Big orders', 'RUNNING', '1700000001000', '', '1'),
      ...event('2', 'Big orders', 'MIGRATED', '1700000001000', '1700000001200', '1'),
    ]);
    const info = await eventually('version 2 current', async () => {
      const r = await run('info');
      return r.out.startsWith('Current migration version: 2\n') && r;
    });
    const lines = info.out.split('\n');
    expect(lines[3]).toMatch(/^ 1 +\| Create orders +\| MIGRATED \| <none> +\| 2023-11-14 22:13:20\.000 UTC \| 2023-11-14 22:13:20\.500 UTC \| N\/A +$/);
    expect(lines[4]).toMatch(/^ 2 +\| Big orders +\| MIGRATED \| 1 +\| 2023-11-14 22:13:21\.000 UTC \| 2023-11-14 22:13:21\.200 UTC \| N\/A +$/);
    expect(lines[5]).toMatch(/^ 3 +\| Count orders +\| PENDING +\| N\/A +\| N\/A +\| N\/A +\| N\/A +$/);

    const valid = await run('validate');
    expect(valid.code).toBe(0);
    expect(valid.out).toContain('Successfully validated checksums for migrations that have already been applied\n');

    const apply = await run('apply', '--all');
    expect(apply.err).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.out).toContain('1 migration file(s) loaded.\nApplying migration version 3: Count orders\n');
    const v3 = await eventually('version 3 migrated', async () => {
      const rows = (await client.pullQuery("SELECT state, previous FROM MIGRATION_SCHEMA_VERSIONS WHERE version_key = '3';")).rows;
      return rows[0]?.[0] === 'MIGRATED' && rows[0];
    });
    expect(v3).toEqual(['MIGRATED', '2']);
  });
});
