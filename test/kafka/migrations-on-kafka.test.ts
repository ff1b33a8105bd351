// `sluice migrations` against a Kafka-mode server: the metadata stream and table live on
// Kafka topics, the table is a persistent query that lags the stream it reads, and a
// project is applied, extended, validated and re-applied through it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SluiceClient } from '../../cli/repl/client.js';
import { runSluiceAsync } from '../repl-helpers.js';
import { eventually } from '../helpers/eventually.js';
import { describeKafka } from './broker.js';
import { startSluice, stopAll, uniqueService } from './servers.js';

afterEach(stopAll);

describeKafka('sluice migrations on Kafka', () => {
  it('initializes the metadata on Kafka topics, applies, extends, validates and re-applies a project', async () => {
    const service = uniqueService();
    const server = await startSluice(service);
    const client = new SluiceClient(server.url);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-migrations-kafka-'));
    try {
      const config = path.join(dir, 'ksql-migrations.properties');
      const run = (...args: string[]) => runSluiceAsync(['migrations', '-c', config, ...args], { cwd: dir, timeoutMs: 60_000 });
      fs.writeFileSync(config, `ksql.server.url=${server.url}\n`);
      fs.mkdirSync(path.join(dir, 'migrations'));
      const init = await run('initialize-metadata');
      expect(init.err).toBe('');
      expect(init.code).toBe(0);
      const [d] = await client.ksql('DESCRIBE MIGRATION_EVENTS;', { properties: {}, variables: {} });
      expect((d!['sourceDescription'] as { topic: string }).topic).toBe(`${service}ksql_MIGRATION_EVENTS`);

      const topic = `${service}orders`;
      fs.writeFileSync(
        path.join(dir, 'migrations', 'V000001__orders.sql'),
        `CREATE STREAM orders (id INT KEY, total DOUBLE) WITH (kafka_topic='${topic}', partitions=1, value_format='JSON');\n`,
      );
      fs.writeFileSync(path.join(dir, 'migrations', 'V000002__big.sql'), 'CREATE STREAM big_orders AS SELECT * FROM orders WHERE total > 100;\n');
      const apply = await run('apply', '--all');
      expect(apply.err).toBe('');
      expect(apply.code).toBe(0);
      expect(apply.out.match(/Successfully migrated\n/g)).toHaveLength(2);

      fs.writeFileSync(path.join(dir, 'migrations', 'V000003__count.sql'), 'CREATE TABLE order_counts AS SELECT id, COUNT(*) AS n FROM orders GROUP BY id;\n');
      const next = await run('apply', '--next');
      expect(next.err).toBe('');
      expect(next.code).toBe(0);
      const info = await eventually('version 3 current and migrated', async () => {
        const r = await run('info');
        return /^Current migration version: 3\n/.test(r.out) && /\n 3 +\| count +\| MIGRATED \| 2 /.test(r.out) && r;
      });
      expect(info.out).toMatch(/\n 1 +\| orders +\| MIGRATED \| <none> /);
      const valid = await run('validate');
      expect(valid.code).toBe(0);
      expect(valid.out).toContain('Successfully validated checksums for migrations that have already been applied\n');
      const again = await run('apply', '--all');
      expect(again.code).toBe(0);
      expect(again.out).toContain('Loading migration files\nNo eligible migrations found.\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
