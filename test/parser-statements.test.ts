import { describe, expect, it } from 'vitest';
import { parseStatement } from '../src/parser/index.js';
import { col, int, prim, stmt, str } from './parser-helpers.js';

describe('CREATE STREAM / TABLE', () => {
  it('parses columns, constraints and properties', () => {
    const s = stmt(
      "CREATE STREAM pageviews (id BIGINT KEY, url VARCHAR, tags ARRAY<STRING>, h BYTES HEADER('trace'), hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) WITH (kafka_topic='pv', value_format='JSON', partitions=3);",
    );
    expect(s).toEqual({
      kind: 'CreateSource',
      sourceType: 'STREAM',
      name: 'PAGEVIEWS',
      orReplace: false,
      ifNotExists: false,
      isSource: false,
      columns: [
        { name: 'ID', type: prim('BIGINT'), constraint: { kind: 'Key' } },
        { name: 'URL', type: prim('STRING') },
        { name: 'TAGS', type: { kind: 'Array', item: prim('STRING') } },
        { name: 'H', type: prim('BYTES'), constraint: { kind: 'Header', key: 'trace' } },
        {
          name: 'HS',
          type: {
            kind: 'Array',
            item: {
              kind: 'Struct',
              fields: [
                { name: 'KEY', type: prim('STRING') },
                { name: 'VALUE', type: prim('BYTES') },
              ],
            },
          },
          constraint: { kind: 'Headers' },
        },
      ],
      properties: [
        { name: 'KAFKA_TOPIC', value: str('pv') },
        { name: 'VALUE_FORMAT', value: str('JSON') },
        { name: 'PARTITIONS', value: int(3) },
      ],
    });
  });

  it('parses OR REPLACE, SOURCE, IF NOT EXISTS, PRIMARY KEY and all types', () => {
    const s = stmt(
      "create or replace source table if not exists users (id int primary key, b boolean, d double, dec decimal(10, 2), dt date, tm time, ts timestamp, m map<string, int>, addr address, `Quoted` integer) with (kafka_topic='u', \"format\"='AVRO', 'x.y'=-1.5)",
    );
    expect(s.kind).toBe('CreateSource');
    expect(s).toMatchObject({ sourceType: 'TABLE', name: 'USERS', orReplace: true, ifNotExists: true, isSource: true });
    expect(s.columns.map((c: { type: unknown }) => c.type)).toEqual([
      prim('INTEGER'),
      prim('BOOLEAN'),
      prim('DOUBLE'),
      { kind: 'Decimal', precision: 10, scale: 2 },
      prim('DATE'),
      prim('TIME'),
      prim('TIMESTAMP'),
      { kind: 'Map', key: prim('STRING'), value: prim('INTEGER') },
      { kind: 'Custom', name: 'ADDRESS' },
      prim('INTEGER'),
    ]);
    expect(s.columns[0].constraint).toEqual({ kind: 'PrimaryKey' });
    expect(s.columns[9].name).toBe('Quoted');
    expect(s.properties).toEqual([
      { name: 'KAFKA_TOPIC', value: str('u') },
      { name: 'FORMAT', value: str('AVRO') },
      { name: 'X.Y', value: { kind: 'Literal', literalType: 'DECIMAL', value: '-1.5' } },
    ]);
  });

  it('allows the column list to be omitted', () => {
    expect(stmt("CREATE TABLE t WITH (kafka_topic='t', format='AVRO')")).toMatchObject({ kind: 'CreateSource', columns: [] });
  });

  it('parses CREATE ... AS SELECT', () => {
    const s = stmt("CREATE TABLE totals WITH (kafka_topic='out') AS SELECT id, COUNT(*) AS n FROM clicks GROUP BY id EMIT CHANGES;");
    expect(s).toEqual({
      kind: 'CreateAsSelect',
      sourceType: 'TABLE',
      name: 'TOTALS',
      orReplace: false,
      ifNotExists: false,
      properties: [{ name: 'KAFKA_TOPIC', value: str('out') }],
      query: {
        kind: 'Query',
        select: [
          { kind: 'SingleColumn', expr: col('ID') },
          { kind: 'SingleColumn', expr: { kind: 'FunctionCall', name: 'COUNT', args: [], star: true, distinct: false }, alias: 'N' },
        ],
        from: { kind: 'AliasedSource', name: 'CLICKS' },
        groupBy: [col('ID')],
        emit: 'CHANGES',
      },
    });
  });

  it('rejects SOURCE or a column list with AS SELECT', () => {
    expect(() => parseStatement('CREATE SOURCE STREAM s AS SELECT * FROM t')).toThrow('line 1:8: Syntax Error\nCREATE SOURCE cannot be used with AS SELECT');
    expect(() => parseStatement('CREATE STREAM s (a INT) AS SELECT * FROM t')).toThrow(
      "line 1:25: Syntax Error\nmismatched input 'AS': a column list cannot be combined with AS SELECT",
    );
  });
});

describe('INSERT', () => {
  it('parses INSERT INTO ... SELECT with properties', () => {
    expect(stmt("INSERT INTO out WITH (query_id='q1') SELECT * FROM src")).toEqual({
      kind: 'InsertInto',
      target: 'OUT',
      properties: [{ name: 'QUERY_ID', value: str('q1') }],
      query: { kind: 'Query', select: [{ kind: 'AllColumns' }], from: { kind: 'AliasedSource', name: 'SRC' } },
    });
  });

  it('parses INSERT VALUES with and without columns', () => {
    expect(stmt("INSERT INTO s (id, name) VALUES (1, 'a')")).toEqual({
      kind: 'InsertValues',
      target: 'S',
      columns: ['ID', 'NAME'],
      values: [int(1), str('a')],
    });
    expect(stmt('INSERT INTO s VALUES (-1, NULL, ARRAY[1])')).toEqual({
      kind: 'InsertValues',
      target: 'S',
      values: [int(-1), { kind: 'Literal', literalType: 'NULL', value: null }, { kind: 'CreateArray', items: [int(1)] }],
    });
  });
});

describe('queries', () => {
  it('parses all clauses in order', () => {
    const s = stmt(
      'SELECT s.*, a AS x, b y FROM src s WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 2 DAYS, GRACE PERIOD 10 MINUTES) WHERE a > 1 GROUP BY (a, b) PARTITION BY a HAVING COUNT(*) > 2 EMIT FINAL LIMIT 5',
    );
    expect(s.kind).toBe('QueryStatement');
    expect(s.query).toEqual({
      kind: 'Query',
      select: [
        { kind: 'AllColumns', source: 'S' },
        { kind: 'SingleColumn', expr: col('A'), alias: 'X' },
        { kind: 'SingleColumn', expr: col('B'), alias: 'Y' },
      ],
      from: { kind: 'AliasedSource', name: 'SRC', alias: 'S' },
      window: {
        kind: 'Tumbling',
        size: { value: 1, unit: 'HOUR', ms: 3_600_000 },
        retention: { value: 2, unit: 'DAYS', ms: 172_800_000 },
        grace: { value: 10, unit: 'MINUTES', ms: 600_000 },
      },
      where: { kind: 'Comparison', op: '>', left: col('A'), right: int(1) },
      groupBy: [col('A'), col('B')],
      partitionBy: [col('A')],
      having: { kind: 'Comparison', op: '>', left: { kind: 'FunctionCall', name: 'COUNT', args: [], star: true, distinct: false }, right: int(2) },
      emit: 'FINAL',
      limit: 5,
    });
  });

  it('parses hopping and session windows', () => {
    expect(stmt('SELECT a FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECOND) GROUP BY a').query.window).toEqual({
      kind: 'Hopping',
      size: { value: 30, unit: 'SECONDS', ms: 30_000 },
      advance: { value: 10, unit: 'SECOND', ms: 10_000 },
    });
    expect(stmt('SELECT a FROM s WINDOW SESSION (5 MILLISECONDS, GRACE PERIOD 1 MILLISECOND) GROUP BY a').query.window).toEqual({
      kind: 'Session',
      gap: { value: 5, unit: 'MILLISECONDS', ms: 5 },
      grace: { value: 1, unit: 'MILLISECOND', ms: 1 },
    });
  });

  it('parses joins with every join type and WITHIN forms', () => {
    const q = stmt(
      'SELECT * FROM a JOIN b WITHIN 1 MINUTE ON a.id = b.id LEFT OUTER JOIN c cc WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON a.id = cc.id RIGHT JOIN d ON a.id = d.id FULL JOIN e AS ee ON a.id = ee.id INNER JOIN f ON a.id = f.id',
    ).query;
    const joins: any[] = [];
    for (let r = q.from; r.kind === 'Join'; r = r.left) joins.unshift(r);
    expect(joins.map((j) => j.joinType)).toEqual(['INNER', 'LEFT', 'RIGHT', 'FULL', 'INNER']);
    expect(joins.map((j) => j.right.alias)).toEqual([undefined, 'CC', undefined, 'EE', undefined]);
    expect(joins[0].within).toEqual({ before: { value: 1, unit: 'MINUTE', ms: 60_000 }, after: { value: 1, unit: 'MINUTE', ms: 60_000 } });
    expect(joins[1].within).toEqual({
      before: { value: 1, unit: 'SECOND', ms: 1000 },
      after: { value: 2, unit: 'SECONDS', ms: 2000 },
      grace: { value: 3, unit: 'SECONDS', ms: 3000 },
    });
    expect(joins[0].on).toEqual({ kind: 'Comparison', op: '=', left: col('ID', 'A'), right: col('ID', 'B') });
  });

  it('parses struct-all select items', () => {
    expect(stmt('SELECT v->*, v->a->* FROM s').query.select).toEqual([
      { kind: 'StructAll', base: col('V') },
      { kind: 'StructAll', base: { kind: 'Dereference', base: col('V'), field: 'A' } },
    ]);
  });

  it('does not mistake EMIT or PARTITION clauses for aliases', () => {
    expect(stmt('SELECT * FROM s EMIT CHANGES').query).toMatchObject({ from: { name: 'S' }, emit: 'CHANGES' });
    expect(stmt('SELECT * FROM s PARTITION BY x').query).toMatchObject({ from: { name: 'S' }, partitionBy: [col('X')] });
    expect(stmt('SELECT * FROM s emit EMIT CHANGES').query.from).toEqual({ kind: 'AliasedSource', name: 'S', alias: 'EMIT' });
  });
});

describe('other statements', () => {
  const cases: [string, unknown][] = [
    ['DROP STREAM s', { kind: 'DropSource', sourceType: 'STREAM', name: 'S', ifExists: false, deleteTopic: false }],
    ['DROP TABLE IF EXISTS t DELETE TOPIC', { kind: 'DropSource', sourceType: 'TABLE', name: 'T', ifExists: true, deleteTopic: true }],
    ['TERMINATE CSAS_OUT_0', { kind: 'Terminate', queryId: 'CSAS_OUT_0' }],
    ['TERMINATE ALL', { kind: 'Terminate' }],
    ['SHOW STREAMS', { kind: 'Show', what: 'STREAMS', extended: false }],
    ['LIST TABLES EXTENDED', { kind: 'Show', what: 'TABLES', extended: true }],
    ['SHOW QUERIES', { kind: 'Show', what: 'QUERIES', extended: false }],
    ['SHOW ALL TOPICS', { kind: 'Show', what: 'TOPICS', extended: false, all: true }],
    ['SHOW PROPERTIES', { kind: 'Show', what: 'PROPERTIES', extended: false }],
    ['SHOW FUNCTIONS', { kind: 'Show', what: 'FUNCTIONS', extended: false }],
    ['SHOW TYPES', { kind: 'Show', what: 'TYPES', extended: false }],
    ['SHOW VARIABLES', { kind: 'Show', what: 'VARIABLES', extended: false }],
    ['DESCRIBE s', { kind: 'Describe', name: 'S', extended: false }],
    ['DESCRIBE EXTENDED s', { kind: 'Describe', name: 'S', extended: true }],
    ['DESCRIBE s EXTENDED', { kind: 'Describe', name: 'S', extended: true }],
    ['DESCRIBE FUNCTION substring', { kind: 'DescribeFunction', name: 'SUBSTRING' }],
    ['DESCRIBE function', { kind: 'Describe', name: 'FUNCTION', extended: false }],
    ['EXPLAIN CTAS_T_1', { kind: 'Explain', queryId: 'CTAS_T_1' }],
    ["SET 'auto.offset.reset' = 'earliest'", { kind: 'SetProperty', name: 'auto.offset.reset', value: 'earliest' }],
    ["UNSET 'auto.offset.reset'", { kind: 'UnsetProperty', name: 'auto.offset.reset' }],
    [
      'CREATE TYPE addr AS STRUCT<city STRING>',
      { kind: 'CreateType', name: 'ADDR', ifNotExists: false, type: { kind: 'Struct', fields: [{ name: 'CITY', type: prim('STRING') }] } },
    ],
    ['CREATE TYPE IF NOT EXISTS ids AS ARRAY<BIGINT>', { kind: 'CreateType', name: 'IDS', ifNotExists: true, type: { kind: 'Array', item: prim('BIGINT') } }],
    ['DROP TYPE addr', { kind: 'DropType', name: 'ADDR', ifExists: false }],
    ['CREATE TYPE if AS INT', { kind: 'CreateType', name: 'IF', ifNotExists: false, type: prim('INTEGER') }],
    ['DROP STREAM if', { kind: 'DropSource', sourceType: 'STREAM', name: 'IF', ifExists: false, deleteTopic: false }],
    ['DROP TYPE IF EXISTS addr', { kind: 'DropType', name: 'ADDR', ifExists: true }],
    ["PRINT 'My-Topic' FROM BEGINNING INTERVAL 3 LIMIT 10", { kind: 'Print', topic: 'My-Topic', fromBeginning: true, interval: 3, limit: 10 }],
    ['PRINT myTopic', { kind: 'Print', topic: 'myTopic', fromBeginning: false }],
    ["DEFINE format = '''AVRO'''", { kind: 'Define', name: 'format', value: "'AVRO'" }],
    ['UNDEFINE format', { kind: 'Undefine', name: 'format' }],
  ];
  it.each(cases)('%s', (sql, expected) => {
    expect(stmt(sql)).toEqual(expected);
  });

  it('parses EXPLAIN of a statement', () => {
    const s = parseStatement('EXPLAIN SELECT * FROM s');
    expect(s.kind === 'Explain' && s.statement?.kind).toBe('QueryStatement');
    expect(s.kind === 'Explain' && s.statement?.text).toBe('SELECT * FROM s');
  });
});

describe('identifiers and lexical structure', () => {
  it('upper-cases unquoted identifiers and keeps quoted ones', () => {
    const sel = stmt('SELECT abc, `MiXed`, "dq", `a``b`, "x""y", 1abc FROM `Src`').query;
    expect(sel.select.map((i: any) => i.expr.name)).toEqual(['ABC', 'MiXed', 'dq', 'a`b', 'x"y', '1ABC']);
    expect(sel.from.name).toBe('Src');
  });

  it('accepts non-reserved keywords as identifiers', () => {
    const sel = stmt('SELECT key, value, size, timestamp, date, time, type, topic, format, start, headers, partitions, source, replace, id FROM s').query;
    expect(sel.select.map((i: any) => i.expr.name)).toEqual([
      'KEY',
      'VALUE',
      'SIZE',
      'TIMESTAMP',
      'DATE',
      'TIME',
      'TYPE',
      'TOPIC',
      'FORMAT',
      'START',
      'HEADERS',
      'PARTITIONS',
      'SOURCE',
      'REPLACE',
      'ID',
    ]);
    expect(stmt("CREATE STREAM key (key STRING KEY, value INT, session INT) WITH (kafka_topic='k')")).toMatchObject({
      name: 'KEY',
      columns: [{ name: 'KEY' }, { name: 'VALUE' }, { name: 'SESSION' }],
    });
  });

  it('accepts keywords case-insensitively', () => {
    expect(stmt('select A from S emit changes')).toEqual(stmt('SELECT a FROM s EMIT CHANGES'));
  });

  it('skips comments', () => {
    expect(stmt('SELECT /* block ; */ a -- line\n FROM s -- trailing')).toEqual(stmt('SELECT a FROM s'));
  });

  it('records statement text and positions', () => {
    const s = parseStatement('  SELECT a\n  FROM s;  ');
    expect(s.text).toBe('SELECT a\n  FROM s');
    expect(s.pos).toEqual({ line: 1, column: 3, offset: 2 });
    if (s.kind !== 'QueryStatement') throw new Error('kind');
    expect(s.query.from.pos).toEqual({ line: 2, column: 8, offset: 18 });
  });

  it('shifts positions by base', () => {
    const s = parseStatement('SELECT a\nFROM s', { line: 3, column: 5, offset: 40 });
    expect(s.pos).toEqual({ line: 3, column: 5, offset: 40 });
    if (s.kind !== 'QueryStatement') throw new Error('kind');
    const first = s.query.select[0];
    expect(first?.pos).toEqual({ line: 3, column: 12, offset: 47 });
    expect(s.query.from.pos).toEqual({ line: 4, column: 6, offset: 54 });
  });
});

describe("the testing tool's assertions (ksqlDB's assertStatement)", () => {
  it('parses ASSERT VALUES with a column list naming pseudo columns', () => {
    expect(stmt('ASSERT VALUES counts (id, WINDOWSTART, ROWTIME) VALUES (1, 0, 5);')).toEqual({
      kind: 'AssertValues',
      tombstone: false,
      target: 'COUNTS',
      columns: ['ID', 'WINDOWSTART', 'ROWTIME'],
      values: [int(1), int(0), int(5)],
      testOnly: { image: 'VALUES' },
    });
  });

  it('parses ASSERT NULL VALUES … KEY (…) as a tombstone assertion', () => {
    expect(stmt('ASSERT NULL VALUES t (id) KEY (1)')).toEqual({
      kind: 'AssertValues',
      tombstone: true,
      target: 'T',
      columns: ['ID'],
      values: [int(1)],
      testOnly: { image: 'NULL' },
    });
  });

  it('parses ASSERT STREAM / ASSERT TABLE with elements and properties', () => {
    expect(stmt("ASSERT TABLE t (id INT PRIMARY KEY, v STRING) WITH (kafka_topic='t')")).toEqual({
      kind: 'AssertSource',
      sourceType: 'TABLE',
      name: 'T',
      columns: [
        { name: 'ID', type: prim('INTEGER'), constraint: { kind: 'PrimaryKey' } },
        { name: 'V', type: prim('STRING') },
      ],
      properties: [{ name: 'KAFKA_TOPIC', value: str('t') }],
      testOnly: { image: 'TABLE' },
    });
  });

  it('refuses the two forms mixed, at the misplaced word', () => {
    expect(() => parseStatement('ASSERT VALUES t (id) KEY (1)')).toThrow("line 1:22: Syntax Error\nSyntax error at or near 'KEY' at line 1:22");
    expect(() => parseStatement('ASSERT NULL VALUES t (id) VALUES (1)')).toThrow("line 1:27: Syntax Error\nSyntax error at or near 'VALUES' at line 1:27");
    expect(() => parseStatement('ASSERT VALUES VALUES t (id) VALUES (1)')).toThrow("line 1:15: Syntax Error\nSyntax error at or near 'VALUES' at line 1:15");
  });
});
