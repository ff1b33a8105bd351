/**
 * The built-in HTTP sink (Confluent HTTP Sink connector's class and property
 * names: http.api.url, request.method, headers, batch.max.size, max.retries,
 * retry.backoff.ms) against a real local node:http server: batches of JSON
 * row objects, retries with backoff seen in the server's request count, and a
 * batch that keeps failing routed by Connect's errors.tolerance: to the
 * dead-letter topic with `__connect.errors.*` headers, or a FAILED task.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_EXISTS, connectorSetup } from './helpers/connectors.js';
import { eventually } from './helpers/eventually.js';

const HTTP_SINK = 'io.confluent.connect.http.HttpSinkConnector';

interface Received {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly status: number;
}

/** A local endpoint answering `statusFor(n)` to its n-th request (0-based). */
async function endpoint(statusFor: (n: number) => number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statusFor(received.length);
      received.push({ method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'endpoint down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received, server };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(statusFor: (n: number) => number) {
  const closing: { close(): Promise<void> }[] = [];
  const { engine, connectors } = await connectorSetup(closing);
  const http = await endpoint(statusFor);
  cleanup.push(...closing.map((c) => () => c.close()), () => new Promise<void>((resolve) => http.server.close(() => resolve())));
  await engine.execute(
    `CREATE TABLE FRAUD (CARD STRING PRIMARY KEY, TOTAL DOUBLE, HITS BIGINT) WITH (kafka_topic='fraud', value_format='JSON', partitions=1);`,
  );
  return { engine, connectors, ...http };
}

describe('built-in HTTP sink', () => {
  it('POSTs a batch of JSON row objects, retrying a failing endpoint with backoff until it answers 2xx', async () => {
    const { engine, connectors, url, received } = await setup((n) => (n < 2 ? 500 : 200));
    await engine.execute(
      `INSERT INTO FRAUD (CARD, TOTAL, HITS) VALUES ('c1', 10.5, 2); INSERT INTO FRAUD (CARD, TOTAL, HITS) VALUES ('c2', 99.0, 7); INSERT INTO FRAUD (CARD, TOTAL, HITS) VALUES ('c3', 1.25, 1);`,
    );
    await connectors.create(
      'alerts',
      {
        'connector.class': 'HttpSink',
        topics: 'fraud',
        'http.api.url': url,
        'batch.max.size': '10',
        'retry.backoff.ms': '5',
        headers: 'Authorization:Bearer t0k|X-Source:sluice',
      },
      NOT_EXISTS,
    );
    await eventually('a request answered 200', () => received.some((r) => r.status === 200));
    expect(received.map((r) => r.status)).toEqual([500, 500, 200]);
    // every try sent the same batch: one JSON array, key and value columns by name
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['authorization']).toBe('Bearer t0k');
      expect(r.headers['x-source']).toBe('sluice');
      expect(JSON.parse(r.body)).toEqual([
        { CARD: 'c1', TOTAL: 10.5, HITS: 2 },
        { CARD: 'c2', TOTAL: 99.0, HITS: 7 },
        { CARD: 'c3', TOTAL: 1.25, HITS: 1 },
      ]);
    }
    await eventually('the position after the batch committed', async () => (await engine.log.committed('_sluice-connector-alerts', 'fraud', 0)) === 3);
    expect((await connectors.describe('alerts')).status.tasks[0]!.state).toBe('RUNNING');
  });

  it('splits rows into batches of batch.max.size, one request each, and skips tombstones', async () => {
    const { engine, connectors, url, received } = await setup(() => 204);
    await engine.log.append('fraud', 0, [
      { key: Buffer.from('a'), value: Buffer.from('{"TOTAL":1,"HITS":1}'), timestamp: 1 },
      { key: Buffer.from('b'), value: Buffer.from('{"TOTAL":2,"HITS":2}'), timestamp: 2 },
      { key: Buffer.from('a'), value: null, timestamp: 3 },
      { key: Buffer.from('c'), value: Buffer.from('{"TOTAL":3,"HITS":3}'), timestamp: 4 },
    ]);
    await connectors.create(
      'alerts',
      { 'connector.class': HTTP_SINK, topics: 'fraud', 'http.api.url': url, 'batch.max.size': '2', 'request.method': 'put' },
      NOT_EXISTS,
    );
    await eventually('two requests', () => received.length === 2);
    expect(received.map((r) => [r.method, JSON.parse(r.body)])).toEqual([
      [
        'PUT',
        [
          { CARD: 'a', TOTAL: 1, HITS: 1 },
          { CARD: 'b', TOTAL: 2, HITS: 2 },
        ],
      ],
      ['PUT', [{ CARD: 'c', TOTAL: 3, HITS: 3 }]],
    ]);
  });

  it('errors.tolerance=all: a batch that keeps failing goes to the dead-letter topic, original bytes and __connect.errors.* headers', async () => {
    const { engine, connectors, url, received } = await setup(() => 503);
    await engine.log.append('fraud', 0, [
      { key: Buffer.from('"c1"'), value: Buffer.from('{"TOTAL":10.5,"HITS":2}'), timestamp: 11 },
      { key: Buffer.from('"c2"'), value: Buffer.from('{"TOTAL":99.0,"HITS":7}'), timestamp: 12 },
    ]);
    await connectors.create(
      'alerts',
      {
        'connector.class': HTTP_SINK,
        topics: 'fraud',
        'http.api.url': url,
        'batch.max.size': '5',
        'max.retries': '2',
        'retry.backoff.ms': '1',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'fraud-dlq',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
      NOT_EXISTS,
    );
    const dlq = await eventually('two dead letters', async () => {
      const records = (await engine.log.topic('fraud-dlq')) ? await engine.log.read('fraud-dlq', 0, 0, 10) : [];
      return records.length === 2 ? records : undefined;
    });
    expect(received.length).toBe(3); // the first try and max.retries=2 retries
    expect(dlq.map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp])).toEqual([
      ['"c1"', '{"TOTAL":10.5,"HITS":2}', 11],
      ['"c2"', '{"TOTAL":99.0,"HITS":7}', 12],
    ]);
    const headers = dlq.map((r) => Object.fromEntries(r.headers!.map((h) => [h.key, h.value?.toString()])));
    expect(headers[1]).toEqual({
      '__connect.errors.topic': 'fraud',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': 'alerts',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.class.name': HTTP_SINK,
      '__connect.errors.exception.class.name': 'HttpSinkError',
      '__connect.errors.exception.message': `HTTP 503 from POST ${url}: endpoint down`,
      '__connect.errors.exception.stacktrace': expect.stringMatching(/^HttpSinkError: HTTP 503 from POST /),
    });
    expect(headers[0]!['__connect.errors.offset']).toBe('0');
    await eventually('the position after the dead letters committed', async () => (await engine.log.committed('_sluice-connector-alerts', 'fraud', 0)) === 2);
    expect((await connectors.describe('alerts')).status.tasks[0]!.state).toBe('RUNNING');
  });

  it('errors.tolerance=none (default): a batch that keeps failing fails the task, the trace in DESCRIBE', async () => {
    const { engine, connectors, url, received } = await setup(() => 500);
    await engine.execute(`INSERT INTO FRAUD (CARD, TOTAL, HITS) VALUES ('c1', 10.5, 2);`);
    await connectors.create(
      'alerts',
      { 'connector.class': HTTP_SINK, topics: 'fraud', 'http.api.url': url, 'max.retries': '1', 'retry.backoff.ms': '1' },
      NOT_EXISTS,
    );
    const task = await eventually('the task FAILED', async () => {
      const t = (await connectors.describe('alerts')).status.tasks[0]!;
      return t.state === 'FAILED' ? t : undefined;
    });
    expect(task.trace).toMatch(
      new RegExp(
        `^org\\.apache\\.kafka\\.connect\\.errors\\.ConnectException: Tolerance exceeded in error handler\\nCaused by: HttpSinkError: HTTP 500 from POST ${url.replace(/[.]/g, '\\.')}: endpoint down`,
      ),
    );
    expect(received.length).toBe(2);
    expect(await engine.log.committed('_sluice-connector-alerts', 'fraud', 0)).toBe(0);
    expect((await connectors.list()).connectors[0]!.state).toBe('WARNING (0/1 tasks RUNNING)');
  });

  it('rejects a config without http.api.url or with a bad method, as Connect words it (40000)', async () => {
    const { connectors } = await setup(() => 200);
    const e = await connectors.create('x', { 'connector.class': HTTP_SINK, topics: 'fraud', 'request.method': 'GET' }, NOT_EXISTS).then(
      () => undefined,
      (err: { errorCode: number; message: string }) => err,
    );
    expect(e?.errorCode).toBe(40000);
    expect(e?.message).toBe(
      `Failed to create connector: ${JSON.stringify({
        error_code: 400,
        message:
          'Connector configuration is invalid and contains the following 2 error(s):\nMissing required configuration "http.api.url" which has no default value.\nInvalid value GET for configuration request.method: String must be one of: POST, PUT, PATCH\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
      })}`,
    );
  });
});
