/**
 * `sluice cli --define NAME=VALUE` and `--config-file FILE`, as ksqlDB's CLI:
 * variables and session properties in place before the first statement.
 * Real server on an ephemeral port; the real built command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { runSluiceAsync, tempDir } from './repl-helpers.js';
import { ksql, startTestServer } from './server-helpers.js';

let server: RunningServer;
let url: string;
let dir: string;

beforeAll(async () => {
  ({ server, url } = await startTestServer());
  dir = tempDir('sluice-cli-define-');
  await ksql(url, "CREATE STREAM orders (id INT KEY, item STRING) WITH (kafka_topic='orders', partitions=1, value_format='json');");
});

afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sluice cli --define / --config-file', () => {
  it('substitutes --define variables and sends --config-file properties with every statement', async () => {
    const file = path.join(dir, 'cli.properties');
    fs.writeFileSync(file, '# session settings\nksql.output.topic.name.prefix=pre_\n');
    const r = await runSluiceAsync([
      'cli',
      url,
      '--define',
      'sink=copied',
      '--define',
      'src=orders',
      '--config-file',
      file,
      '-e',
      'CREATE STREAM ${sink} AS SELECT * FROM ${src};',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [described] = await ksql(url, 'DESCRIBE copied;');
    expect(described.sourceDescription).toMatchObject({ name: 'COPIED', topic: 'pre_COPIED' });
  });

  it('refuses a --define that is not NAME=VALUE, exit code 2', async () => {
    const r = await runSluiceAsync(['cli', url, '--define', 'no-equals', '-e', 'SHOW STREAMS;']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--define must be NAME=VALUE with NAME a variable name, got 'no-equals'");
  });
});
