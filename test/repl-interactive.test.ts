/**
 * The REPL through a real pseudo-terminal (util-linux `script`), against a
 * real server on an ephemeral port: multi-line statements, the status
 * table, a push query receiving rows another client inserts, Ctrl-C, history
 * across sessions, tab completion, Ctrl-D. Needs `npm run build` (dist/sluice.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { describeIf } from './helpers/describe-if.js';
import { HAVE_SCRIPT, PtySession, SCRIPT, tempDir } from './repl-helpers.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

let server: RunningServer;
let url: string;
let home: string;
const sessions: PtySession[] = [];

function open(args: string[] = ['cli', url]): PtySession {
  const s = new PtySession(args, { home });
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  ({ server, url } = await startTestServer());
  home = tempDir('sluice-repl-home-');
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await server?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describeIf(HAVE_SCRIPT, SCRIPT)('the sluice REPL on a terminal', () => {
  it('shows the banner, runs a multi-line CREATE, and prints the status table', async () => {
    const s = open();
    const banner = await s.expect('sluice> ');
    expect(banner).toContain(`CLI v0.1.0, Server v0.1.0 located at ${url}`);
    expect(banner).toContain('Server Status: RUNNING');
    s.type('CREATE STREAM pageviews (id INT KEY, page STRING)\r');
    await s.expect('     > ');
    s.type("  WITH (kafka_topic='pageviews', partitions=1,\r");
    await s.expect('     > ');
    s.type("        value_format='json');\r");
    const out = await s.expect('sluice> ');
    expect(out).toMatch(/ Message\s*\n-+\n Stream created\s*\n-+\n/);
    // Two statements on one line, each answered in turn.
    s.type('SHOW STREAMS; SHOW TOPICS;\r');
    const listed = await s.expect('sluice> ');
    expect(listed).toMatch(/ Stream Name +\| Kafka Topic +\| Key Format \| Value Format \| Windowed/);
    expect(listed).toMatch(/ PAGEVIEWS +\| pageviews +\| KAFKA +\| JSON +\| false/);
    expect(listed).toMatch(/ Kafka Topic +\| Partitions \| Partition Replicas/);
    s.type('exit\r');
    expect(await s.exited).toBe(0);
  });

  it('prints push query rows as another client inserts them; Ctrl-C stops the query and the prompt returns', async () => {
    await ksql(url, "CREATE STREAM clicks (userid INT, page STRING) WITH (kafka_topic='clicks', partitions=1, value_format='json');");
    const s = open();
    await s.expect('sluice> ');
    s.type('SELECT userid, page FROM clicks EMIT CHANGES;\r');
    await s.expect(/\|USERID\s+\|PAGE\s+\|\n\+-+\+-+\+\n/);
    // The query is registered only once its header is out; insert after that.
    for (const [userid, page] of [
      [7, '/home'],
      [8, '/cart'],
    ] as const) {
      const r = await postJson(`${url}/inserts-stream`, `{"target":"CLICKS"}\n{"USERID":${userid},"PAGE":"${page}"}\n`);
      expect(r.status).toBe(200);
    }
    await s.expect(/\|7 +\|\/home +\|/);
    await s.expect(/\|8 +\|\/cart +\|/);
    s.type('\x03');
    await s.expect('Query terminated');
    await s.expect('sluice> ');
    // The REPL is still alive and the query is gone from the server.
    s.type('SHOW STREAMS;\r');
    await s.expect('CLICKS');
    await s.expect('sluice> ');
    s.type('\x04');
    expect(await s.exited).toBe(0);
  });

  it('recalls history with the up arrow, across sessions (~/.sluice_history), and lists it with `history`', async () => {
    const s = open();
    await s.expect('sluice> ');
    s.type('SHOW\r');
    await s.expect('     > ');
    s.type('TABLES;\r');
    await s.expect(/Table Name[\s\S]*sluice> /);
    s.type('exit\r');
    await s.exited;
    const file = path.join(home, '.sluice_history');
    expect(fs.readFileSync(file, 'utf8')).toContain('SHOW TABLES;');

    const t = open();
    await t.expect('sluice> ');
    // Up recalls `exit`, then the two-line statement as one entry.
    t.type('\x1b[A');
    await t.expect('exit');
    t.type('\x1b[A');
    await t.expect('SHOW TABLES;');
    t.type('\r');
    await t.expect(/Table Name[\s\S]*sluice> /);
    t.type('history\r');
    const h = await t.expect(/history\n[\s\S]*sluice> /);
    expect(h).toMatch(/\d+ +SHOW TABLES;/);
    t.type('exit\r');
    await t.exited;
  });

  it('completes keywords, stream names and column names with Tab', async () => {
    await ksql(
      url,
      "CREATE STREAM monitoring_stream (host STRING KEY, type STRING, error_code INT) WITH (kafka_topic='monitoring', partitions=1, value_format='json');",
    );
    const s = open();
    await s.expect('sluice> ');
    s.type('DESCRIBE MONITORING_S');
    // Names load in the background: press Tab until the completion shows (each try waits for output, no fixed sleep).
    for (let attempt = 1; ; attempt++) {
      s.type('\t');
      try {
        await s.expect('DESCRIBE MONITORING_STREAM', 1000);
        break;
      } catch (e) {
        if (attempt >= 30) throw e;
      }
    }
    s.type(';\r');
    await s.expect(/ ERROR_CODE +\| INTEGER/);
    // Lower-case input completes in lower case, to the longest common prefix (STREAM, STREAMS).
    s.type('show stre\t');
    await s.expect('show stream');
    s.type('s;\r');
    await s.expect(/MONITORING_STREAM[\s\S]*sluice> /);
    s.type('SELECT ERROR_C\t');
    await s.expect('SELECT ERROR_CODE');
    s.type('\x03');
    await s.expect('sluice> ');
    s.type('exit\r');
    await s.exited;
  });

  it('shows SQL errors with line:column and a caret, never a stack trace, and keeps going', async () => {
    const s = open();
    await s.expect('sluice> ');
    s.type('SELECT nope FROM clicks EMIT CHANGES;\r');
    const out = await s.expect('sluice> ');
    expect(out).toMatch(/line 1:8: .*NOPE/);
    expect(out).toMatch(/\n {7}\^/);
    expect(out).not.toMatch(/\bat .*\.(m?js|ts):\d+/);
    s.type('exit\r');
    expect(await s.exited).toBe(0);
  });
});
