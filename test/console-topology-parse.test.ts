import { describe, expect, it } from 'vitest';
import { type GraphLayout, layoutTopology } from '../console/src/topology/layout.js';
import { parseExecutionPlan } from '../console/src/topology/parse-plan.js';
import { parseTopology, type TopologyGraph } from '../console/src/topology/parse-topology.js';

/*
 * The topology texts below are what a running `sluice server` answered to
 * EXPLAIN <queryId> (the repartitioned one is what it prints in Kafka mode,
 * where a GROUP BY on another key reads through a repartition topic).
 */

const lines = (...l: string[]) => `${l.join('\n')}\n\n`;

/** CREATE STREAM filtered AS SELECT user_id, UCASE(page) AS p FROM pageviews WHERE ms > 10 */
const FILTER_PROJECT = lines(
  'Topologies:',
  '   Sub-topology: 0',
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [pageviews])',
  '      --> KSTREAM-FILTER-0000000001',
  '    Processor: KSTREAM-FILTER-0000000001 (stores: [])',
  '      --> KSTREAM-TRANSFORMVALUES-0000000002',
  '      <-- KSTREAM-SOURCE-0000000000',
  '    Processor: KSTREAM-TRANSFORMVALUES-0000000002 (stores: [])',
  '      --> KSTREAM-SINK-0000000003',
  '      <-- KSTREAM-FILTER-0000000001',
  '    Sink: KSTREAM-SINK-0000000003 (topic: FILTERED)',
  '      <-- KSTREAM-TRANSFORMVALUES-0000000002',
);

/** CREATE TABLE counts AS SELECT user_id, COUNT(*) AS n FROM pageviews WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user_id */
const WINDOWED_AGGREGATE = lines(
  'Topologies:',
  '   Sub-topology: 0',
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [pageviews])',
  '      --> KSTREAM-AGGREGATE-0000000001',
  '    Processor: KSTREAM-AGGREGATE-0000000001 (stores: [Aggregate-Aggregate-Materialize])',
  '      --> KTABLE-TRANSFORMVALUES-0000000002',
  '      <-- KSTREAM-SOURCE-0000000000',
  '    Processor: KTABLE-TRANSFORMVALUES-0000000002 (stores: [])',
  '      --> KSTREAM-SINK-0000000003',
  '      <-- KSTREAM-AGGREGATE-0000000001',
  '    Sink: KSTREAM-SINK-0000000003 (topic: COUNTS)',
  '      <-- KTABLE-TRANSFORMVALUES-0000000002',
);

/** CREATE STREAM enriched AS SELECT … FROM pageviews p JOIN users u ON p.user_id = u.id */
const STREAM_TABLE_JOIN = lines(
  'Topologies:',
  '   Sub-topology: 0',
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [pageviews])',
  '      --> KSTREAM-LEFTJOIN-0000000002',
  '    Source: KTABLE-SOURCE-0000000001 (topics: [users])',
  '      --> KSTREAM-LEFTJOIN-0000000002',
  '    Processor: KSTREAM-LEFTJOIN-0000000002 (stores: [])',
  '      --> KSTREAM-TRANSFORMVALUES-0000000003',
  '      <-- KSTREAM-SOURCE-0000000000, KTABLE-SOURCE-0000000001',
  '    Processor: KSTREAM-TRANSFORMVALUES-0000000003 (stores: [])',
  '      --> KSTREAM-SINK-0000000004',
  '      <-- KSTREAM-LEFTJOIN-0000000002',
  '    Sink: KSTREAM-SINK-0000000004 (topic: ENRICHED)',
  '      <-- KSTREAM-TRANSFORMVALUES-0000000003',
);

/** CREATE STREAM ssjoin AS SELECT … FROM pageviews p JOIN clicks c WITHIN 1 MINUTE ON p.user_id = c.user_id */
const STREAM_STREAM_JOIN = lines(
  'Topologies:',
  '   Sub-topology: 0',
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [pageviews])',
  '      --> KSTREAM-JOIN-0000000002',
  '    Source: KSTREAM-SOURCE-0000000001 (topics: [clicks])',
  '      --> KSTREAM-JOIN-0000000002',
  '    Processor: KSTREAM-JOIN-0000000002 (stores: [KSTREAM-JOINTHIS-store, KSTREAM-JOINOTHER-store])',
  '      --> KSTREAM-TRANSFORMVALUES-0000000003',
  '      <-- KSTREAM-SOURCE-0000000000, KSTREAM-SOURCE-0000000001',
  '    Processor: KSTREAM-TRANSFORMVALUES-0000000003 (stores: [])',
  '      --> KSTREAM-SINK-0000000004',
  '      <-- KSTREAM-JOIN-0000000002',
  '    Sink: KSTREAM-SINK-0000000004 (topic: SSJOIN)',
  '      <-- KSTREAM-TRANSFORMVALUES-0000000003',
);

const REPARTITION_TOPIC = '_confluent-ksql-default_query_CTAS_BYITEM_6-Aggregate-GroupBy-repartition';

/** CREATE TABLE byitem AS SELECT item, SUM(qty) AS total FROM orders WHERE qty > 0 GROUP BY item (orders keyed by id) */
const GROUP_BY_REPARTITION = lines(
  'Topologies:',
  '   Sub-topology: 0',
  '    Source: KSTREAM-SOURCE-0000000000 (topics: [orders])',
  '      --> KSTREAM-FILTER-0000000001',
  '    Processor: KSTREAM-FILTER-0000000001 (stores: [])',
  '      --> KSTREAM-SINK-0000000002',
  '      <-- KSTREAM-SOURCE-0000000000',
  `    Sink: KSTREAM-SINK-0000000002 (topic: ${REPARTITION_TOPIC})`,
  '      <-- KSTREAM-FILTER-0000000001',
  '',
  '   Sub-topology: 1',
  `    Source: KSTREAM-SOURCE-0000000003 (topics: [${REPARTITION_TOPIC}])`,
  '      --> KSTREAM-AGGREGATE-0000000004',
  '    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [Aggregate-Aggregate-Materialize])',
  '      --> KTABLE-TRANSFORMVALUES-0000000005',
  '      <-- KSTREAM-SOURCE-0000000003',
  '    Processor: KTABLE-TRANSFORMVALUES-0000000005 (stores: [])',
  '      --> KSTREAM-SINK-0000000006',
  '      <-- KSTREAM-AGGREGATE-0000000004',
  '    Sink: KSTREAM-SINK-0000000006 (topic: BYITEM)',
  '      <-- KTABLE-TRANSFORMVALUES-0000000005',
);

/** Kafka Streams' layout of a global store's sub-topology (a GlobalKTable). */
const GLOBAL_STORE = lines(
  'Topologies:',
  '   Sub-topology: 0 for global store (will not generate tasks)',
  '    Source: KSTREAM-SOURCE-0000000001 (topics: [regions])',
  '      --> KTABLE-SOURCE-0000000002',
  '    Processor: KTABLE-SOURCE-0000000002 (stores: [regions-STATE-STORE-0000000000])',
  '      --> none',
  '      <-- KSTREAM-SOURCE-0000000001',
  '   Sub-topology: 1',
  '    Source: KSTREAM-SOURCE-0000000003 (topics: [orders])',
  '      --> KSTREAM-SINK-0000000004',
  '    Sink: KSTREAM-SINK-0000000004 (topic: out)',
  '      <-- KSTREAM-SOURCE-0000000003',
);

const edgeList = (g: TopologyGraph) => g.edges.map((e) => `${e.from} -> ${e.to}`);
const kinds = (g: TopologyGraph) => Object.fromEntries(g.nodes.map((n) => [n.id, n.kind]));

describe('parseTopology', () => {
  it('reads a filter and projection as topic → source → filter → project → sink → topic', () => {
    const g = parseTopology(FILTER_PROJECT);
    expect(g.nodes.map((n) => n.id)).toEqual([
      'topic:pageviews',
      'KSTREAM-SOURCE-0000000000',
      'KSTREAM-FILTER-0000000001',
      'KSTREAM-TRANSFORMVALUES-0000000002',
      'KSTREAM-SINK-0000000003',
      'topic:FILTERED',
    ]);
    expect(kinds(g)).toEqual({
      'topic:pageviews': 'topic',
      'KSTREAM-SOURCE-0000000000': 'source',
      'KSTREAM-FILTER-0000000001': 'processor',
      'KSTREAM-TRANSFORMVALUES-0000000002': 'processor',
      'KSTREAM-SINK-0000000003': 'sink',
      'topic:FILTERED': 'topic',
    });
    expect(edgeList(g)).toEqual([
      'topic:pageviews -> KSTREAM-SOURCE-0000000000',
      'KSTREAM-SOURCE-0000000000 -> KSTREAM-FILTER-0000000001',
      'KSTREAM-FILTER-0000000001 -> KSTREAM-TRANSFORMVALUES-0000000002',
      'KSTREAM-TRANSFORMVALUES-0000000002 -> KSTREAM-SINK-0000000003',
      'KSTREAM-SINK-0000000003 -> topic:FILTERED',
    ]);
    expect(g.subTopologies).toEqual([{ id: 0, global: false }]);
  });

  it('labels operators by type and short name, topics and stores by name', () => {
    const g = parseTopology(WINDOWED_AGGREGATE);
    const agg = g.nodes.find((n) => n.id === 'KSTREAM-AGGREGATE-0000000001')!;
    expect(agg).toMatchObject({ kind: 'processor', label: 'KSTREAM-AGGREGATE', short: '#1', subTopology: 0 });
    expect(agg.detail).toBe('Processor KSTREAM-AGGREGATE-0000000001 in sub-topology 0, stores Aggregate-Aggregate-Materialize');
    expect(g.nodes.find((n) => n.id === 'store:Aggregate-Aggregate-Materialize')).toMatchObject({
      kind: 'store',
      label: 'Aggregate-Aggregate-Materialize',
      subTopology: 0,
    });
    expect(g.nodes.find((n) => n.id === 'topic:COUNTS')).toMatchObject({ kind: 'topic', label: 'COUNTS', subTopology: undefined });
    expect(edgeList(g)).toContain('KSTREAM-AGGREGATE-0000000001 -> store:Aggregate-Aggregate-Materialize');
  });

  it('gives a stream-table join two sources feeding the join', () => {
    const g = parseTopology(STREAM_TABLE_JOIN);
    expect(g.nodes.filter((n) => n.kind === 'source').map((n) => n.id)).toEqual(['KSTREAM-SOURCE-0000000000', 'KTABLE-SOURCE-0000000001']);
    expect(edgeList(g)).toEqual(
      expect.arrayContaining([
        'topic:pageviews -> KSTREAM-SOURCE-0000000000',
        'topic:users -> KTABLE-SOURCE-0000000001',
        'KSTREAM-SOURCE-0000000000 -> KSTREAM-LEFTJOIN-0000000002',
        'KTABLE-SOURCE-0000000001 -> KSTREAM-LEFTJOIN-0000000002',
      ]),
    );
    // `-->` on the sources and `<--` on the join state the same edges: each is listed once.
    expect(g.edges).toHaveLength(7);
  });

  it('attaches both window stores of a stream-stream join to the join', () => {
    const g = parseTopology(STREAM_STREAM_JOIN);
    expect(g.nodes.filter((n) => n.kind === 'store').map((n) => n.label)).toEqual(['KSTREAM-JOINTHIS-store', 'KSTREAM-JOINOTHER-store']);
    expect(edgeList(g).filter((e) => e.includes('store:'))).toEqual([
      'KSTREAM-JOIN-0000000002 -> store:KSTREAM-JOINTHIS-store',
      'KSTREAM-JOIN-0000000002 -> store:KSTREAM-JOINOTHER-store',
    ]);
  });

  it('links the sub-topologies of a GROUP BY through one repartition topic node', () => {
    const g = parseTopology(GROUP_BY_REPARTITION);
    const topic = `topic:${REPARTITION_TOPIC}`;
    expect(g.nodes.filter((n) => n.id === topic)).toHaveLength(1);
    expect(edgeList(g)).toEqual(expect.arrayContaining([`KSTREAM-SINK-0000000002 -> ${topic}`, `${topic} -> KSTREAM-SOURCE-0000000003`]));
    expect(g.subTopologies).toEqual([
      { id: 0, global: false },
      { id: 1, global: false },
    ]);
    expect(g.nodes.find((n) => n.id === 'KSTREAM-AGGREGATE-0000000004')?.subTopology).toBe(1);
  });

  it('marks a global store sub-topology and skips `--> none`', () => {
    const g = parseTopology(GLOBAL_STORE);
    expect(g.subTopologies).toEqual([
      { id: 0, global: true },
      { id: 1, global: false },
    ]);
    expect(edgeList(g)).toEqual([
      'topic:regions -> KSTREAM-SOURCE-0000000001',
      'KSTREAM-SOURCE-0000000001 -> KTABLE-SOURCE-0000000002',
      'KTABLE-SOURCE-0000000002 -> store:regions-STATE-STORE-0000000000',
      'topic:orders -> KSTREAM-SOURCE-0000000003',
      'KSTREAM-SOURCE-0000000003 -> KSTREAM-SINK-0000000004',
      'KSTREAM-SINK-0000000004 -> topic:out',
    ]);
  });

  it('gives an empty graph for empty or foreign text', () => {
    expect(parseTopology('')).toEqual({ nodes: [], edges: [], subTopologies: [] });
    expect(parseTopology('no topology here').nodes).toEqual([]);
  });
});

describe('parseExecutionPlan', () => {
  it('lists the physical plan steps with their inputs and schemas, and keeps the logical plan', () => {
    const plan = parseExecutionPlan(
      [
        'Logical plan:',
        '  Sink COUNTS (TABLE, topic COUNTS, key KAFKA, value JSON)',
        '    Project KEY [USER_ID] VALUE [KSQL_AGG_VARIABLE_0]',
        '      Aggregate GROUP BY [USER_ID] WINDOW TUMBLING AGGREGATES [COUNT()]',
        '        Source PAGEVIEWS (STREAM, topic pageviews)',
        '',
        'Physical plan (version 1):',
        '  1. StreamSource  [USER_ID STRING KEY, PAGE STRING, MS INTEGER, ROWTIME BIGINT, ROWPARTITION INTEGER, ROWOFFSET BIGINT]',
        '  2. StreamWindowedAggregate <- 1  [USER_ID STRING KEY, KSQL_AGG_VARIABLE_0 BIGINT, WINDOWSTART BIGINT, WINDOWEND BIGINT]',
        '  3. TableSelect <- 2  [USER_ID STRING KEY, N BIGINT]',
        '  4. TableSink <- 3  [USER_ID STRING KEY, N BIGINT]',
      ].join('\n'),
    );
    expect(plan.physical).toEqual([
      {
        index: 1,
        operator: 'StreamSource',
        inputs: [],
        schema: 'USER_ID STRING KEY, PAGE STRING, MS INTEGER, ROWTIME BIGINT, ROWPARTITION INTEGER, ROWOFFSET BIGINT',
      },
      {
        index: 2,
        operator: 'StreamWindowedAggregate',
        inputs: [1],
        schema: 'USER_ID STRING KEY, KSQL_AGG_VARIABLE_0 BIGINT, WINDOWSTART BIGINT, WINDOWEND BIGINT',
      },
      { index: 3, operator: 'TableSelect', inputs: [2], schema: 'USER_ID STRING KEY, N BIGINT' },
      { index: 4, operator: 'TableSink', inputs: [3], schema: 'USER_ID STRING KEY, N BIGINT' },
    ]);
    expect(plan.logical.split('\n')[0]).toBe('Sink COUNTS (TABLE, topic COUNTS, key KAFKA, value JSON)');
    expect(plan.logical.split('\n')[3]).toBe('      Source PAGEVIEWS (STREAM, topic pageviews)');
  });

  it('reads a join step with two inputs and nested types in its schema', () => {
    const plan = parseExecutionPlan('Physical plan (version 1):\n  3. StreamTableJoin <- 1, 2  [K STRING KEY, A ARRAY<STRUCT<X INTEGER>>]\n');
    expect(plan.physical).toEqual([{ index: 3, operator: 'StreamTableJoin', inputs: [1, 2], schema: 'K STRING KEY, A ARRAY<STRUCT<X INTEGER>>' }]);
    expect(plan.logical).toBe('');
  });
});

/** Crossings between edges joining neighbouring columns, counted from the drawn positions. */
function drawnCrossings(g: TopologyGraph, layout: GraphLayout): number {
  const box = new Map(layout.boxes.map((b) => [b.id, b]));
  const spans = g.edges.map((e) => [box.get(e.from)!, box.get(e.to)!] as const).filter(([a, b]) => b.layer === a.layer + 1);
  let n = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const [a, b] = spans[i]!;
      const [c, d] = spans[j]!;
      if (a.layer === c.layer && (a.y - c.y) * (b.y - d.y) < 0) n++;
    }
  }
  return n;
}

describe('layoutTopology', () => {
  it('puts each node in the column of its longest path from a topic, left to right', () => {
    const g = parseTopology(GROUP_BY_REPARTITION);
    const layout = layoutTopology(g);
    const layer = Object.fromEntries(layout.boxes.map((b) => [b.id, b.layer]));
    expect(layer).toMatchObject({
      'topic:orders': 0,
      'KSTREAM-SOURCE-0000000000': 1,
      'KSTREAM-FILTER-0000000001': 2,
      'KSTREAM-SINK-0000000002': 3,
      [`topic:${REPARTITION_TOPIC}`]: 4,
      'KSTREAM-SOURCE-0000000003': 5,
      'KSTREAM-AGGREGATE-0000000004': 6,
      'KTABLE-TRANSFORMVALUES-0000000005': 7,
      'KSTREAM-SINK-0000000006': 8,
      'topic:BYITEM': 9,
    });
    for (const e of layout.routes.filter((r) => !r.attached)) expect(e.end[0]).toBeGreaterThan(e.start[0]);
  });

  it('hangs a store under its processor, in its column', () => {
    const layout = layoutTopology(parseTopology(STREAM_STREAM_JOIN));
    const box = new Map(layout.boxes.map((b) => [b.id, b]));
    const join = box.get('KSTREAM-JOIN-0000000002')!;
    const mine = box.get('store:KSTREAM-JOINTHIS-store')!;
    const other = box.get('store:KSTREAM-JOINOTHER-store')!;
    expect([mine.layer, other.layer]).toEqual([join.layer, join.layer]);
    expect(mine.y).toBeGreaterThan(join.y + join.height);
    expect(other.y).toBeGreaterThan(mine.y + mine.height);
    const route = layout.routes.find((r) => r.to === 'store:KSTREAM-JOINTHIS-store')!;
    expect(route.attached).toBe(true);
    expect(route.start).toEqual([join.x + join.width / 2, join.y + join.height]);
  });

  it('keeps every box inside the drawing and boxes of a column apart', () => {
    for (const text of [FILTER_PROJECT, WINDOWED_AGGREGATE, STREAM_TABLE_JOIN, STREAM_STREAM_JOIN, GROUP_BY_REPARTITION, GLOBAL_STORE]) {
      const layout = layoutTopology(parseTopology(text));
      for (const b of layout.boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.y).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(layout.width);
        expect(b.y + b.height).toBeLessThanOrEqual(layout.height);
      }
      for (const column of layout.layers) {
        const boxes = column.map((id) => layout.boxes.find((b) => b.id === id)!);
        for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height);
      }
    }
  });

  it('orders a column to remove crossings the text order would cause', () => {
    // Sources listed a, b but feeding joins listed in the other order: text order crosses, barycenters do not.
    const g = parseTopology(
      lines(
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: SA (topics: [a])',
        '      --> P2',
        '    Source: SB (topics: [b])',
        '      --> P1',
        '    Processor: P1 (stores: [])',
        '      --> none',
        '    Processor: P2 (stores: [])',
        '      --> none',
      ),
    );
    const layout = layoutTopology(g);
    expect(drawnCrossings(g, layout)).toBe(0);
    expect(layout.layers[2]).toEqual(['P2', 'P1']);
  });

  it('is deterministic', () => {
    const g = parseTopology(STREAM_TABLE_JOIN);
    expect(layoutTopology(g)).toEqual(layoutTopology(parseTopology(STREAM_TABLE_JOIN)));
  });

  it('lays out an empty graph as an empty drawing', () => {
    const layout = layoutTopology(parseTopology(''));
    expect(layout.boxes).toEqual([]);
    expect(layout.width).toBeGreaterThan(0);
  });
});
