/**
 * Built-in connectors across restarts, over real logs: a file sink resumes
 * from the positions it keeps with its file; a source's position travels with
 * the records it appends, so a batch cut short by a crash (across partitions,
 * or torn inside one) is undone; the datagen source continues its seeded
 * sequence after a restart with nothing lost or repeated.
 */
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_HEADER, POSITION_HEADER, recoverPosition } from '../src/runtime/connectors/source-runner.js';
import { FileLog } from '../src/runtime/log/file-log.js';
import type { Log } from '../src/runtime/log/log.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { partitionFor } from '../src/runtime/log/murmur2.js';
import { FILE_SINK, NOT_EXISTS, connectorSetup, fileLines } from './helpers/connectors.js';
import { eventually } from './helpers/eventually.js';

const SINK = FILE_SINK;
const lines = fileLines;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
const setup = (log?: Log, dir?: string) => connectorSetup(open, log, dir);

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
