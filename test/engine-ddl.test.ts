/**
 * DDL and DML statements end to end: CREATE validation, DROP, TERMINATE,
 * INSERT INTO … VALUES / SELECT, PARTITION BY, sink topics, CREATE TYPE,
 * DEFINE / ${var}, EXPLAIN. Expected behaviour and message fragments are from
 * ksqlDB's docs ("CREATE STREAM", "CREATE TABLE", "DROP STREAM", "TERMINATE",
 * "INSERT VALUES", "INSERT INTO", "PARTITION BY", "CREATE TYPE", "DEFINE",
 * "EXPLAIN", "Serialization formats": KAFKA supports only primitive types)
 * and its error messages.
 */
import { describe, expect, it } from 'vitest';
import { on, run, runError, startEngine } from './helpers/engine-harness.js';
import { runCase } from '../src/runtime/testing/case-runner.js';
import { LimitError } from '../src/common/errors.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';

const S = `CREATE STREAM S (ID STRING KEY, NAME STRING, AMT INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;

describe('CREATE STREAM / TABLE validation', () => {
  it('rejects a source over a missing topic unless PARTITIONS is given', async () => {
    // Engine directly: runCase auto-creates topics the way ksqlDB's test runner does.
    const h = await startEngine();
    const err = await h.engine.execute(`CREATE STREAM X (ID STRING KEY, V INT) WITH (kafka_topic='nowhere', value_format='JSON');`).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/Topic 'nowhere' does not exist/);
    expect(err?.message).toMatch(/PARTITIONS/);
    expect(await h.log.topic('nowhere')).toBeUndefined();
    // with PARTITIONS the topic is created with that many partitions and the stream works
    await h.engine.execute(`CREATE STREAM X (ID STRING KEY, V INT) WITH (kafka_topic='nowhere', value_format='JSON', partitions=2);`);
    expect((await h.log.topic('nowhere'))?.partitions).toBe(2);
    await h.engine.execute(`INSERT INTO X (ROWTIME, ID, V) VALUES (7, 'k', 1);`);
    expect((await h.read('nowhere')).map((r) => [r.key, JSON.parse(r.value!), r.timestamp])).toEqual([['k', { V: 1 }, 7]]);
  });

  it('rejects PRIMARY KEY on a stream and KEY on a table', async () => {
    expect(await runError(`CREATE STREAM X (ID STRING PRIMARY KEY, V INT) WITH (kafka_topic='x', value_format='JSON', partitions=1);`)).toMatch(
      /please use 'KEY' for streams/,
    );
    expect(await runError(`CREATE TABLE X (ID STRING KEY, V INT) WITH (kafka_topic='x', value_format='JSON', partitions=1);`)).toMatch(
      /please use 'PRIMARY KEY' for tables/,
    );
  });

  it('rejects a table without a PRIMARY KEY', async () => {
    expect(await runError(`CREATE TABLE X (V INT) WITH (kafka_topic='x', value_format='JSON', partitions=1);`)).toMatch(/Tables require a PRIMARY KEY/);
  });

  it.each(['ROWTIME', 'ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND'])('rejects the reserved column name %s', async (name) => {
    const err = await runError(`CREATE STREAM X (ID STRING KEY, ${name} BIGINT) WITH (kafka_topic='x', value_format='JSON', partitions=1);`);
    expect(err).toMatch(new RegExp(`'${name}' is a reserved column name`));
  });

  it('rejects a STRUCT in the KAFKA format (primitive types only)', async () => {
    const err = await runError(`CREATE STREAM X (ID STRING KEY, V STRUCT<A INT>) WITH (kafka_topic='x', value_format='KAFKA', partitions=1);`);
    expect(err).toMatch(/KAFKA/);
    expect(err).toMatch(/STRUCT/);
  });

  it('rejects a second source with the same name, but not with IF NOT EXISTS', async () => {
    expect(await runError(`${S} ${S}`)).toMatch(/already exists/);
    await expect(run(`${S} ${S.replace('CREATE STREAM', 'CREATE STREAM IF NOT EXISTS')}`, [])).resolves.toEqual([]);
  });

  it("refuses PARTITIONS <= 0 at the property with Kafka's message (issue 13)", async () => {
    for (const n of ['0', '-1']) {
      expect(await runError(`CREATE STREAM X (ID INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', partitions=${n});`)).toMatch(
        /line 1:81: Number of partitions must be larger than 0\./,
      );
    }
    expect(
      await runError(
        `CREATE STREAM X (ID INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', partitions=1); CREATE STREAM Y WITH (partitions=0) AS SELECT * FROM X;`,
      ),
    ).toMatch(/Number of partitions must be larger than 0\./);
  });

  it('refuses a topic of more partitions than the embedded log allows (default 1000)', async () => {
    const engine = new Engine({ log: new MemoryLog() });
    const refused = engine.execute(`CREATE STREAM X (ID INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', partitions=1001);`);
    await expect(refused).rejects.toThrow(LimitError);
    await expect(refused).rejects.toThrow(
      "Cannot create topic 'x' with 1001 partitions: the embedded log allows at most 1000 (server property sluice.embedded.max.partitions).",
    );
    await engine.execute(`CREATE STREAM X (ID INT KEY, A INT) WITH (kafka_topic='x', value_format='JSON', partitions=1000);`);
    await expect(engine.execute('CREATE STREAM Y WITH (partitions=100000000) AS SELECT * FROM X;')).rejects.toThrow(
      "Cannot create topic 'Y' with 100000000 partitions",
    );
    await engine.close();
  });
});

describe('DROP and TERMINATE', () => {
  it('DROP removes a source so it can be created again; DROP IF EXISTS tolerates a missing one', async () => {
    const out = await run(
      `${S} DROP STREAM S; DROP STREAM IF EXISTS S;
       CREATE STREAM S (ID STRING KEY, OTHER INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
       CREATE STREAM OUT AS SELECT * FROM S;`,
      [{ topic: 's', key: 'k', value: { OTHER: 3, NAME: 'ignored' }, timestamp: 1 }],
    );
    expect(on('OUT', out)).toEqual([{ key: 'k', value: { OTHER: 3 }, timestamp: 1 }]);
  });

  it('DROP of a missing source, of the wrong kind, or of a source a query reads from is rejected', async () => {
    expect(await runError('DROP STREAM NOPE;')).toMatch(/NOPE does not exist/);
    expect(await runError(`${S} DROP TABLE S;`)).toMatch(/Incompatible data source type is STREAM/);
    const err = await runError(`${S} CREATE STREAM OUT AS SELECT * FROM S; DROP STREAM S;`);
    expect(err).toMatch(/Cannot drop S/);
    expect(err).toMatch(/CSAS_OUT_\d+/);
  });

  it('TERMINATE stops a query: later input no longer reaches its sink', async () => {
    const h = await startEngine(['s']);
    const [, created] = await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, AMT FROM S;`);
    const queryId = created && 'queryId' in created ? created.queryId : undefined;
    expect(queryId).toMatch(/^CSAS_OUT_\d+$/);
    await h.write({ topic: 's', key: 'a', value: '{"AMT":1}' });
    await h.engine.execute(`TERMINATE ${queryId};`);
    await h.write({ topic: 's', key: 'b', value: '{"AMT":2}' });
    expect((await h.read('OUT')).map((r) => r.key)).toEqual(['a']);
    await expect(h.engine.execute('TERMINATE NO_SUCH_QUERY;')).rejects.toMatchObject({ errorCode: 40001, message: 'Unknown queryId: NO_SUCH_QUERY' });
    // with its writer gone, the sink can be dropped
    await h.engine.execute('DROP STREAM OUT;');
    expect(h.engine.catalog.getSource('OUT')).toBeUndefined();
  });
});

describe('TERMINATE ALL', () => {
  it('stops every running query', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM O1 AS SELECT ID, AMT FROM S; CREATE STREAM O2 AS SELECT ID, NAME FROM S; TERMINATE ALL;`);
    expect(h.engine.queries.size).toBe(0);
    await h.write({ topic: 's', key: 'a', value: '{"AMT":1,"NAME":"n"}' });
    expect(await h.read('O1')).toEqual([]);
    expect(await h.read('O2')).toEqual([]);
  });
});

describe('INSERT INTO', () => {
  it('INSERT INTO … VALUES writes one record; unlisted columns are null; ROWTIME sets the timestamp', async () => {
    const out = await run(
      `${S} CREATE STREAM OUT AS SELECT * FROM S;
       INSERT INTO S (ROWTIME, ID, NAME, AMT) VALUES (1000, 'k1', 'first', 10);
       INSERT INTO S (ROWTIME, ID, AMT) VALUES (2000, 'k2', 20);
       INSERT INTO S (ROWTIME, NAME, ID, AMT) VALUES (3000, 'third', 'k3', 1 + 2);`,
      [],
    );
    expect(on('OUT', out)).toEqual([
      { key: 'k1', value: { NAME: 'first', AMT: 10 }, timestamp: 1000 },
      { key: 'k2', value: { NAME: null, AMT: 20 }, timestamp: 2000 },
      { key: 'k3', value: { NAME: 'third', AMT: 3 }, timestamp: 3000 },
    ]);
  });

  it('INSERT INTO … VALUES rejects a wrong value count and an unknown column', async () => {
    // Explicit columns: ksqlDB's AstBuilder wording; implicit columns: its InsertValuesExecutor's.
    expect(await runError(`${S} INSERT INTO S (ID, AMT) VALUES ('k');`)).toMatch(/Expected number columns and values to match: 2, 1/);
    expect(await runError(`${S} INSERT INTO S VALUES ('k');`)).toMatch(/Expected a value for each column/);
    expect(await runError(`${S} INSERT INTO S (ID, NOPE) VALUES ('k', 1);`)).toMatch(/NOPE/);
  });

  it('INSERT INTO … SELECT merges a second stream into an existing sink', async () => {
    const out = await run(
      `CREATE STREAM A (ID STRING KEY, V INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);
       CREATE STREAM B (ID STRING KEY, V INT) WITH (kafka_topic='b', value_format='JSON', partitions=1);
       CREATE STREAM ALL_V AS SELECT * FROM A;
       INSERT INTO ALL_V SELECT * FROM B;`,
      [
        { topic: 'a', key: 'x', value: { V: 1 }, timestamp: 1 },
        { topic: 'b', key: 'y', value: { V: 2 }, timestamp: 2 },
        { topic: 'a', key: 'z', value: { V: 3 }, timestamp: 3 },
      ],
    );
    expect(on('ALL_V', out)).toEqual([
      { key: 'x', value: { V: 1 }, timestamp: 1 },
      { key: 'y', value: { V: 2 }, timestamp: 2 },
      { key: 'z', value: { V: 3 }, timestamp: 3 },
    ]);
  });

  it('INSERT INTO … SELECT rejects an incompatible schema and a table target', async () => {
    const base = `${S} CREATE STREAM OTHER (ID STRING KEY, X DOUBLE) WITH (kafka_topic='o', value_format='JSON', partitions=1);`;
    expect(await runError(`${base} INSERT INTO S SELECT * FROM OTHER;`)).toMatch(/Incompatible schema between results and sink/);
    const tbl = `CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING, AMT INT) WITH (kafka_topic='t', value_format='JSON', partitions=1);`;
    expect(await runError(`${S} ${tbl} INSERT INTO T SELECT * FROM S;`)).toMatch(/INSERT INTO can only be used to insert into a stream/);
  });
});

describe('PARTITION BY', () => {
  it('re-keys a stream by a value column; the old key moves into the value', async () => {
    const out = await run(`${S} CREATE STREAM BY_NAME AS SELECT * FROM S PARTITION BY NAME;`, [
      { topic: 's', key: 'k1', value: { NAME: 'ann', AMT: 1 }, timestamp: 5 },
      { topic: 's', key: 'k2', value: { NAME: null, AMT: 2 }, timestamp: 6 },
    ]);
    expect(on('BY_NAME', out)).toEqual([
      { key: 'ann', value: { ID: 'k1', AMT: 1 }, timestamp: 5 },
      // a NULL partitioning value gives a NULL key; the record is kept
      { key: null, value: { ID: 'k2', AMT: 2 }, timestamp: 6 },
    ]);
  });

  it('re-keys by an expression; the aliased projection of that expression becomes the key column', async () => {
    const out = await run(`${S} CREATE STREAM R AS SELECT UCASE(NAME) AS UNAME, AMT FROM S PARTITION BY UCASE(NAME);`, [
      { topic: 's', key: 'k1', value: { NAME: 'ann', AMT: 1 }, timestamp: 5 },
    ]);
    expect(on('R', out)).toEqual([{ key: 'ANN', value: { AMT: 1 }, timestamp: 5 }]);
  });
});

describe('PARTITION BY key names', () => {
  it('names an unaliased key expression KSQL_COL_n, skipping names the input already has', async () => {
    const h = await startEngine(['g']);
    await h.engine.execute(
      "CREATE STREAM G (ID STRING KEY, KSQL_COL_0 INT) WITH (kafka_topic='g', value_format='JSON', partitions=1);" +
        'CREATE STREAM O AS SELECT * FROM G PARTITION BY ABS(KSQL_COL_0);',
    );
    expect(h.engine.catalog.getSource('O')!.schema.key.map((c) => c.name)).toEqual(['KSQL_COL_1']);
  });
});

describe('sink topics', () => {
  it('names the sink topic after the sink, or KAFKA_TOPIC when given, with PARTITIONS honoured', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S}
      CREATE STREAM DEFAULT_NAME AS SELECT * FROM S;
      CREATE STREAM CUSTOM WITH (KAFKA_TOPIC='my-topic', PARTITIONS=3) AS SELECT * FROM S;
      CREATE TABLE TOTALS WITH (KAFKA_TOPIC='totals_topic') AS SELECT ID, SUM(AMT) AS T FROM S GROUP BY ID;`);
    await h.write({ topic: 's', key: 'k', value: '{"AMT":4}' });
    expect((await h.log.topic('DEFAULT_NAME'))?.partitions).toBe(1);
    expect((await h.log.topic('my-topic'))?.partitions).toBe(3);
    expect(await h.log.topic('CUSTOM')).toBeUndefined();
    expect(h.engine.catalog.getSource('CUSTOM')?.topic).toBe('my-topic');
    expect((await h.read('DEFAULT_NAME')).map((r) => JSON.parse(r.value!))).toEqual([{ NAME: null, AMT: 4 }]);
    expect((await h.read('my-topic')).length).toBe(1);
    expect((await h.read('totals_topic')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([['k', { T: 4 }]]);
  });

  it('a quoted sink name keeps its case in the topic name', async () => {
    const out = await run(`${S} CREATE STREAM \`MixedCase\` AS SELECT * FROM S;`, [{ topic: 's', key: 'k', value: { AMT: 1 }, timestamp: 0 }]);
    expect(out.map((o) => o.topic)).toEqual(['MixedCase']);
  });
});

describe('CREATE TYPE and variables', () => {
  it('CREATE TYPE defines a struct alias usable in column definitions', async () => {
    const out = await run(
      `CREATE TYPE ADDRESS AS STRUCT<STREET STRING, ZIP INT>;
       CREATE STREAM P (ID STRING KEY, ADDR ADDRESS) WITH (kafka_topic='p', value_format='JSON', partitions=1);
       CREATE STREAM Z AS SELECT ID, ADDR->ZIP AS ZIP FROM P;`,
      [{ topic: 'p', key: 'k', value: { ADDR: { STREET: 'Main', ZIP: 12345 } }, timestamp: 0 }],
    );
    expect(on('Z', out)).toEqual([{ key: 'k', value: { ZIP: 12345 }, timestamp: 0 }]);
  });

  it('CREATE TYPE twice is an error; an unknown type name is an error', async () => {
    expect(await runError(`CREATE TYPE T1 AS INT; CREATE TYPE T1 AS STRING;`)).toMatch(/T1/);
    expect(await runError(`CREATE STREAM P (ID STRING KEY, X NO_SUCH_TYPE) WITH (kafka_topic='p', value_format='JSON', partitions=1);`)).toMatch(
      /NO_SUCH_TYPE/i,
    );
  });

  it('DEFINE sets variables that ${name} substitutes into later statements', async () => {
    const out = await run(
      `DEFINE topicName = 'src';
       DEFINE minimum = '5';
       CREATE STREAM V (ID STRING KEY, N INT) WITH (kafka_topic='\${topicName}', value_format='JSON', partitions=1);
       CREATE STREAM BIG AS SELECT * FROM V WHERE N >= \${minimum};`,
      [
        { topic: 'src', key: 'a', value: { N: 4 }, timestamp: 0 },
        { topic: 'src', key: 'b', value: { N: 5 }, timestamp: 0 },
      ],
    );
    expect(on('BIG', out)).toEqual([{ key: 'b', value: { N: 5 }, timestamp: 0 }]);
  });
});

describe('EXPLAIN', () => {
  const explainText = async (sql: string, explain: string) => {
    const h = await startEngine(['s']);
    await h.engine.execute(sql);
    const [r] = await h.engine.execute(explain);
    expect(r?.kind).toBe('Explain');
    return r && r.kind === 'Explain' ? r.text : '';
  };
  const order = (text: string, names: string[]) => names.map((n) => text.indexOf(n));

  it('shows source, filter and select steps in order for a filtering CSAS', async () => {
    const text = await explainText(S, `EXPLAIN CREATE STREAM OUT AS SELECT ID, AMT FROM S WHERE AMT > 1;`);
    const pos = order(text, ['StreamSource', 'StreamFilter', 'StreamSelect']);
    expect(pos.every((p) => p >= 0)).toBe(true);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
  });

  it('shows the windowed aggregate and a table sink; EXPLAIN <query id> works for a running query', async () => {
    const h = await startEngine(['s']);
    const results = await h.engine.execute(`${S} CREATE TABLE C AS SELECT ID, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY ID;`);
    const created = results[1];
    const queryId = created && 'queryId' in created ? created.queryId : '';
    const [r] = await h.engine.execute(`EXPLAIN ${queryId};`);
    const text = r && r.kind === 'Explain' ? r.text : '';
    expect(text).toContain('StreamSource');
    expect(text).toContain('StreamWindowedAggregate');
    expect(text).toContain('TableSink');
    await expect(h.engine.execute('EXPLAIN NO_SUCH_QUERY;')).rejects.toMatchObject({
      errorCode: 40001,
      message: 'Query with id:NO_SUCH_QUERY does not exist, use SHOW QUERIES to view the full set of running queries.',
    });
  });

  it('shows a StreamSelectKey step for PARTITION BY', async () => {
    const text = await explainText(S, `EXPLAIN CREATE STREAM R AS SELECT * FROM S PARTITION BY NAME;`);
    expect(text).toContain('StreamSelectKey');
  });
});

describe('CREATE … AS SELECT with VALUE_SCHEMA_ID', () => {
  // The case runner numbers schemas as ksqlDB's test runner does: INPUT's generated
  // schema (declared by its CREATE) is id 1, OUTPUT's registered schema id 2.
  const input = "CREATE STREAM INPUT (`id` INT KEY, `c1` INT) WITH (kafka_topic='input', value_format='avro', partitions=1);";
  const csas = 'CREATE STREAM OUTPUT WITH (value_schema_id=2) AS SELECT * FROM INPUT;';
  const output = (fields: unknown[]) => [{ name: 'OUTPUT', valueFormat: 'AVRO', valueSchema: { name: 'blah', type: 'record', fields } }];
  const rec = { topic: 'input', key: 42, value: { c1: 4 }, timestamp: 0 };

  it('writes extra registered fields as their default, or null', async () => {
    const withNull = await run(
      `${input} ${csas}`,
      [rec],
      output([
        { name: 'c1', type: 'int' },
        { name: 'c2', type: ['null', 'int'], default: null },
      ]),
    );
    expect(on('OUTPUT', withNull)).toEqual([{ key: 42, value: { c1: 4, c2: null }, timestamp: 0 }]);
    const withDefault = await run(
      `${input} ${csas}`,
      [rec],
      output([
        { name: 'c1', type: 'int' },
        { name: 'c2', type: 'int', default: 100 },
      ]),
    );
    expect(on('OUTPUT', withDefault)).toEqual([{ key: 42, value: { c1: 4, c2: 100 }, timestamp: 0 }]);
  });

  it('rejects a registered schema whose fields are reordered (ksqlDB DefaultSchemaInjector message)', async () => {
    const r = await runCase(
      `${input} ${csas}`,
      [],
      output([
        { name: 'c2', type: 'double' },
        { name: 'c1', type: 'int' },
      ]),
    );
    expect('error' in r && r.error).toContain(
      'The following value columns are changed, missing or reordered: [`c1` INTEGER]. Schema from schema registry is [`c2` DOUBLE, `c1` INTEGER]',
    );
  });

  it('JSON_SR writes every property of the registered schema', async () => {
    const src = "CREATE STREAM INPUT (`id` INT KEY, `c1` BIGINT) WITH (kafka_topic='input', value_format='json', partitions=1);";
    const sql = `${src} CREATE STREAM OUTPUT WITH (value_format='json_sr', value_schema_id=1) AS SELECT * FROM INPUT;`;
    const topics = [{ name: 'OUTPUT', valueFormat: 'JSON', valueSchema: { type: 'object', properties: { c1: { type: 'integer' }, c2: { type: 'string' } } } }];
    const out = await run(sql, [rec], topics);
    expect(on('OUTPUT', out)).toEqual([{ key: 42, value: { c1: 4, c2: null }, timestamp: 0 }]);
  });
});

describe('test runner topics (as ksqlDB test runner)', () => {
  it('creates declared topics with 4 partitions but reads every input from partition 0', async () => {
    // TEST_TABLE_2 has no PARTITIONS: like ksqlDB's runner its topic gets 4, so it joins the 4-partition CTAS.
    const sql = `CREATE TABLE A (ID BIGINT PRIMARY KEY, V STRING) WITH (kafka_topic='a', value_format='JSON');
      CREATE TABLE B (ID BIGINT PRIMARY KEY, W STRING) WITH (kafka_topic='b', value_format='JSON');
      CREATE TABLE AB WITH (PARTITIONS=4) AS SELECT A.ID AS ID, V FROM A JOIN B ON A.ID = B.ID;
      CREATE TABLE C (ID BIGINT PRIMARY KEY, X STRING) WITH (kafka_topic='c', value_format='JSON');
      CREATE TABLE ABC AS SELECT AB.ID, V, X, C.ROWPARTITION AS P FROM AB JOIN C ON AB.ID = C.ID;`;
    const out = await run(sql, [
      { topic: 'a', key: 7, value: { V: 'v' }, timestamp: 0 },
      { topic: 'b', key: 7, value: { W: 'w' }, timestamp: 1 },
      { topic: 'c', key: 7, value: { X: 'x' }, timestamp: 2 },
    ]);
    expect(on('ABC', out)).toEqual([{ key: 7, value: { V: 'v', X: 'x', P: 0 }, timestamp: 2 }]);
  });
});
