/**
 * Built-in connectors (no Kafka Connect cluster) driven through
 * `BuiltinConnectors` over a real log and a catalog filled by running SQL
 * through an Engine: the FileStream sink and source (Kafka's class names and
 * properties; Connect's FileStream behaviour per /work/notes/i17-connectors.md
 * §2), their positions across a restart, Connect's error handling
 * (`errors.tolerance`) and Connect-worded answers (status, validation errors).
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessingLogEntry } from '../src/common/processing-log.js';
import { BuiltinConnectors } from '../src/runtime/connectors/builtin/builtin-connectors.js';
import { ConnectorError } from '../src/runtime/connectors/connector.js';
import { RunnerSignal } from '../src/runtime/connectors/runner-signal.js';
import { BATCH_HEADER, POSITION_HEADER, recoverPosition } from '../src/runtime/connectors/source-runner.js';
import { withRetries } from '../src/runtime/connectors/error-handling.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { FileLog } from '../src/runtime/log/file-log.js';
import type { Log } from '../src/runtime/log/log.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { partitionFor } from '../src/runtime/log/murmur2.js';
import { eventually } from './helpers/eventually.js';

const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

interface Setup {
  readonly engine: Engine;
  readonly connectors: BuiltinConnectors;
  readonly processingLog: ProcessingLogEntry[];
  readonly dir: string;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(log: Log = new MemoryLog(), dir = mkdtempSync(join(tmpdir(), 'sluice-connectors-'))): Promise<Setup> {
  const engine = new Engine({ log });
  const processingLog: ProcessingLogEntry[] = [];
  const connectors = new BuiltinConnectors({
    log,
    catalog: engine.catalog,
    registry: engine.registry,
    logger: { error: (e) => processingLog.push(e) },
    serverProperties: new Map(),
    kafkaMode: false,
  });
  open.push(engine, connectors);
  return { engine, connectors, processingLog, dir };
}

/** The lines of a file (empty when it does not exist yet). */
function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(0, -1);
  } catch {
    return [];
  }
}

/** The error a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<ConnectorError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(e)}`);
  return e;
}

const NOT_EXISTS = { ifNotExists: false, replaying: false };

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

  it('rejects an unknown class with Connect 500 wording, and a config without connector.class', async () => {
    const { connectors } = await setup();
    const unknown = await rejection(connectors.create('x', { 'connector.class': 'NoSuch' }, NOT_EXISTS));
    expect(unknown.errorCode).toBe(50000);
    expect(unknown.message).toMatch(
      /^Failed to create connector: \{"error_code":500,"message":"Failed to find any class that implements Connector and which name matches NoSuch, available connectors are: PluginDesc\{klass=class org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector, /,
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

describe('built-in connectors: positions across restarts', () => {
  it('the file sink resumes from the positions saved with the file: a restart neither repeats nor loses lines', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-connectors-log-'));
    const out = join(dataDir, 'out.jsonl');
    const config = { 'connector.class': SINK, topics: 'notes', file: out };
    const stream = `CREATE STREAM NOTES (TXT STRING) WITH (kafka_topic='notes', value_format='JSON', partitions=1);`;

    const log1 = await FileLog.open(join(dataDir, 'log'));
    const first = await setup(log1, dataDir);
    await first.engine.execute(stream);
    await first.engine.execute(`INSERT INTO NOTES (TXT) VALUES ('a'); INSERT INTO NOTES (TXT) VALUES ('b');`);
    await first.connectors.create('notes_out', config, NOT_EXISTS);
    await eventually('two lines written', () => lines(out).length === 2);
    await first.connectors.close();
    await first.engine.close();
    await log1.close();

    // a crash after a batch reached the file and before its positions were recorded leaves lines past the recorded length
    appendFileSync(out, '{"TXT":"c"}\n');
    const log2 = await FileLog.open(join(dataDir, 'log'));
    open.push(log2);
    const second = await setup(log2, dataDir);
    await second.engine.execute(stream);
    await second.engine.execute(`INSERT INTO NOTES (TXT) VALUES ('c');`);
    await second.connectors.create('notes_out', config, { ifNotExists: false, replaying: true });
    await eventually('the third line written', () => lines(out).length >= 3);
    await second.engine.execute(`INSERT INTO NOTES (TXT) VALUES ('d');`);
    await eventually('the fourth line written', () => lines(out).length >= 4);
    expect(lines(out)).toEqual(['{"TXT":"a"}', '{"TXT":"b"}', '{"TXT":"c"}', '{"TXT":"d"}']);
  });

  it('a source batch spread over partitions that a crash cut short is undone and polled again', async () => {
    const log = new MemoryLog();
    await log.createTopic('keyed', 2);
    const mark = (seq: number, position: string, from: string | undefined, partitions: number[], count: number) => ({
      key: POSITION_HEADER,
      value: Buffer.from(JSON.stringify({ connector: 'gen', seq, position, from, partitions, count })),
    });
    // batch 1 reached both partitions; batch 2 reached partition 0 only (the crash came before partition 1's append)
    await log.append('keyed', 0, [{ key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 1, headers: [mark(1, 'p1', undefined, [0, 1], 1)] }]);
    await log.append('keyed', 1, [{ key: Buffer.from('b'), value: Buffer.from('2'), timestamp: 1, headers: [mark(1, 'p1', undefined, [0, 1], 1)] }]);
    await log.append('keyed', 0, [
      { key: Buffer.from('c'), value: Buffer.from('3'), timestamp: 2 },
      { key: Buffer.from('d'), value: Buffer.from('4'), timestamp: 2, headers: [mark(2, 'p2', 'p1', [0, 1], 2)] },
    ]);
    expect(await recoverPosition(log, 'keyed', 2, 'gen')).toEqual({ position: 'p1', seq: 2 });
    expect(await log.endOffset('keyed', 0)).toBe(1);
    expect(await log.endOffset('keyed', 1)).toBe(1);
    // another connector's marks are not this one's
    expect(await recoverPosition(log, 'keyed', 2, 'other')).toEqual({ position: undefined, seq: 0 });
    // a complete batch is where it resumes
    await log.append('keyed', 1, [{ key: Buffer.from('e'), value: Buffer.from('5'), timestamp: 3, headers: [mark(3, 'p3', 'p1', [1], 1)] }]);
    expect(await recoverPosition(log, 'keyed', 2, 'gen')).toEqual({ position: 'p3', seq: 3 });
  });

  it('an append torn inside a partition (its last records, the position among them, cut off by a crash) is undone', async () => {
    const log = new MemoryLog();
    await log.createTopic('lines', 1);
    const end = (seq: number, position: string, count: number) => ({
      key: POSITION_HEADER,
      value: Buffer.from(JSON.stringify({ connector: 'src', seq, position, from: undefined, partitions: [0], count })),
    });
    const start = (seq: number, count: number) => ({ key: BATCH_HEADER, value: Buffer.from(JSON.stringify({ connector: 'src', seq, count })) });
    await log.append('lines', 0, [
      { key: null, value: Buffer.from('a'), timestamp: 1, headers: [start(1, 2)] },
      { key: null, value: Buffer.from('b'), timestamp: 1, headers: [end(1, '4', 2)] },
    ]);
    // batch 2 had three records; the crash left the first two
    await log.append('lines', 0, [
      { key: null, value: Buffer.from('c'), timestamp: 2, headers: [start(2, 3)] },
      { key: null, value: Buffer.from('d'), timestamp: 2 },
    ]);
    expect(await recoverPosition(log, 'lines', 1, 'src')).toEqual({ position: '4', seq: 1 });
    expect((await log.read('lines', 0, 0, 10)).map((r) => r.value?.toString())).toEqual(['a', 'b']);
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

describe('built-in datagen source through the runner', () => {
  it('spreads keyed records over partitions by murmur2; a restart mid-run continues the sequence, no record lost or repeated', async () => {
    const config = {
      'connector.class': 'DatagenConnector',
      quickstart: 'users',
      'kafka.topic': 'users',
      iterations: '20',
      'max.interval': '60',
      'random.seed': '7',
    };
    const records = async (log: Log) => {
      const out: { partition: number; key: string; value: string }[] = [];
      for (const p of [0, 1])
        for (const r of await log.read('users', p, 0, 100)) out.push({ partition: p, key: r.key!.toString(), value: r.value!.toString() });
      return out;
    };
    // uninterrupted
    const plain = new MemoryLog();
    await plain.createTopic('users', 2);
    const a = await setup(plain);
    await a.connectors.create('gen', config, NOT_EXISTS);
    const expected = await eventually('20 records', async () => ((await records(plain)).length === 20 ? records(plain) : undefined));
    for (const r of expected) expect(r.partition).toBe(partitionFor(Buffer.from(r.key), 2));

    // stopped after some records, restarted over the same log directory
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-connectors-log-'));
    const log1 = await FileLog.open(join(dataDir, 'log'));
    await log1.createTopic('users', 2);
    const b = await setup(log1, dataDir);
    await b.connectors.create('gen', config, NOT_EXISTS);
    await eventually('some records', async () => (await records(log1)).length >= 5);
    await b.connectors.close();
    const before = (await records(log1)).length;
    await b.engine.close();
    await log1.close();
    const log2 = await FileLog.open(join(dataDir, 'log'));
    open.push(log2);
    const c = await setup(log2, dataDir);
    await c.connectors.create('gen', config, { ifNotExists: false, replaying: true });
    await eventually('20 records after the restart', async () => (await records(log2)).length >= 20);
    expect(before).toBeLessThan(20);
    // the same records in the same order per partition (REGISTERED_AT follows the clock, so it is left out)
    const comparable = (rs: { partition: number; key: string; value: string }[]) =>
      [...rs].sort((x, y) => x.partition - y.partition).map((r) => ({ partition: r.partition, key: r.key, user: JSON.parse(r.value).USERNAME as string }));
    expect(comparable(await records(log2))).toEqual(comparable(expected));
  });
});
