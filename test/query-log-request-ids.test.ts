import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { startServer } from '../src/server/index.js';
import { serverLog } from '../src/server/observability/log-events.js';
import { createLogger } from '../src/server/observability/logger.js';
import { eventually } from './helpers/eventually.js';
import { jsonLogLines } from './helpers/server-process.js';
import { postJson } from './server-helpers.js';

/** A durable in-process server on `dataDir` whose JSON log lines land in `lines`. */
async function loggedServer(dataDir: string, lines: string[]) {
  const log = serverLog(createLogger({ level: 'debug', human: false, out: { write: (t: string) => lines.push(t) } }));
  const engine = await Engine.open({ dataDir, events: log.events });
  return startServer({ engine, port: 0, log });
}

async function ksqlAs(url: string, reqId: string, sql: string) {
  const r = await postJson(`${url}/ksql`, { ksql: sql }, { 'x-request-id': reqId });
  expect(r.status).toBe(200);
  return r;
}

describe("a query's later log lines carry the request that created it", () => {
  it('a persistent query: its processing errors and its stop carry the creating request id and the query id, not the TERMINATE request id', async () => {
    const lines: string[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-reqid-'));
    const server = await loggedServer(path.join(dir, 'data'), lines);
    try {
      await ksqlAs(
        server.url,
        'setup-1',
        "CREATE STREAM RIN (ID INT KEY, A INT) WITH (kafka_topic='rin', partitions=1, value_format='json'); CREATE STREAM RRAW (ID INT KEY, A STRING) WITH (kafka_topic='rin', value_format='delimited');",
      );
      await ksqlAs(server.url, 'create-query-2', 'CREATE STREAM ROUT AS SELECT * FROM RIN;');
      const started = await eventually('the start logged', () =>
        jsonLogLines(lines.join('')).find((l) => l.msg === 'query started' && String(l.queryId).includes('ROUT')),
      );
      expect(started.reqId).toBe('create-query-2');
      const queryId = String(started.queryId);

      await ksqlAs(server.url, 'insert-3', "INSERT INTO RRAW (ID, A) VALUES (1, 'not a number');");
      const errors = await eventually('the processing errors logged', () =>
        jsonLogLines(lines.join('')).find((l) => l.msg === 'processing errors' && l.queryId === queryId),
      );
      expect(errors).toMatchObject({ level: 40, queryId, reqId: 'create-query-2', count: 1 });

      await ksqlAs(server.url, 'terminate-4', `TERMINATE ${queryId};`);
      const stopped = await eventually('the stop logged', () => jsonLogLines(lines.join('')).find((l) => l.msg === 'query stopped' && l.queryId === queryId));
      expect(stopped).toMatchObject({ level: 30, queryId, reqId: 'create-query-2', type: 'persistent', reason: 'terminated' });
    } finally {
      await server.close();
    }
  });

  it('a push query: its stop, when the client goes, carries the request that started it', async () => {
    const lines: string[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-reqid-'));
    const server = await loggedServer(path.join(dir, 'data'), lines);
    try {
      await ksqlAs(server.url, 'setup-1', "CREATE STREAM PIN (ID INT KEY, A INT) WITH (kafka_topic='pin', partitions=1, value_format='json');");
      const ac = new AbortController();
      const res = await fetch(`${server.url}/query-stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'push-2' },
        body: JSON.stringify({ sql: 'SELECT * FROM PIN EMIT CHANGES;' }),
        signal: ac.signal,
      });
      expect(res.status).toBe(200);
      const started = await eventually('the start logged', () => jsonLogLines(lines.join('')).find((l) => l.msg === 'query started' && l.type === 'push'));
      expect(started.reqId).toBe('push-2');
      ac.abort();
      const stopped = await eventually('the stop logged', () =>
        jsonLogLines(lines.join('')).find((l) => l.msg === 'query stopped' && l.queryId === started.queryId),
      );
      expect(stopped).toMatchObject({ queryId: started.queryId, reqId: 'push-2', type: 'push', reason: 'closed' });
    } finally {
      await server.close();
    }
  });

  it('after a restart, a replayed query has no request id: its stop is logged with the query id alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-reqid-'));
    const dataDir = path.join(dir, 'data');
    const before: string[] = [];
    const first = await loggedServer(dataDir, before);
    await ksqlAs(
      first.url,
      'create-1',
      "CREATE STREAM SIN (ID INT KEY, A INT) WITH (kafka_topic='sin', partitions=1, value_format='json'); CREATE STREAM SOUT AS SELECT * FROM SIN;",
    );
    await first.close();
    const queryId = String(jsonLogLines(before.join('')).find((l) => l.msg === 'query started' && String(l.queryId).includes('SOUT'))!.queryId);

    const after: string[] = [];
    const second = await loggedServer(dataDir, after);
    try {
      const replayed = jsonLogLines(after.join('')).find((l) => l.msg === 'query started' && l.queryId === queryId);
      expect(replayed).toBeDefined();
      expect(replayed).not.toHaveProperty('reqId');
      await ksqlAs(second.url, 'terminate-2', `TERMINATE ${queryId};`);
      const stopped = await eventually('the stop logged', () => jsonLogLines(after.join('')).find((l) => l.msg === 'query stopped' && l.queryId === queryId));
      expect(stopped).toMatchObject({ queryId, reason: 'terminated' });
      expect(stopped).not.toHaveProperty('reqId');
    } finally {
      await second.close();
    }
  });
});
