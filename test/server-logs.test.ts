import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { startServer } from '../src/server/index.js';
import { serverLog } from '../src/server/observability/log-events.js';
import { createLogger, formatHuman } from '../src/server/observability/logger.js';
import { describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, jsonLogLines, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { HAVE_SCRIPT, PtySession, SCRIPT, tempDir } from './repl-helpers.js';
import { ksql, postJson } from './server-helpers.js';

describeIf(BUNDLE_BUILT, 'dist/sluice.mjs is built')('the server log of a real server process', () => {
  let s: ServerProcess;
  beforeAll(async () => {
    s = await startServerProcess();
  }, 90_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('logs start-up with version, listeners, data directory and mode', async () => {
    const started = await eventually('the start-up line', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'server started'));
    expect(started).toMatchObject({ level: 30, version: '0.1.0', listeners: [s.url], dataDir: s.dataDir, mode: 'embedded', persistentQueries: 0 });
    expect(typeof started!.time).toBe('number');
  });

  it('logs each statement with its request id, which the response carries as X-Request-Id', async () => {
    const r = await postJson(`${s.url}/ksql`, {
      ksql: "CREATE STREAM LOGGED (ID INT KEY, A INT) WITH (kafka_topic='logged', partitions=1, value_format='json');",
    });
    expect(r.status).toBe(200);
    const reqId = r.headers.get('x-request-id')!;
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await eventually('the statement logged', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'statement executed' && l.reqId === reqId));
    expect(line).toMatchObject({
      level: 30,
      statement: 'CreateSource',
      sql: "CREATE STREAM LOGGED (ID INT KEY, A INT) WITH (kafka_topic='logged', partitions=1, value_format='json')",
      replayed: false,
    });
    expect(typeof line.durationMs).toBe('number');
  });

  it('keeps a request id the client sends', async () => {
    const r = await postJson(`${s.url}/ksql`, { ksql: 'SHOW STREAMS;' }, { 'x-request-id': 'client-trace-42' });
    expect(r.headers.get('x-request-id')).toBe('client-trace-42');
    const line = await eventually('the statement logged', () => jsonLogLines(s.stdout()).find((l) => l.reqId === 'client-trace-42'));
    expect(line).toMatchObject({ msg: 'statement executed', statement: 'Show', sql: 'SHOW STREAMS' });
  });

  it('logs a refused statement with its error code and message, secrets hidden', async () => {
    const r = await postJson(`${s.url}/ksql`, {
      ksql: "CREATE STREAM NOPE (ID INT KEY) WITH (kafka_topic='no_such_topic', value_format='json', 'sasl.jaas.config'='org.Login required password=\"p4ss\"');",
    });
    expect(r.status).toBe(400);
    const reqId = r.headers.get('x-request-id')!;
    const line = await eventually('the failure logged', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'statement failed' && l.reqId === reqId));
    expect(line).toMatchObject({ level: 30, statement: 'CreateSource', errorCode: r.body.error_code });
    expect(line.sql).toBe("CREATE STREAM NOPE (ID INT KEY) WITH (kafka_topic='no_such_topic', value_format='json', 'sasl.jaas.config'='[hidden]')");
    expect(line.error).toBe('Invalid config variable(s) in the WITH clause: SASL.JAAS.CONFIG');
    expect(r.body.message).toContain(line.error);
    expect(s.stdout()).not.toContain('p4ss');
  });

  it('logs a persistent query starting and being terminated', async () => {
    await ksql(
      s.url,
      "CREATE STREAM QSRC (ID INT KEY, A INT) WITH (kafka_topic='qsrc', partitions=1, value_format='json'); CREATE STREAM QOUT AS SELECT * FROM QSRC;",
    );
    const started = await eventually('the query start logged', () =>
      jsonLogLines(s.stdout()).find((l) => l.msg === 'query started' && String(l.queryId).includes('QOUT')),
    );
    expect(started).toMatchObject({ level: 30, type: 'persistent', sql: 'CREATE STREAM QOUT AS SELECT * FROM QSRC' });
    await ksql(s.url, `TERMINATE ${String(started.queryId)};`);
    const stopped = await eventually('the stop logged', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'query stopped' && l.queryId === started.queryId));
    expect(stopped).toMatchObject({ level: 30, type: 'persistent', reason: 'terminated' });
  });

  it('logs processing errors per query as a count, not per record', async () => {
    await ksql(
      s.url,
      "CREATE STREAM PIN (ID INT KEY, A INT) WITH (kafka_topic='pin', partitions=1, value_format='json'); CREATE STREAM POUT AS SELECT * FROM PIN; CREATE STREAM PRAW (ID INT KEY, A STRING) WITH (kafka_topic='pin', value_format='delimited');",
    );
    await ksql(s.url, "INSERT INTO PRAW (ID, A) VALUES (1, 'bad'); INSERT INTO PRAW (ID, A) VALUES (2, 'worse');");
    const lines = await eventually('the errors logged', () => {
      const found = jsonLogLines(s.stdout()).filter((l) => l.msg === 'processing errors' && String(l.queryId).includes('POUT'));
      return found.reduce((n, l) => n + (l.count as number), 0) === 2 && found;
    });
    expect(lines.every((l) => l.level === 40)).toBe(true);
    expect(lines.at(-1)!.total).toBe(2);
    expect(lines.length).toBeLessThanOrEqual(2);
  });
});

describeIf(BUNDLE_BUILT, 'dist/sluice.mjs is built')('internal errors in the server log', () => {
  it('logs a statement that failed inside the server at error level, with its stack', async () => {
    const s = await startServerProcess();
    try {
      // Make the embedded log unable to create topics: its topics directory becomes a file.
      const topics = path.join(s.dataDir, 'log', 'topics');
      fs.renameSync(topics, `${topics}.moved`);
      fs.writeFileSync(topics, 'not a directory');
      const r = await postJson(`${s.url}/ksql`, {
        ksql: "CREATE STREAM BROKEN (ID INT KEY, A INT) WITH (kafka_topic='broken', partitions=1, value_format='json');",
      });
      expect(r.status).toBe(500);
      expect(r.body.error_code).toBe(50000);
      expect(r.body.message).toMatch(/^Could not create topic 'broken' in \S+: ENOTDIR: not a directory/);
      const reqId = r.headers.get('x-request-id')!;
      const line = await eventually('the failure logged', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'statement failed' && l.reqId === reqId));
      expect(line).toMatchObject({ level: 50, statement: 'CreateSource', errorCode: 50000 });
      expect(String(line.error)).toMatch(/^Could not create topic 'broken' in \S+: ENOTDIR: not a directory/);
      expect(String(line.stack)).toMatch(/^ExecutionError: Could not create topic 'broken'[^\n]*\n\s+at /);
      // The route's error mapping logs through the request's logger: the same reqId, and nothing on stderr.
      const mapped = await eventually('the error response logged', () => jsonLogLines(s.stdout()).find((l) => l.msg === 'server error' && l.reqId === reqId));
      expect(mapped).toMatchObject({ level: 50, errorCode: 50000, error: expect.stringMatching(/^Could not create topic 'broken' in \S+: ENOTDIR/) });
      expect(s.stderr()).not.toContain('ENOTDIR');
    } finally {
      await s.stop();
    }
  });
});

describe('slow requests', () => {
  /** An in-process server whose statements each take 200 ms more, logging into `lines`. */
  async function slowServer(slowRequestMs: number, lines: string[]) {
    const log = serverLog(createLogger({ level: 'info', human: false, out: { write: (t: string) => lines.push(t) } }));
    const engine = new Engine({ log: new MemoryLog(), autoPump: true, events: log.events });
    const slow = Object.create(engine) as Engine;
    slow.executePrepared = async (...args: Parameters<Engine['executePrepared']>) => {
      // Not a sync point: the slowness is the behaviour under test.
      await new Promise((r) => setTimeout(r, 200));
      return engine.executePrepared(...args);
    };
    return startServer({ engine: slow, port: 0, log, slowRequestMs });
  }

  it('warns about a request slower than sluice.server.slow.request.ms, with its route, status and request id', async () => {
    const lines: string[] = [];
    const server = await slowServer(50, lines);
    try {
      const r = await postJson(`${server.url}/ksql`, { ksql: 'SHOW STREAMS;' });
      expect(r.status).toBe(200);
      const reqId = r.headers.get('x-request-id')!;
      const line = await eventually('the warning', () => jsonLogLines(lines.join('')).find((l) => l.msg === 'slow request'));
      expect(line).toMatchObject({ level: 40, reqId, method: 'POST', url: '/ksql', route: '/ksql', status: 200 });
      expect(typeof line.durationMs).toBe('number');
    } finally {
      await server.close();
    }
  });

  it('logs no warning when the threshold is 0 (off)', async () => {
    const lines: string[] = [];
    const server = await slowServer(0, lines);
    try {
      const r = await postJson(`${server.url}/ksql`, { ksql: 'SHOW STREAMS;' });
      expect(r.status).toBe(200);
      // The statement line is written before the response; the request's own line (if any) when it ends.
      await eventually('the statement logged', () => jsonLogLines(lines.join('')).some((l) => l.msg === 'statement executed'));
      expect(jsonLogLines(lines.join('')).filter((l) => l.msg === 'slow request')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('--log-level', () => {
  const bin = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'bin', 'sluice.js');

  it('refuses an unknown level, naming the ones it takes', () => {
    const r = spawnSync(process.execPath, [bin, 'server', '--log-level', 'loud', '--port', '0', '--no-schema-registry'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("sluice server: --log-level must be one of trace, debug, info, warn, error, fatal, silent, got 'loud'\n");
  });

  describeIf(BUNDLE_BUILT, 'dist/sluice.mjs is built')('on a real server', () => {
    it('warn: writes no info lines (no start-up line, no statements)', async () => {
      const s = await startServerProcess({}, { args: ['--log-level', 'warn'] });
      try {
        await ksql(s.url, 'SHOW STREAMS;');
        // The request's own debug/info lines would have been written before its response ended.
        expect(s.stdout()).toContain('Sluice server listening on');
        expect(jsonLogLines(s.stdout())).toEqual([]);
      } finally {
        await s.stop();
      }
    });
  });
});

describe('the human log format (a terminal)', () => {
  it('writes one line per entry: time, level, message, then key=value fields', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', human: true, out: { write: (t: string) => lines.push(t) } });
    log.info({ queryId: 'CSAS_T_0', sql: 'SELECT * FROM S', durationMs: 1.5 }, 'query started');
    log.debug('not written at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}query started queryId=CSAS_T_0 sql="SELECT \* FROM S" durationMs=1\.5\n$/);
  });

  it('puts an error’s stack on the lines after', () => {
    const line = formatHuman(JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f (a.js:1:1)' } }));
    expect(line).toBe('00:00:00.000 ERROR boom\nError: x\n    at f (a.js:1:1)\n');
  });
});

describeIf(HAVE_SCRIPT && BUNDLE_BUILT, `${SCRIPT}, and dist/sluice.mjs built`)('the server log on a terminal', () => {
  it('is one readable line per entry, not JSON, from start-up to shutdown', async () => {
    const dir = tempDir('sluice-log-tty-');
    const s = new PtySession(['server', '--port', '0', '--no-schema-registry', '--data-dir', path.join(dir, 'data')], { home: dir });
    try {
      const started = await s.expect(/INFO {2}server started [^\n]*\n/, 60_000);
      expect(started).toMatch(
        /\n\d\d:\d\d:\d\d\.\d{3} INFO {2}server started version=0\.1\.0 listeners=\["http:\/\/127\.0\.0\.1:\d+"\] dataDir=\S+ mode=embedded persistentQueries=0\n$/,
      );
      s.type('\x03');
      const stopped = await s.expect(/INFO {2}server stopping signal=SIGINT\n/);
      expect(stopped).toContain('Received SIGINT, shutting down');
      expect(await s.exited).toBe(0);
      expect(s.screen).not.toContain('{"level"');
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
