// ConnectClient against a real Kafka Connect 3.9.2 worker (scripts/connect-local.sh) and the test broker:
// FileStream connectors move lines file → topic → file; list, describe and plugins carry Connect's shapes;
// Connect's refusals arrive as ksqlDB words them (prefix, status × 100 code).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { ConnectorError } from '../../src/runtime/connectors/connector.js';
import { ConnectClient, resolveConnectConfig } from '../../src/runtime/connectors/connect-client.js';
import { eventually } from '../helpers/eventually.js';
import { consumeAll, createTopic, uniqueTopic } from './broker.js';
import { CONNECT_URL, describeConnect, freePort, uniqueConnector } from './connect-worker.js';

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const dir = mkdtempSync(join(tmpdir(), 'sluice-connect-'));
const client = new ConnectClient({ url: CONNECT_URL });
/** Connectors a test created, dropped after it so the worker does not keep running them. */
const created: string[] = [];

afterEach(async () => {
  for (const name of created.splice(0)) await client.drop(name, { replaying: false });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a promise rejects with, which must be a ConnectorError. */
async function connectorError(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

async function create(name: string, config: Record<string, string>) {
  const outcome = await client.create(name, config, { ifNotExists: false, replaying: false });
  created.push(name);
  return outcome;
}

/** A file's lines once it has `count` of them. */
function linesOf(file: string, count: number): Promise<string[]> {
  return eventually(`${count} lines in ${file}`, () => {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    return lines.length >= count ? lines : undefined;
  });
}

describeConnect('ConnectClient against a Kafka Connect worker', () => {
  it('moves lines file → topic → file with FileStreamSource and FileStreamSink, following appends', async () => {
    const topic = uniqueTopic('connect-lines');
    await createTopic(topic);
    const input = join(dir, `${topic}.in`);
    const output = join(dir, `${topic}.out`);
    writeFileSync(input, 'alpha\nbeta\n');
    const source = uniqueConnector('fsrc');
    const outcome = await create(source, { 'connector.class': 'FileStreamSource', file: input, topic, 'value.converter': STRING_CONVERTER });
    expect(outcome).toEqual({
      kind: 'Created',
      info: {
        name: source,
        // ksqlDB's rewrite: the name, and StringConverter as the default key converter.
        config: {
          'connector.class': 'FileStreamSource',
          file: input,
          topic,
          'value.converter': STRING_CONVERTER,
          'key.converter': STRING_CONVERTER,
          name: source,
        },
        tasks: [],
        type: 'source',
      },
    });
    expect((await consumeAll(topic, 2)).map((m) => [m.key, m.value])).toEqual([
      [null, 'alpha'],
      [null, 'beta'],
    ]);
    const sink = uniqueConnector('fsink');
    await create(sink, { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'value.converter': STRING_CONVERTER });
    expect(await linesOf(output, 2)).toEqual(['alpha', 'beta']);
    appendFileSync(input, 'gamma\n');
    expect(await linesOf(output, 3)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('lists connectors with type, class and ksqlDB-summarised state; describes status, config and topics', async () => {
    const topic = uniqueTopic('connect-describe');
    await createTopic(topic);
    const input = join(dir, `${topic}.in`);
    writeFileSync(input, 'one\n');
    const source = uniqueConnector('dsrc');
    await create(source, { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file: input, topic });
    const listed = await eventually('the source listed as running', async () => {
      const { connectors, warnings } = await client.list();
      const row = connectors.find((c) => c.name === source);
      return row?.state === 'RUNNING (1/1 tasks RUNNING)' ? { row, warnings } : undefined;
    });
    expect(listed).toEqual({
      row: { name: source, type: 'source', className: 'org.apache.kafka.connect.file.FileStreamSourceConnector', state: 'RUNNING (1/1 tasks RUNNING)' },
      warnings: [],
    });
    // Connect records a topic once the source has written to it.
    const description = await eventually('the source to report its topic', async () => {
      const d = await client.describe(source);
      return d.topics.length > 0 ? d : undefined;
    });
    expect(description.connectorClass).toBe('org.apache.kafka.connect.file.FileStreamSourceConnector');
    expect(description.topics).toEqual([topic]);
    expect(description.info).toMatchObject({ name: source, type: 'source', tasks: [{ connector: source, task: 0 }] });
    expect(description.status).toMatchObject({ name: source, type: 'source', connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
    expect(description.status.connector.worker_id).toMatch(/^127\.0\.0\.1:\d+$/);
    expect('trace' in description.status.connector).toBe(false);
  });

  it('lists the FileStream plugins with their type and version', async () => {
    const plugins = await client.plugins();
    expect(plugins).toEqual(
      expect.arrayContaining([
        { className: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '3.9.2' },
        { className: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '3.9.2' },
      ]),
    );
  });

  it('IF NOT EXISTS finds a connector of that name in any case; without it a clash is 40900', async () => {
    const topic = uniqueTopic('connect-dup');
    const name = uniqueConnector('dup');
    const config = { 'connector.class': 'FileStreamSource', file: join(dir, `${topic}.in`), topic };
    writeFileSync(config.file, '');
    await create(name, config);
    expect(await client.create(name.toUpperCase(), config, { ifNotExists: true, replaying: false })).toEqual({
      kind: 'AlreadyExists',
      name: name.toUpperCase(),
    });
    const err = await connectorError(client.create(name, config, { ifNotExists: false, replaying: false }));
    expect(err.errorCode).toBe(40900);
    expect(err.message).toBe(`Connector ${name} already exists`);
  });

  it("refuses a config Connect finds invalid with 40000 and Connect's own words", async () => {
    const name = uniqueConnector('bad');
    const err = await connectorError(
      client.create(name, { 'connector.class': 'FileStreamSource', 'batch.size': 'many' }, { ifNotExists: false, replaying: false }),
    );
    expect(err.errorCode).toBe(40000);
    expect(err.message).toBe(
      'Validation error: topic - Missing required configuration "topic" which has no default value.\n' +
        'batch.size - Invalid value many for configuration batch.size: Not a number of type INT',
    );
    expect((await client.list()).connectors.map((c) => c.name)).not.toContain(name);
  });

  it('refuses an unknown connector class, and a config without or with a blank connector.class', async () => {
    const unknown = await connectorError(
      client.create(uniqueConnector('nosuch'), { 'connector.class': 'NoSuchConnector' }, { ifNotExists: false, replaying: false }),
    );
    expect(unknown.errorCode).toBe(40000);
    expect(unknown.message).toMatch(
      /^Validation error: \{"error_code":500,"message":"org\.apache\.kafka\.connect\.errors\.ConnectException: Failed to find any class that implements Connector and which name matches NoSuchConnector, available connectors are: /,
    );
    const missing = await connectorError(client.create('noclass', { file: '/tmp/x' }, { ifNotExists: false, replaying: false }));
    expect(missing.errorCode).toBe(40000);
    expect(missing.message).toBe(
      `Validation error: Connector config {file=/tmp/x, key.converter=org.apache.kafka.connect.storage.StringConverter, name=noclass} contains no connector type`,
    );
    const blank = await connectorError(client.create('blank', { 'connector.class': ' ' }, { ifNotExists: false, replaying: false }));
    expect([blank.errorCode, blank.message]).toEqual([40000, 'Validation error: Connector type cannot be empty']);
  });

  it("shows a failed task's trace in describe and WARNING in the list", async () => {
    const topic = uniqueTopic('connect-fail');
    await createTopic(topic);
    const name = uniqueConnector('broken');
    // A sink whose file cannot be created: the connector runs, its task fails.
    await create(name, { 'connector.class': 'FileStreamSink', file: join(dir, 'no-such-dir', 'out.txt'), topics: topic });
    const description = await eventually('the task to fail', async () => {
      const d = await client.describe(name);
      return d.status.tasks[0]?.state === 'FAILED' ? d : undefined;
    });
    expect(description.status.connector.state).toBe('RUNNING');
    expect(description.status.tasks[0]!.trace).toMatch(
      /^org\.apache\.kafka\.connect\.errors\.ConnectException: Couldn't find or create file .*no-such-dir\/out\.txt/,
    );
    const row = (await client.list()).connectors.find((c) => c.name === name);
    expect(row?.state).toBe('WARNING (0/1 tasks RUNNING)');
  });

  it('drops a connector (true), then finds none to drop (false); describing a missing one is 40400', async () => {
    const topic = uniqueTopic('connect-drop');
    const name = uniqueConnector('drop');
    writeFileSync(join(dir, `${topic}.in`), '');
    await client.create(name, { 'connector.class': 'FileStreamSource', file: join(dir, `${topic}.in`), topic }, { ifNotExists: false, replaying: false });
    expect(await client.drop(name, { replaying: false })).toBe(true);
    expect(await client.drop(name, { replaying: false })).toBe(false);
    const err = await connectorError(client.describe(name));
    expect(err.errorCode).toBe(40400);
    expect(err.message).toBe(`Failed to query connector status: {"error_code":404,"message":"No status found for connector ${name}"}`);
  });

  it('sends nothing when replaying the command log: Connect already has its connectors', async () => {
    const name = uniqueConnector('replayed');
    const outcome = await client.create(name, { 'connector.class': 'FileStreamSource', topic: 't' }, { ifNotExists: false, replaying: true });
    expect(outcome.kind).toBe('Created');
    expect(await client.drop(name, { replaying: true })).toBe(true);
    expect((await client.list()).connectors.map((c) => c.name)).not.toContain(name);
  });
});

it('a worker nobody answers for is a 50000 error naming the URL and ksql.connect.url', async () => {
  const port = await freePort();
  const down = new ConnectClient({ url: `http://127.0.0.1:${port}/`, retryWaitMs: 1 });
  const err = await connectorError(down.list());
  expect(err.errorCode).toBe(50000);
  expect(err.message).toBe(`Could not reach Kafka Connect at http://127.0.0.1:${port} (ksql.connect.url): connect ECONNREFUSED 127.0.0.1:${port}`);
  const onCreate = await connectorError(down.create('x', { 'connector.class': 'FileStreamSource' }, { ifNotExists: false, replaying: false }));
  expect([onCreate.errorCode, onCreate.message]).toEqual([err.errorCode, err.message]);
});

/** A stand-in Connect answering each request with the next of `answers` (the last one repeats); counts requests. */
async function scriptedConnect(answers: readonly (readonly [number, string])[]): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const [status, body] = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

it('retries a 409 (a rebalance) and a 5xx up to three attempts in all, and returns the last answer', async () => {
  const rebalancing =
    '{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)"}';
  const flaky = await scriptedConnect([
    [409, rebalancing],
    [500, '{"error_code":500,"message":"boom"}'],
    [200, '[]'],
  ]);
  try {
    const c = new ConnectClient({ url: flaky.url, retryWaitMs: 1 });
    expect(await c.list()).toEqual({ connectors: [], warnings: [] });
    expect(flaky.requests).toEqual(['GET /connectors', 'GET /connectors', 'GET /connectors']);
  } finally {
    await flaky.close();
  }
  const stuck = await scriptedConnect([[409, rebalancing]]);
  try {
    const err = await connectorError(new ConnectClient({ url: stuck.url, retryWaitMs: 1 }).list());
    expect([err.errorCode, err.message]).toEqual([40900, `Failed to list connectors: ${rebalancing}`]);
    expect(stuck.requests).toHaveLength(3);
  } finally {
    await stuck.close();
  }
});

it('does not retry a 4xx other than 409: a missing connector is asked for once', async () => {
  const connect = await scriptedConnect([[404, '{"error_code":404,"message":"Connector gone not found"}']]);
  try {
    expect(await new ConnectClient({ url: connect.url, retryWaitMs: 1 }).drop('gone', { replaying: false })).toBe(false);
    expect(connect.requests).toEqual(['DELETE /connectors/gone']);
  } finally {
    await connect.close();
  }
});

it('gives up on a worker that does not answer within the timeout, with a 50000 error', async () => {
  const silent = createServer(() => {
    // Never answers: the client's timeout ends the request.
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  try {
    const err = await connectorError(new ConnectClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 200, retryWaitMs: 1 }).plugins());
    expect([err.errorCode, err.message]).toEqual([
      50000,
      `Could not reach Kafka Connect at http://127.0.0.1:${port} (ksql.connect.url): no answer within 200 ms`,
    ]);
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

it("rewrites the config as ksqlDB does: name, a StringConverter key, and the JDBC source's key and tasks.max", () => {
  expect(resolveConnectConfig('s', { 'connector.class': 'FileStreamSource', 'key.converter': 'org.apache.kafka.connect.json.JsonConverter' })).toEqual({
    'connector.class': 'FileStreamSource',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    name: 's',
  });
  expect(resolveConnectConfig('jdbc', { 'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector', key: 'ID', transforms: 'mask' })).toEqual({
    'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
    transforms: 'mask,ksqlCreateKey,ksqlExtractString',
    'transforms.ksqlCreateKey.type': 'org.apache.kafka.connect.transforms.ValueToKey',
    'transforms.ksqlCreateKey.fields': 'ID',
    'transforms.ksqlExtractString.type': 'org.apache.kafka.connect.transforms.ExtractField$Key',
    'transforms.ksqlExtractString.field': 'ID',
    'tasks.max': '1',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    name: 'jdbc',
  });
});
