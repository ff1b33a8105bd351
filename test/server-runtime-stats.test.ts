import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatStats, isoOffsetDateTime } from '../src/runtime/query/query-stats.js';
import { describeIf } from './helpers/describe-if.js';
import { eventually } from './helpers/eventually.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { ksql } from './server-helpers.js';

/** ksqlDB's `last-message` / `last-failed` time: Java's ISO_OFFSET_DATE_TIME in UTC. */
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,3})?Z';

/** The topology of `CREATE STREAM … AS SELECT * FROM SRC WHERE …` into topic `sink`. */
const filterTopology = (source: string, sink: string) =>
  [
    'Topologies:',
    '   Sub-topology: 0',
    `    Source: KSTREAM-SOURCE-0000000000 (topics: [${source}])`,
    '      --> KSTREAM-FILTER-0000000001',
    '    Processor: KSTREAM-FILTER-0000000001 (stores: [])',
    '      --> KSTREAM-TRANSFORMVALUES-0000000002',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Processor: KSTREAM-TRANSFORMVALUES-0000000002 (stores: [])',
    '      --> KSTREAM-SINK-0000000003',
    '      <-- KSTREAM-FILTER-0000000001',
    `    Sink: KSTREAM-SINK-0000000003 (topic: ${sink})`,
    '      <-- KSTREAM-TRANSFORMVALUES-0000000002',
    '',
    '',
  ].join('\n');

it('formats statistics as ksqlDB does: %16s:%10.0f or %10.2f, then the last event time', () => {
  const at = Date.UTC(2024, 0, 2, 3, 4, 5, 670);
  expect(isoOffsetDateTime(at)).toBe('2024-01-02T03:04:05.67Z');
  expect(isoOffsetDateTime(Date.UTC(2024, 0, 2, 3, 4, 5, 0))).toBe('2024-01-02T03:04:05Z');
  expect(
    formatStats(
      [
        { name: 'messages-per-sec', value: 0.25, last: at },
        { name: 'total-messages', value: 12, last: at },
      ],
      'last-message',
    ),
  ).toBe('messages-per-sec:      0.25   total-messages:        12     last-message: 2024-01-02T03:04:05.67Z');
  expect(formatStats([{ name: 'consumer-failed-messages', value: 1, last: 0 }], 'last-failed')).toBe(
    'consumer-failed-messages:         1      last-failed:       n/a',
  );
  expect(formatStats([], 'last-message')).toBe('');
});

describeIf(BUNDLE_BUILT, 'dist/sluice.mjs is built')('runtime statistics in ksqlDB entities, from a real server process', () => {
  let s: ServerProcess;
  let queryId: string;
  const N = 10;
  beforeAll(async () => {
    s = await startServerProcess();
    await ksql(
      s.url,
      "CREATE STREAM SRC (ID INT KEY, A INT) WITH (kafka_topic='src', partitions=1, value_format='json'); CREATE STREAM EVENS AS SELECT * FROM SRC WHERE A % 2 = 0;",
    );
    await ksql(s.url, Array.from({ length: N }, (_, i) => `INSERT INTO SRC (ID, A) VALUES (${i}, ${i});`).join(' '));
    queryId = ((await ksql(s.url, 'SHOW QUERIES;'))[0].queries as { id: string }[])[0]!.id;
  }, 90_000);
  afterAll(async () => {
    await s?.stop();
  });

  const describe = async (name: string) => (await ksql(s.url, `DESCRIBE ${name} EXTENDED;`))[0].sourceDescription as { statistics: string; errorStats: string };

  it('DESCRIBE … EXTENDED: statistics count what the query consumed and produced; errorStats stay empty without failures', async () => {
    const src = await eventually('the query to consume every record', async () => {
      const d = await describe('SRC');
      return d.statistics.includes(`consumer-total-messages:${String(N).padStart(10)}`) && d;
    });
    expect(src.statistics).toMatch(
      new RegExp(`^consumer-messages-per-sec:\\s+\\d+(?:\\.\\d\\d)? consumer-total-messages:${String(N).padStart(10)}     last-message: ${ISO}$`),
    );
    expect(src.errorStats).toBe('');
    const out = await describe('EVENS');
    expect(out.statistics).toMatch(
      new RegExp(`^messages-per-sec:\\s+\\d+(?:\\.\\d\\d)?   total-messages:${String(N / 2).padStart(10)}     last-message: ${ISO}$`),
    );
    expect(out.errorStats).toBe('');
  });

  it('DESCRIBE … EXTENDED: errorStats count a record the query could not read', async () => {
    await ksql(
      s.url,
      "CREATE STREAM BADIN (ID INT KEY, A INT) WITH (kafka_topic='badin', partitions=1, value_format='json'); CREATE STREAM BADOUT AS SELECT * FROM BADIN;",
    );
    await ksql(
      s.url,
      "CREATE STREAM BADRAW (ID INT KEY, A STRING) WITH (kafka_topic='badin', value_format='delimited'); INSERT INTO BADRAW (ID, A) VALUES (1, 'nope');",
    );
    const d = await eventually('the failure counted', async () => {
      const x = await describe('BADIN');
      return x.errorStats !== '' && x;
    });
    expect(d.errorStats).toMatch(
      new RegExp(`^consumer-failed-messages:         1 consumer-failed-messages-per-sec:\\s+\\d+(?:\\.\\d\\d)?      last-failed: ${ISO}$`),
    );
    expect(d.statistics).toMatch(new RegExp(`^consumer-messages-per-sec:\\s+\\S+ consumer-total-messages:         1     last-message: ${ISO}$`));
  });

  it('SHOW STREAMS EXTENDED: each description with its queries and the same statistics as DESCRIBE', async () => {
    const list = (await ksql(s.url, 'SHOW STREAMS EXTENDED;'))[0].sourceDescriptions as Record<string, unknown>[];
    const src = list.find((d) => d.name === 'SRC')!;
    const single = (await ksql(s.url, 'DESCRIBE SRC EXTENDED;'))[0].sourceDescription as Record<string, unknown>;
    expect((src.readQueries as { id: string }[]).map((q) => q.id)).toEqual([queryId]);
    expect(src.writeQueries).toEqual([]);
    expect(String(src.statistics)).toMatch(new RegExp(`consumer-total-messages:${String(N).padStart(10)}     last-message: ${ISO}$`));
    expect(String(src.statistics).replace(/per-sec:\s+\S+/, '')).toBe(String(single.statistics).replace(/per-sec:\s+\S+/, ''));
    const evens = list.find((d) => d.name === 'EVENS')!;
    expect((evens.writeQueries as { id: string }[]).map((q) => q.id)).toEqual([queryId]);
  });

  it('SHOW QUERIES EXTENDED: the topology and one task per partition', async () => {
    const descriptions = (await ksql(s.url, 'SHOW QUERIES EXTENDED;'))[0].queryDescriptions as Record<string, unknown>[];
    const q = descriptions.find((d) => d.id === queryId)!;
    expect(q.statementText).toBe('CREATE STREAM EVENS AS SELECT * FROM SRC WHERE A % 2 = 0');
    expect(q.topology).toBe(filterTopology('src', 'EVENS'));
    expect(q.tasksMetadata).toEqual([
      { taskId: '0_0', topicPartitions: [{ topic: 'src', partition: 0 }], endOffsets: {}, committedOffsets: {}, timeCurrentIdlingStarted: null },
    ]);
    expect(q.sources).toEqual(['SRC']);
    expect(q.sinks).toEqual(['EVENS']);
  });

  it('EXPLAIN <query id>: the query’s own statement, its topology and tasks', async () => {
    const d = (await ksql(s.url, `EXPLAIN ${queryId};`))[0].queryDescription as Record<string, unknown>;
    expect(d.id).toBe(queryId);
    expect(d.statementText).toBe('CREATE STREAM EVENS AS SELECT * FROM SRC WHERE A % 2 = 0');
    expect(d.topology).toBe(filterTopology('src', 'EVENS'));
    expect(d.sources).toEqual(['SRC']);
    expect(d.sinks).toEqual(['EVENS']);
    expect(d.state).toBe('RUNNING');
    expect(d.queryType).toBe('PERSISTENT');
    expect((d.tasksMetadata as unknown[]).length).toBe(1);
    expect(String(d.executionPlan)).toContain('StreamFilter');
  });

  it('EXPLAIN <statement>: the statement explained, not the EXPLAIN, with the topology it would run', async () => {
    const d = (await ksql(s.url, 'EXPLAIN CREATE STREAM ODDS AS SELECT * FROM SRC WHERE A % 2 = 1;'))[0].queryDescription as Record<string, unknown>;
    expect(d.statementText).toBe('CREATE STREAM ODDS AS SELECT * FROM SRC WHERE A % 2 = 1');
    expect(d.topology).toBe(filterTopology('src', 'ODDS'));
    expect(d.sources).toEqual(['SRC']);
    expect(d.sinks).toEqual(['ODDS']);
    expect(d.queryType).toBe('TRANSIENT');
  });
});
