/**
 * The datagen source plugin driven directly: Confluent datagen's property
 * names checked with Connect's wording, polls returning the CLI's records and
 * positions, `iterations` as a bound, `max.interval` pacing, and a restart from
 * a stored position continuing the same sequence.
 */
import { describe, expect, it } from 'vitest';
import { DATAGEN_CLASS, DatagenSourceTask, datagenSourcePlugin } from '../src/runtime/connectors/datagen/datagen-source.js';
import { itIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT } from './helpers/server-process.js';
import { DIST } from './helpers/describe-if.js';
import { runSluiceAsync } from './repl-helpers.js';
import type { SourceContext } from '../src/runtime/connectors/builtin-plugin.js';

/** A fixed clock: the time fields of generated records do not change between runs. */
const T0 = 1_765_000_000_000;
const at = (ms: number) => () => ms;

/** A record's key and value as text. */
function text(records: readonly { key: Buffer | null; value: Buffer | null }[]): [string | null, string | null][] {
  return records.map((r) => [r.key?.toString('utf8') ?? null, r.value?.toString('utf8') ?? null]);
}

describe('datagen source plugin', () => {
  it("is Confluent's DatagenConnector class, a source, with its short aliases", () => {
    expect([datagenSourcePlugin.className, datagenSourcePlugin.type, datagenSourcePlugin.aliases]).toEqual([
      'io.confluent.kafka.connect.datagen.DatagenConnector',
      'source',
      ['DatagenConnector', 'Datagen'],
    ]);
    expect(DATAGEN_CLASS).toBe(datagenSourcePlugin.className);
  });

  it('validates the config with Connect-worded problems', () => {
    expect(datagenSourcePlugin.validate({ 'connector.class': DATAGEN_CLASS, quickstart: 'orders', 'kafka.topic': 'orders' })).toEqual([]);
    expect(datagenSourcePlugin.validate({ quickstart: 'stock_trades' })).toEqual([
      'Missing required configuration "kafka.topic" which has no default value.',
      'Invalid value stock_trades for configuration quickstart: must be one of orders, users, pageviews, clickstream, transactions, monitoring',
    ]);
    expect(datagenSourcePlugin.validate({ 'kafka.topic': 't', 'max.interval': 'soon', iterations: '1.5' })).toEqual([
      'Missing required configuration "quickstart" which has no default value.',
      'Invalid value soon for configuration max.interval: Not a number of type LONG',
      'Invalid value 1.5 for configuration iterations: Not a number of type INT',
    ]);
    expect(datagenSourcePlugin.validate({ 'kafka.topic': 't', 'schema.filename': '/tmp/s.avro', quickstart: 'users' })).toEqual([
      "Invalid value /tmp/s.avro for configuration schema.filename: Sluice's datagen has only the quickstarts; set quickstart instead",
    ]);
    const context: SourceContext = { connector: 'dg', logger: { error: () => undefined } };
    expect(() => datagenSourcePlugin.createSource!({ quickstart: 'users' }, context)).toThrow(
      'Missing required configuration "kafka.topic" which has no default value.',
    );
  });

  it('polls up to max records with their position, and stops after iterations', async () => {
    const task = new DatagenSourceTask({ quickstart: 'users', 'kafka.topic': 'users', 'max.interval': '0', iterations: '5', 'random.seed': '7' }, at(T0));
    const first = await task.poll(undefined, 3);
    expect(first.records).toHaveLength(3);
    expect(JSON.parse(first.position!)).toEqual({ 'task.generation': 0, 'current.iteration': 3, 'random.seed': 7 });
    // users: every id once, in order; the key is the id as text, the value has the other columns upper-case.
    expect(text(first.records).map(([k]) => k)).toEqual(['1', '2', '3']);
    expect(JSON.parse(first.records[0]!.value!.toString())).toMatchObject({ USERNAME: 'alice_1', FIRST_NAME: 'Alice', LEVEL: 'Silver' });
    expect(first.records.every((r) => r.timestamp === T0)).toBe(true);
    const second = await task.poll(first.position, 3);
    expect(text(second.records).map(([k]) => k)).toEqual(['4', '5']);
    expect(JSON.parse(second.position!)['current.iteration']).toBe(5);
    const done = await task.poll(second.position, 3);
    expect(done).toEqual({ records: [], position: second.position });
  });

  it('restarted from a stored position, continues the same sequence (a new task generation)', async () => {
    const config = { quickstart: 'transactions', 'kafka.topic': 'authorizations', 'max.interval': '0', 'random.seed': '42' };
    const straight = await new DatagenSourceTask(config, at(T0)).poll(undefined, 7);
    const before = new DatagenSourceTask(config, at(T0));
    const head = await before.poll(undefined, 4);
    await before.close();
    const after = new DatagenSourceTask(config, at(T0));
    const tail = await after.poll(head.position, 3);
    expect(text([...head.records, ...tail.records])).toEqual(text(straight.records));
    expect(JSON.parse(tail.records[0]!.value!.toString()).TRANSACTION_ID).toBe('tx-0000005');
    expect(JSON.parse(tail.position!)).toEqual({ 'task.generation': 1, 'current.iteration': 7, 'random.seed': 42 });
  });

  it('paces records by max.interval: each is due a random wait after the one before; a late poll catches up', async () => {
    let now = T0;
    const task = new DatagenSourceTask(
      { quickstart: 'pageviews', 'kafka.topic': 'pageviews', 'max.interval': '100', 'random.seed': '1' },
      () => now,
      () => 0.5,
    );
    expect((await task.poll(undefined, 10)).records).toHaveLength(1); // due at T0; the next at T0 + 50
    now = T0 + 49;
    expect((await task.poll(undefined, 10)).records).toHaveLength(0);
    now = T0 + 50;
    expect((await task.poll(undefined, 10)).records).toHaveLength(1);
    now = T0 + 1_000; // 19 more due (T0 + 100 … T0 + 1000), at most 10 per poll
    expect((await task.poll(undefined, 10)).records).toHaveLength(10);
    expect((await task.poll(undefined, 10)).records).toHaveLength(9);
  });

  itIf(BUNDLE_BUILT, DIST)('writes the records `sluice datagen` writes for the same seed', async () => {
    const cli = await runSluiceAsync(['datagen', '--quickstart', 'orders', '--dry-run', '--iterations', '5', '--seed', '42']);
    expect(cli.code).toBe(0);
    const { records } = await new DatagenSourceTask({ quickstart: 'orders', 'kafka.topic': 'orders', 'max.interval': '0', 'random.seed': '42' }).poll(
      undefined,
      5,
    );
    // The CLI prints `key --> value`; ORDERTIME is the time of writing in both, so it is left out.
    const withoutTime = (line: string) => line.replace(/"ORDERTIME":\d+,/, '');
    expect(text(records).map(([k, v]) => withoutTime(`${k} --> ${v}`))).toEqual(cli.out.trim().split('\n').map(withoutTime));
  });
});
