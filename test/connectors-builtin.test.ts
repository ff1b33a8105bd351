/**
 * Built-in connectors (no Kafka Connect cluster) driven through
 * `BuiltinConnectors` over a real log and a catalog filled by running SQL
 * through an Engine: the FileStream sink and source (Kafka's class names and
 * properties; Connect's FileStream behaviour per /work/notes/i17-connectors.md
 * §2), their positions across a restart, Connect's error handling
 * (`errors.tolerance`) and Connect-worded answers (status, validation errors).
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withRetries } from '../src/runtime/connectors/error-handling.js';
import { RunnerSignal } from '../src/runtime/connectors/runner-signal.js';
import { POSITION_HEADER } from '../src/runtime/connectors/source-runner.js';
import { FileLog } from '../src/runtime/log/file-log.js';
import type { Log } from '../src/runtime/log/log.js';
import { FILE_SINK, FILE_SOURCE, NOT_EXISTS, connectorRejection, connectorSetup, fileLines } from './helpers/connectors.js';
import { eventually } from './helpers/eventually.js';

const SINK = FILE_SINK;
const SOURCE = FILE_SOURCE;
const lines = fileLines;
const rejection = connectorRejection;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
const setup = (log?: Log, dir?: string) => connectorSetup(open, log, dir);

describe('built-in FileStream sink', () => {
  it('writes each row of the stream over its topic as a JSON line, following appends', async () => {
    const { engine, connectors, dir } = await setup();
    await engine.execute(`CREATE STREAM ORDERS (ID INT KEY, ITEM STRING, QTY INT) WITH (kafka_topic='orders', value_format='JSON', partitions=2);`);
    await engine.execute(`INSERT INTO ORDERS (ID, ITEM, QTY) VALUES (1, 'apple', 3); INSERT INTO ORDERS (ID, ITEM, QTY) VALUES (2, 'pear', 1);`);
    const out = join(dir, 'orders.jsonl');
    const created = await connectors.create('orders_out', { 'connector.class': SINK, topics: 'orders', file: out }, NOT_EXISTS);
    expect(created).toEqual({
      kind: 'Created',
      info: {
        name: 'orders_out',
        config: { 'connector.class': SINK, topics: 'orders', file: out, name: 'orders_out' },
        tasks: [{ connector: 'orders_out', task: 0 }],
        type: 'sink',
      },
    });
    await eventually('the two existing rows in the file', () => lines(out).length === 2);
    await engine.execute(`INSERT INTO ORDERS (ID, ITEM, QTY) VALUES (3, 'fig', 12);`);
    await eventually('the appended row in the file', () => lines(out).length === 3);
    expect(lines(out).sort()).toEqual(['{"ITEM":"apple","QTY":3}', '{"ITEM":"fig","QTY":12}', '{"ITEM":"pear","QTY":1}']);
  });

  it("format='delimited' writes the value columns comma-separated", async () => {
    const { engine, connectors, dir } = await setup();
    await engine.execute(`CREATE STREAM ORDERS (ITEM STRING, QTY INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);`);
    await engine.execute(`INSERT INTO ORDERS (ITEM, QTY) VALUES ('apple', 3); INSERT INTO ORDERS (ITEM, QTY) VALUES ('a,b', 1);`);
    const out = join(dir, 'orders.csv');
    await connectors.create('csv', { 'connector.class': SINK, topics: 'orders', file: out, format: 'delimited' }, NOT_EXISTS);
    await eventually('two lines written', () => lines(out).length === 2);
    expect(lines(out)).toEqual(['apple,3', '"a,b",1']);
  });
});

describe('built-in FileStream source', () => {
  it('round trip: file lines → topic → stream → file sink, following appends to the source file', async () => {
    const { engine, connectors, dir } = await setup();
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, '{"ID":1,"NAME":"ann"}\n{"ID":2,"NAME":"bob"}\n');
    await engine.execute(`CREATE STREAM PEOPLE (ID INT, NAME STRING) WITH (kafka_topic='people', value_format='JSON', partitions=1);`);
    await connectors.create('people_in', { 'connector.class': 'FileStreamSource', topic: 'people', file: input }, NOT_EXISTS);
    await connectors.create('people_out', { 'connector.class': 'FileStreamSinkConnector', topics: 'people', file: output }, NOT_EXISTS);
    await eventually('the first two lines copied', () => lines(output).length === 2);
    // a partial line waits for its newline; then both appended lines follow
    appendFileSync(input, '{"ID":3,"NAME":"cy"}\n{"ID":4,');
    await eventually('the third line copied', () => lines(output).length === 3);
    appendFileSync(input, '"NAME":"di"}\r\n');
    await eventually('the fourth line copied', () => lines(output).length === 4);
    expect(lines(output)).toEqual(['{"ID":1,"NAME":"ann"}', '{"ID":2,"NAME":"bob"}', '{"ID":3,"NAME":"cy"}', '{"ID":4,"NAME":"di"}']);
    // the stream reads what the source appended: a null key, the line's bytes as written
    const records = await engine.log.read('people', 0, 0, 10);
    expect(records.map((r) => [r.key, r.value?.toString()])).toEqual([
      [null, '{"ID":1,"NAME":"ann"}'],
      [null, '{"ID":2,"NAME":"bob"}'],
      [null, '{"ID":3,"NAME":"cy"}'],
      [null, '{"ID":4,"NAME":"di"}'],
    ]);
  });

  it('resumes after a restart from the position stored with the records: nothing lost, nothing repeated', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-connectors-log-'));
    const input = join(dataDir, 'in.txt');
    writeFileSync(input, 'one\ntwo\nthree\n');
    const config = { 'connector.class': SOURCE, topic: 'words', file: input };
    const values = async (log: Log): Promise<string[]> => (await log.read('words', 0, 0, 100)).map((r) => r.value!.toString());

    const log1 = await FileLog.open(join(dataDir, 'log'));
    const first = await setup(log1, dataDir);
    await first.connectors.create('words_in', config, NOT_EXISTS);
    await eventually('three lines on the topic', async () => (await values(log1)).length === 3);
    await first.connectors.close();
    await first.engine.close();
    await log1.close();

    appendFileSync(input, 'four\nfive\n');
    const log2 = await FileLog.open(join(dataDir, 'log'));
    open.push(log2);
    const second = await setup(log2, dataDir);
    await second.connectors.create('words_in', config, { ifNotExists: false, replaying: true });
    await eventually('the two new lines on the topic', async () => (await values(log2)).length >= 5);
    appendFileSync(input, 'six\n');
    await eventually('the line appended after the restart', async () => (await values(log2)).length >= 6);
    expect(await values(log2)).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
    // the position travels in a header of the last record of each append
    const last = (await log2.read('words', 0, 5, 1))[0]!;
    expect(JSON.parse(last.headers!.find((h) => h.key === POSITION_HEADER)!.value!.toString())).toMatchObject({
      connector: 'words_in',
      position: String('one\ntwo\nthree\nfour\nfive\nsix\n'.length),
      partitions: [0],
      count: 1,
    });
  });
});

describe('built-in connectors: error handling', () => {
  it('errors.tolerance=none: an undecodable record fails the task with its trace, after the rows before it', async () => {
    const { engine, connectors, processingLog, dir } = await setup();
    await engine.execute(`CREATE STREAM ORDERS (ITEM STRING, QTY INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);`);
    await engine.log.append('orders', 0, [
      { key: null, value: Buffer.from('{"ITEM":"ok","QTY":1}'), timestamp: 1 },
      { key: null, value: Buffer.from('not json'), timestamp: 2 },
      { key: null, value: Buffer.from('{"ITEM":"after","QTY":2}'), timestamp: 3 },
    ]);
    const out = join(dir, 'out.jsonl');
    await connectors.create('strict', { 'connector.class': SINK, topics: 'orders', file: out }, NOT_EXISTS);
    const failed = await eventually('the task FAILED', async () => {
      const d = await connectors.describe('strict');
      return d.status.tasks[0]?.state === 'FAILED' ? d : undefined;
    });
    expect(failed.status.connector).toEqual({ state: 'RUNNING', worker_id: expect.stringMatching(/^sluice:/) });
    expect(failed.status.tasks[0]!.trace).toMatch(/^org\.apache\.kafka\.connect\.errors\.ConnectException: Tolerance exceeded in error handler\nCaused by: /);
    expect(lines(out)).toEqual(['{"ITEM":"ok","QTY":1}']);
    expect(processingLog).toEqual([
      expect.objectContaining({
        queryId: 'strict',
        type: 'DESERIALIZATION_ERROR',
        topic: 'orders',
        partition: 0,
        offset: 1,
        message: expect.stringMatching(/^Failed to deserialize value from topic: orders\. /),
      }),
    ]);
    expect((await connectors.list()).connectors).toEqual([{ name: 'strict', type: 'sink', className: SINK, state: 'WARNING (0/1 tasks RUNNING)' }]);
    // the position committed stops at the failed record
    expect(await engine.log.committed('_sluice-connector-strict', 'orders', 0)).toBe(1);
  });

  it('errors.tolerance=all: an undecodable record goes to the dead-letter topic with Connect context headers; the rest is written', async () => {
    const { engine, connectors, dir } = await setup();
    await engine.execute(`CREATE STREAM ORDERS (ITEM STRING, QTY INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);`);
    await engine.log.append('orders', 0, [
      { key: Buffer.from('k1'), value: Buffer.from('{"ITEM":"ok","QTY":1}'), timestamp: 1 },
      { key: Buffer.from('k2'), value: Buffer.from('not json'), timestamp: 2 },
      { key: null, value: Buffer.from('{"ITEM":"after","QTY":2}'), timestamp: 3 },
    ]);
    const out = join(dir, 'out.jsonl');
    await connectors.create(
      'lenient',
      {
        'connector.class': SINK,
        topics: 'orders',
        file: out,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'orders-dlq',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
      NOT_EXISTS,
    );
    await eventually('both good rows written', () => lines(out).length === 2);
    expect(lines(out)).toEqual(['{"ITEM":"ok","QTY":1}', '{"ITEM":"after","QTY":2}']);
    const dlq = await eventually('a record on the dead-letter topic', async () =>
      (await engine.log.topic('orders-dlq')) ? (await engine.log.read('orders-dlq', 0, 0, 10))[0] : undefined,
    );
    expect([dlq.key?.toString(), dlq.value?.toString(), dlq.timestamp]).toEqual(['k2', 'not json', 2]);
    const headers = Object.fromEntries(dlq.headers!.map((h) => [h.key, h.value?.toString()]));
    expect(headers).toEqual({
      '__connect.errors.topic': 'orders',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': 'lenient',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'sluice.serde.JSON',
      '__connect.errors.exception.class.name': expect.any(String),
      '__connect.errors.exception.message': expect.any(String),
      '__connect.errors.exception.stacktrace': expect.any(String),
    });
    expect((await connectors.describe('lenient')).status.tasks).toEqual([{ id: 0, state: 'RUNNING', worker_id: expect.stringMatching(/^sluice:/) }]);
  });
});

describe('built-in connectors: statements answered as Kafka Connect answers them', () => {
  const invalid = (n: number, errors: string): string =>
    `Failed to create connector: ${JSON.stringify({
      error_code: 400,
      message: `Connector configuration is invalid and contains the following ${n} error(s):\n${errors}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``,
    })}`;

  it('rejects an invalid config with every problem, as Connect words them (40000)', async () => {
    const { connectors } = await setup();
    const e = await rejection(connectors.create('bad', { 'connector.class': SOURCE, 'errors.tolerance': 'some' }, NOT_EXISTS));
    expect(e.errorCode).toBe(40000);
    expect(e.message).toBe(
      invalid(
        3,
        'Invalid value some for configuration errors.tolerance: String must be one of: none, all\nMissing required configuration "file" which has no default value.\nMissing required configuration "topic" which has no default value.',
      ),
    );
  });

  it('rejects a sink whose topic no stream or table reads, naming the topic (40000)', async () => {
    const { connectors, dir } = await setup();
    const e = await rejection(connectors.create('orphan', { 'connector.class': SINK, topics: 'nowhere', file: join(dir, 'x') }, NOT_EXISTS));
    expect(e.errorCode).toBe(40000);
    expect(e.message).toBe(
      invalid(
        1,
        "No stream or table reads topic nowhere: a built-in sink decodes records with the columns and formats of a stream or table over its topic (CREATE STREAM … WITH (KAFKA_TOPIC='nowhere', …) first)",
      ),
    );
  });

  it('refuses what built-ins do not do: several topics, topics.regex, a dead-letter topic on a source (40000)', async () => {
    const { engine, connectors, dir } = await setup();
    await engine.execute(`CREATE STREAM A (V STRING) WITH (kafka_topic='a', value_format='JSON', partitions=1);`);
    const several = await rejection(connectors.create('s', { 'connector.class': SINK, topics: 'a, b', file: join(dir, 'x') }, NOT_EXISTS));
    expect(several.errorCode).toBe(40000);
    expect(several.message).toBe(invalid(1, 'Built-in sink connectors read one topic; "topics" names 2: a, b'));
    const regex = await rejection(connectors.create('s', { 'connector.class': SINK, 'topics.regex': 'a.*', file: join(dir, 'x') }, NOT_EXISTS));
    expect(regex.message).toBe(invalid(1, 'Built-in sink connectors read the one topic named in "topics"; "topics.regex" is not supported'));
    const dlq = await rejection(
      connectors.create('s', { 'connector.class': SOURCE, topic: 'a', file: join(dir, 'x'), 'errors.deadletterqueue.topic.name': 'dlq' }, NOT_EXISTS),
    );
    expect(dlq.message).toBe(invalid(1, 'Dead letter queue (errors.deadletterqueue.topic.name) is only supported for sink connectors'));
  });

  it("rejects an unknown class in Connect's words as the user's error, and a config without connector.class", async () => {
    const { connectors } = await setup();
    const unknown = await rejection(connectors.create('x', { 'connector.class': 'NoSuch' }, NOT_EXISTS));
    expect(unknown.errorCode).toBe(40000);
    expect(unknown.message).toMatch(
      /^Failed to create connector: \{"error_code":400,"message":"Failed to find any class that implements Connector and which name matches NoSuch, available connectors are: PluginDesc\{klass=class org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector, /,
    );
    const none = await rejection(connectors.create('x', { file: '/tmp/f' }, NOT_EXISTS));
    expect(none.errorCode).toBe(40000);
    expect(none.message).toBe('Failed to create connector: {"error_code":400,"message":"Connector config {file=/tmp/f, name=x} contains no connector type"}');
  });

  it('a second connector of the same name (any case) is a 409 conflict; IF NOT EXISTS finds it', async () => {
    const { connectors, dir } = await setup();
    const config = { 'connector.class': 'FileStreamSource', topic: 't', file: join(dir, 'in') };
    await connectors.create('Src', config, NOT_EXISTS);
    const e = await rejection(connectors.create('SRC', config, NOT_EXISTS));
    expect(e.errorCode).toBe(40900);
    expect(e.message).toBe('Failed to create connector: {"error_code":409,"message":"Connector Src already exists"}');
    expect(await connectors.create('SRC', config, { ifNotExists: true, replaying: false })).toEqual({ kind: 'AlreadyExists', name: 'Src' });
  });

  it('lists, describes, drops and lists plugins in Connect shapes', async () => {
    const { engine, connectors, dir } = await setup();
    await engine.execute(`CREATE STREAM S (V STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);`);
    await connectors.create('in', { 'connector.class': 'FileStreamSourceConnector', topic: 's', file: join(dir, 'in') }, NOT_EXISTS);
    await connectors.create('out', { 'connector.class': 'FileStreamSink', topics: 's', file: join(dir, 'out') }, NOT_EXISTS);
    expect(await connectors.list()).toEqual({
      connectors: [
        { name: 'in', type: 'source', className: 'FileStreamSourceConnector', state: 'RUNNING (1/1 tasks RUNNING)' },
        { name: 'out', type: 'sink', className: 'FileStreamSink', state: 'RUNNING (1/1 tasks RUNNING)' },
      ],
      warnings: [],
    });
    const d = await connectors.describe('out');
    const worker = d.status.connector.worker_id;
    expect(worker).toMatch(/^sluice:.+/);
    expect(d).toEqual({
      info: {
        name: 'out',
        config: { 'connector.class': 'FileStreamSink', topics: 's', file: join(dir, 'out'), name: 'out' },
        tasks: [{ connector: 'out', task: 0 }],
        type: 'sink',
      },
      connectorClass: 'FileStreamSink',
      status: { name: 'out', connector: { state: 'RUNNING', worker_id: worker }, tasks: [{ id: 0, state: 'RUNNING', worker_id: worker }], type: 'sink' },
      topics: ['s'],
    });
    const missing = await rejection(connectors.describe('nope'));
    expect(missing.errorCode).toBe(40400);
    expect(missing.message).toBe('Failed to query connector status: {"error_code":404,"message":"No status found for connector nope"}');
    expect(await connectors.drop('in', { replaying: false })).toBe(true);
    expect(await connectors.drop('in', { replaying: false })).toBe(false);
    expect((await connectors.list()).connectors.map((c) => c.name)).toEqual(['out']);
    expect(await connectors.plugins()).toEqual(
      expect.arrayContaining([
        { className: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '1.0.0' },
        { className: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '1.0.0' },
      ]),
    );
  });
});

describe('built-in connectors: retries and task failures', () => {
  const policy = (retryTimeoutMs: number) => ({
    retryTimeoutMs,
    retryDelayMaxMs: 2,
    tolerance: 'none' as const,
    dlqTopic: undefined,
    dlqContextHeaders: false,
  });
  const failing = (times: number) => {
    let calls = 0;
    return {
      op: async () => {
        calls++;
        if (calls <= times) throw new Error(`failure ${calls}`);
        return calls;
      },
      calls: () => calls,
    };
  };

  it('errors.retry.timeout: 0 does not retry, -1 retries until it succeeds, a bound gives up with the last error', async () => {
    const signal = new RunnerSignal();
    const none = failing(1);
    await expect(withRetries(policy(0), signal, none.op)).rejects.toThrow('failure 1');
    expect(none.calls()).toBe(1);
    const forever = failing(4);
    expect(await withRetries(policy(-1), signal, forever.op)).toBe(5);
    const bounded = failing(1_000_000);
    await expect(withRetries(policy(30), signal, bounded.op)).rejects.toThrow(/^failure \d+$/);
    expect(bounded.calls()).toBeGreaterThan(1);
  });

  it('a sink whose file cannot be created: the connector runs, its task FAILED with the reason', async () => {
    const { engine, connectors, dir } = await setup();
    await engine.execute(`CREATE STREAM S (V STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);`);
    await connectors.create('nofile', { 'connector.class': SINK, topics: 's', file: join(dir, 'missing-dir', 'out') }, NOT_EXISTS);
    const status = await eventually('the task FAILED', async () => {
      const s = (await connectors.describe('nofile')).status;
      return s.tasks[0]!.state === 'FAILED' ? s : undefined;
    });
    expect(status.connector.state).toBe('RUNNING');
    expect(status.tasks[0]!.trace).toMatch(
      /^org\.apache\.kafka\.connect\.errors\.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception\.\nCaused by: Error: Couldn't find or create file '.*missing-dir\/out' for FileStreamSinkTask: ENOENT/,
    );
  });
});
