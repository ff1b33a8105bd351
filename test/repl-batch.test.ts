/**
 * `sluice cli` without a terminal: `-e`, `-f`, piped input, `--output json`,
 * local properties and variables, row limits and timeouts, exit codes, and
 * the one-line message for a server that is not there. Real server on an
 * ephemeral port; the real built command (dist/sluice.mjs).
 */
import fs from 'node:fs';
import net from 'node:net';
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
  dir = tempDir('sluice-repl-batch-');
  await ksql(url, "CREATE STREAM orders (id INT KEY, item STRING, units INT) WITH (kafka_topic='orders', partitions=1, value_format='json');");
  await ksql(url, "INSERT INTO orders (id, item, units) VALUES (1, 'apple', 3); INSERT INTO orders (id, item, units) VALUES (2, 'pear', 5);");
});

afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sluice cli -e / -f', () => {
  it('-e runs several statements, prints ksql-style tables, exits 0', async () => {
    const r = await runSluiceAsync(['cli', url, '-e', 'SHOW STREAMS; DESCRIBE orders;']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ Stream Name +\| Kafka Topic +\| Key Format \| Value Format \| Windowed\n-+\n/);
    expect(r.out).toMatch(/ ORDERS +\| orders +\| KAFKA +\| JSON +\| false/);
    expect(r.out).toMatch(/Name +: ORDERS\n Field +\| Type\n-+\n ID +\| INTEGER {2}\(key\)\n ITEM +\| VARCHAR\(STRING\)\n UNITS +\| INTEGER\n/);
  });

  it('-e with SET sends the property with later queries; a push query stops at --query-row-limit', async () => {
    const r = await runSluiceAsync([
      'cli',
      url,
      '--query-row-limit',
      '2',
      '-e',
      "SET 'auto.offset.reset'='earliest'; SELECT item, units FROM orders EMIT CHANGES;",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Successfully changed local property 'auto.offset.reset' to 'earliest'. Use the UNSET command to revert your change.");
    expect(r.out).toMatch(/\|ITEM +\|UNITS +\|\n\+-+\+-+\+\n\|apple +\|3 +\|\n\|pear +\|5 +\|\n\+-+\+-+\+\nLimit Reached\nQuery terminated\n/);
  });

  it('SET and UNSET of a secret-looking property echo [hidden], not the value', async () => {
    const r = await runSluiceAsync([
      'cli',
      url,
      '-e',
      "SET 'ksql.streams.ssl.keystore.password'='hunter2'; SET 'ksql.streams.ssl.keystore.password'='hunter3'; UNSET 'ksql.streams.ssl.keystore.password';",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "Successfully changed local property 'ksql.streams.ssl.keystore.password' to '[hidden]'. Use the UNSET command to revert your change.",
    );
    expect(r.out).toContain("Successfully changed local property 'ksql.streams.ssl.keystore.password' from '[hidden]' to '[hidden]'.");
    expect(r.out).toContain("Successfully unset local property 'ksql.streams.ssl.keystore.password' (value was '[hidden]').");
    expect(r.out).not.toMatch(/hunter/);
  });

  it('--query-timeout ends a push query that has nothing more to say', async () => {
    // Without the timeout the push query would never end and the test would time out.
    const r = await runSluiceAsync(['cli', url, '--query-timeout', '500', '-e', 'SELECT * FROM orders EMIT CHANGES;']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Query terminated');
  });

  it('-f runs a script with DEFINE, UNSET and a pull query; --output json prints JSON', async () => {
    const file = path.join(dir, 'script.sql');
    fs.writeFileSync(
      file,
      [
        '-- a script',
        "DEFINE tbl = 'ORDERS';",
        "SET 'auto.offset.reset' = 'earliest';",
        "SET 'auto.offset.reset' = 'latest';",
        "UNSET 'auto.offset.reset';",
        'CREATE TABLE units_per_item AS',
        '  SELECT item, SUM(units) AS total FROM ${tbl} GROUP BY item;',
        'SHOW VARIABLES;',
      ].join('\n'),
    );
    const r = await runSluiceAsync(['cli', url, '-f', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain("Successfully changed local property 'auto.offset.reset' from 'earliest' to 'latest'.");
    expect(r.out).toContain("Successfully unset local property 'auto.offset.reset' (value was 'latest').");
    expect(r.out).toMatch(/Created query with ID CTAS_UNITS_PER_ITEM_\d+/);
    expect(r.out).toMatch(/ tbl +\| ORDERS/);

    const j = await runSluiceAsync(['cli', url, '--output', 'json', '-e', 'SHOW TABLES;']);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.out) as { '@type': string; tables: { name: string }[] };
    expect(parsed['@type']).toBe('tables');
    expect(parsed.tables.map((t) => t.name)).toContain('UNITS_PER_ITEM');
  });

  it("a syntax error prints ksqlDB's lines, then the caret snippet, and exits 1", async () => {
    const r = await runSluiceAsync(['cli', url, '-e', 'SELEC * FROM orders EMIT CHANGES;']);
    expect(r.code).toBe(1);
    expect(r.err).toBe("line 1:1: Syntax Error\nUnknown statement 'SELEC'\nDid you mean 'SELECT'?\nSELEC * FROM orders EMIT CHANGES;\n^\n");
  });

  it('a failing statement prints the server message with line:column and caret, stops, and exits 1', async () => {
    const r = await runSluiceAsync(['cli', url, '-e', 'SELECT nope FROM orders EMIT CHANGES; SHOW STREAMS;']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^line 1:8: .*NOPE.*\nSELECT nope FROM orders EMIT CHANGES\n {7}\^\n$/);
    expect(r.out).not.toContain('Stream Name');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('piped input without -e/-f runs like a script and reports failure in the exit code', async () => {
    const ok = await runSluiceAsync(['cli', url], { input: 'SHOW STREAMS;\nversion\n' });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('ORDERS');
    expect(ok.out).toContain('Version: 0.1.0');
    const bad = await runSluiceAsync(['cli', url], { input: 'DROP STREAM no_such_stream;\n' });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('NO_SUCH_STREAM does not exist');
  });

  it('CLI commands: spool FILE|OFF, server URL, output json, run script, help', async () => {
    const spool = path.join(dir, 'spool.txt');
    const script = path.join(dir, 'run.sql');
    fs.writeFileSync(script, 'SHOW TOPICS;\n');
    const input = [
      `spool '${spool}'`,
      'SHOW STREAMS;',
      'spool OFF',
      `server ${url}`,
      'server',
      `run script '${script}'`,
      'output json',
      'output',
      'SHOW TABLES;',
      'help',
    ].join('\n');
    const r = await runSluiceAsync(['cli', url], { input });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Session will be spooled to ${spool}`);
    const spooled = fs.readFileSync(spool, 'utf8');
    expect(spooled).toMatch(/ Stream Name[\s\S]* ORDERS /);
    expect(spooled).not.toContain('Server now');
    expect(r.out).toContain(`Server now: ${url} (Sluice 0.1.0, status RUNNING)`);
    expect(r.out).toContain(`Server: ${url}`);
    expect(r.out).toMatch(/ Kafka Topic +\| Partitions \| Partition Replicas\n-+\n[\s\S]* orders +\| 1 +\| 1\n/);
    expect(r.out).toContain('Output format set to JSON');
    expect(r.out).toContain('Output format: JSON');
    expect(r.out).toMatch(/"@type": "tables"/);
    expect(r.out).toContain("run script 'FILE'    execute the statements of a file");
  });

  it('an unreachable server is one line naming the URL and what to do, exit 1', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = net.createServer();
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port)));
    await new Promise((r) => probe.close(r));
    const r = await runSluiceAsync(['cli', `http://127.0.0.1:${port}`, '-e', 'SHOW STREAMS;']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `Could not connect to the server at http://127.0.0.1:${port} (connection refused). Is the server running? Start one with 'sluice server', or run 'sluice' alone for an embedded one.\n`,
    );
  });

  it('rejects bad options with usage and exit 2', async () => {
    const r = await runSluiceAsync(['cli', url, '--output', 'xml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--output must be json or tabular, got 'xml'");
  });
});
