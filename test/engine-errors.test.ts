/**
 * Errors end to end: who is at fault (ParseError / PlanError), where
 * (`err.position` line:column), ksqlDB's message wording for unknown
 * columns, sources and functions, and bad records at run time. ksqlDB skips a
 * record it cannot deserialise, writes the failure to the processing log
 * (ksqlDB docs "Processing log": deserialization errors carry the record's
 * topic, partition and offset), and keeps the query running.
 */
import { describe, expect, it } from 'vitest';
import { ParseError, PlanError, SluiceError } from '../src/common/errors.js';
import { startEngine } from './helpers/engine-harness.js';

const S = `CREATE STREAM S (ID STRING KEY, NAME STRING, AMT INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);`;

/** Runs `sql` after creating S and returns what it throws: every error here is ksqlDB's 40001 (bad statement). */
async function failure(sql: string): Promise<SluiceError> {
  const h = await startEngine(['s']);
  await h.engine.execute(S);
  try {
    await h.engine.execute(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as SluiceError).errorCode).toBe(40001);
    return e as SluiceError;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('planner errors', () => {
  it('an unknown column is a PlanError at the column, with ksqlDB wording', async () => {
    const sql = ['CREATE STREAM OUT AS', '  SELECT ID,', '         NOPE_COL AS X', '  FROM S;'].join('\n');
    const err = await failure(sql);
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe("SELECT column 'NOPE_COL' cannot be resolved.");
    expect(err.position).toMatchObject({ line: 3, column: 10 });
    expect(err.describe(sql)).toMatch(/^line 3:10: /);
  });

  it('a function call with wrong argument types is a PlanError at the call', async () => {
    const sql = 'CREATE STREAM OUT AS SELECT ID,\n  ABS(NAME) AS X FROM S;';
    const err = await failure(sql);
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe(
      [
        "Function 'ABS' does not accept parameters (STRING).",
        'Valid alternatives are:',
        'ABS(INTEGER) => INTEGER',
        'ABS(BIGINT) => BIGINT',
        'ABS(DOUBLE) => DOUBLE',
        'ABS(DECIMAL)',
      ].join('\n'),
    );
    expect(err.position).toMatchObject({ line: 2, column: 3 });
  });

  it('an arithmetic type mismatch is a PlanError positioned inside the expression', async () => {
    const sql = 'CREATE STREAM OUT AS SELECT ID,\n  NAME * 2 AS X FROM S;';
    const err = await failure(sql);
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe('Error processing expression: NAME * 2. Unsupported arithmetic types. STRING INTEGER');
    // `NAME * 2` spans columns 3..10
    expect(err.position).toMatchObject({ line: 2, column: 3 });
  });

  it('a non-boolean WHERE is a PlanError', async () => {
    const err = await failure('CREATE STREAM OUT AS SELECT * FROM S WHERE AMT;');
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe('Type error in WHERE expression: Should evaluate to boolean but is AMT (INTEGER) instead.');
    expect(err.position).toMatchObject({ line: 1, column: 44 });
  });

  it('an unknown source names it', async () => {
    const err = await failure('CREATE STREAM OUT AS SELECT * FROM NO_SUCH_SOURCE;');
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe('NO_SUCH_SOURCE does not exist.');
  });

  it("an unknown function says it can't find it", async () => {
    const err = await failure('CREATE STREAM OUT AS SELECT ID, NO_SUCH_FN(AMT) FROM S;');
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe("Can't find any functions with the name 'NO_SUCH_FN'");
  });

  it('an aggregate in WHERE or a non-aggregate column missing from GROUP BY is rejected', async () => {
    const inWhere = await failure('CREATE TABLE T AS SELECT ID, COUNT(*) FROM S WHERE COUNT(*) > 1 GROUP BY ID;');
    expect(inWhere).toBeInstanceOf(PlanError);
    expect(inWhere.message).toBe('Aggregate functions are not allowed in WHERE.');
    const err = await failure('CREATE TABLE T AS SELECT ID, NAME, COUNT(*) AS N FROM S GROUP BY ID;');
    expect(err).toBeInstanceOf(PlanError);
    expect(err.message).toBe(
      'Non-aggregate SELECT expression(s) not part of GROUP BY: S.NAME\nEither add the column(s) to the GROUP BY or remove them from the SELECT.',
    );
  });

  it('carries ksqlDB REST error code 40001 (bad statement)', async () => {
    const err = await failure('CREATE STREAM OUT AS SELECT * FROM NOPE;');
    expect(err.errorCode).toBe(40001);
    expect(err.message).toBe('NOPE does not exist.');
  });
});

describe('parse errors', () => {
  it('a misspelt statement keyword is a ParseError at line 1 column 1 suggesting the keyword', async () => {
    const err = await failure('SELEC * FROM S;');
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toBe("line 1:1: Syntax Error\nUnknown statement 'SELEC'\nDid you mean 'SELECT'?");
    expect(err.position).toMatchObject({ line: 1, column: 1 });
    expect(err.errorCode).toBe(40001);
  });

  it('a dangling comma is a ParseError at the token after it, on the right line', async () => {
    const sql = "CREATE STREAM X (\n  ID STRING KEY,\n) WITH (kafka_topic='x', value_format='JSON', partitions=1);";
    const err = await failure(sql);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toBe("line 3:1: Syntax Error\nSyntax error at or near ')' at line 3:1");
    expect(err.position).toMatchObject({ line: 3, column: 1 });
    expect(err.describe(sql)).toContain('^');
  });

  it('statements before the bad one have already run', async () => {
    const h = await startEngine(['s']);
    const bad = h.engine.execute(`${S}\nCREATE STREAM OK1 AS SELECT * FROM S;\nCREATE STREAM BAD AS SELECT * FROM S WHERE;`);
    await expect(bad).rejects.toBeInstanceOf(ParseError);
    await expect(bad).rejects.toThrow("line 3:43: Syntax Error\nSyntax error at or near '<EOF>' at line 3:43");
    expect(h.engine.catalog.getSource('OK1')).toBeDefined();
    expect(h.engine.catalog.getSource('BAD')).toBeUndefined();
  });
});

describe('bad records at run time', () => {
  it('a malformed JSON value is skipped and logged with topic, partition and offset; later records flow', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, AMT FROM S;`);
    await h.write(
      { topic: 's', key: 'a', value: '{"AMT": 1}' }, //   offset 0
      { topic: 's', key: 'b', value: '{"AMT": 2' }, //    offset 1: not JSON
      { topic: 's', key: 'c', value: '{"AMT": 3}' }, //   offset 2
    );
    expect((await h.read('OUT')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([
      ['a', { AMT: 1 }],
      ['c', { AMT: 3 }],
    ]);
    expect(h.engine.processingLog).toHaveLength(1);
    expect(h.engine.processingLog[0]).toMatchObject({ topic: 's', partition: 0, offset: 1 });
    expect([...h.engine.queries.values()].every((q) => q.state !== 'ERROR')).toBe(true);
  });

  it('a function call that fails yields NULL for that call, is logged with partition and offset, and the row flows', async () => {
    const h = await startEngine(['s']);
    // LPAD past its bound throws: the call is NULL, COALESCE still answers, and the processing log says why.
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, COALESCE(LPAD('x', AMT, '-'), 'none') AS P, AMT FROM S;`);
    await h.write({ topic: 's', key: 'a', value: '{"AMT": 3}' }, { topic: 's', key: 'b', value: '{"AMT": 2000000}' });
    expect((await h.read('OUT')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([
      ['a', { P: '--x', AMT: 3 }],
      ['b', { P: 'none', AMT: 2000000 }],
    ]);
    expect(h.engine.processingLog).toHaveLength(1);
    expect(h.engine.processingLog[0]).toMatchObject({ queryId: 'CSAS_OUT_0', partition: 0, offset: 1 });
    expect(h.engine.processingLog[0]!.message).toMatch(/^Error processing LPAD: LPAD target length \(2000000\) exceeds the maximum of 1048576\.$/);
  });

  it("a size argument past the bound drops the row and logs the function's message", async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, EXPLODE(GENERATE_SERIES(1, AMT)) AS N FROM S;`);
    await h.write({ topic: 's', key: 'a', value: '{"AMT": 2000000}' }, { topic: 's', key: 'b', value: '{"AMT": 2}' });
    expect((await h.read('OUT')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([
      ['b', { N: 1 }],
      ['b', { N: 2 }],
    ]);
    expect(h.engine.processingLog).toHaveLength(1);
    expect(h.engine.processingLog[0]).toMatchObject({
      queryId: 'CSAS_OUT_0',
      partition: 0,
      offset: 0,
      message: 'Error computing table function: GENERATE_SERIES size (2000000) exceeds the maximum of 1048576.',
    });
  });

  it('a JSON field of the wrong type is a deserialisation error: skipped and logged', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, AMT FROM S;`);
    await h.write({ topic: 's', key: 'a', value: '{"AMT": "lots"}' }, { topic: 's', key: 'b', value: '{"AMT": 2}' });
    expect((await h.read('OUT')).map((r) => r.key)).toEqual(['b']);
    expect(h.engine.processingLog).toHaveLength(1);
    expect(h.engine.processingLog[0]).toMatchObject({ topic: 's', partition: 0, offset: 0 });
  });

  it('a JSON field of the wrong type in a column the query does not read is still a deserialisation error (ksqlDB reads the whole value)', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, NAME FROM S WHERE NAME <> 'x';`);
    await h.write(
      { topic: 's', key: 'a', value: '{"NAME": "n1", "AMT": "lots"}' },
      { topic: 's', key: 'b', value: '{"name": "n2", "amt": 2}' },
      { topic: 's', key: 'c', value: '{"NAME": "n3", "AMT": 3' },
    );
    expect((await h.read('OUT')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([['b', { NAME: 'n2' }]]);
    expect(h.engine.processingLog.map((e) => [e.offset, e.message])).toEqual([
      [0, "Failed to deserialize value from topic: s. Failed to deserialize value. Can't coerce string to type. targetType: INTEGER, path: $.AMT"],
      [2, expect.stringMatching(/^Failed to deserialize value from topic: s\. Failed to deserialize value\. /)],
    ]);
  });

  it('a constant cast is computed once but one that fails still fails for every row, logged with its record', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, CAST(AMT AS DOUBLE) * 0.5 AS HALF, CAST('x1' AS INT) AS BAD FROM S;`);
    await h.write({ topic: 's', key: 'a', value: '{"AMT": 3}' }, { topic: 's', key: 'b', value: '{"AMT": 5}' });
    expect((await h.read('OUT')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([
      ['a', { HALF: 1.5, BAD: null }],
      ['b', { HALF: 2.5, BAD: null }],
    ]);
    expect(h.engine.processingLog.map((e) => [e.offset, e.message])).toEqual([
      [0, 'Error computing select expression: invalid input syntax for type INTEGER: "x1"'],
      [1, 'Error computing select expression: invalid input syntax for type INTEGER: "x1"'],
    ]);
  });

  it('under sluice.serde.strict.numbers an INT that does not fit is logged with topic, partition and offset; later records flow', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`SET 'sluice.serde.strict.numbers'='true'; ${S} CREATE STREAM OUT AS SELECT ID, AMT FROM S;`);
    await h.write(
      { topic: 's', key: 'a', value: '{"AMT": 1}' }, //           offset 0
      { topic: 's', key: 'b', value: '{"AMT": 2147483648}' }, //  offset 1: beyond INT
      { topic: 's', key: 'c', value: '{"AMT": 2.5}' }, //         offset 2: a fraction
      { topic: 's', key: 'd', value: '{"AMT": 4.0}' }, //         offset 3: fits
    );
    expect((await h.read('OUT')).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([
      ['a', { AMT: 1 }],
      ['d', { AMT: 4 }],
    ]);
    expect(h.engine.processingLog.map((e) => [e.topic, e.partition, e.offset, e.message])).toEqual([
      [
        's',
        0,
        1,
        'Failed to deserialize value from topic: s. Failed to deserialize value. Number 2147483648 does not fit type INTEGER without losing information (sluice.serde.strict.numbers=true), path: $.AMT',
      ],
      [
        's',
        0,
        2,
        'Failed to deserialize value from topic: s. Failed to deserialize value. Number 2.5 does not fit type INTEGER without losing information (sluice.serde.strict.numbers=true), path: $.AMT',
      ],
    ]);
    expect([...h.engine.queries.values()].every((q) => q.state !== 'ERROR')).toBe(true);
  });

  it('without sluice.serde.strict.numbers an INT that does not fit is narrowed as ksqlDB does (Java long → int)', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, AMT FROM S;`);
    await h.write({ topic: 's', key: 'b', value: '{"AMT": 99999999999999999}' }, { topic: 's', key: 'c', value: '{"AMT": 2.5}' });
    expect((await h.read('OUT')).map((r) => JSON.parse(r.value!))).toEqual([{ AMT: 1569325055 }, { AMT: 2 }]);
    expect(h.engine.processingLog).toHaveLength(0);
  });

  it('sluice.serde.strict.numbers given as a request property holds for that query only (DELIMITED DOUBLE overflow)', async () => {
    const h = await startEngine(['d']);
    await h.engine.execute(`CREATE STREAM D (ID STRING KEY, X DOUBLE) WITH (kafka_topic='d', value_format='DELIMITED', partitions=1);`);
    await h.engine.execute(`CREATE STREAM STRICT_OUT AS SELECT ID, X FROM D;`, { properties: { 'sluice.serde.strict.numbers': 'true' } });
    await h.engine.execute(`CREATE STREAM LAX_OUT AS SELECT ID, X FROM D;`);
    await h.write({ topic: 'd', key: 'a', value: '1e400' }, { topic: 'd', key: 'b', value: '2.5' });
    expect((await h.read('STRICT_OUT')).map((r) => [r.key, r.value])).toEqual([['b', '2.5']]);
    expect((await h.read('LAX_OUT')).map((r) => [r.key, r.value])).toEqual([
      ['a', 'Infinity'],
      ['b', '2.5'],
    ]);
    expect(h.engine.processingLog.map((e) => [e.topic, e.partition, e.offset, e.message])).toEqual([
      [
        'd',
        0,
        0,
        'Failed to deserialize value from topic: d. Error deserializing delimited value: Number 1e400 does not fit type DOUBLE without losing information (sluice.serde.strict.numbers=true), column: X',
      ],
    ]);
  });

  it('a KAFKA-format INT of the wrong byte length (value or key) is skipped and logged', async () => {
    const h = await startEngine(['k']);
    await h.engine.execute(`CREATE STREAM K (ID INT KEY, V INT) WITH (kafka_topic='k', key_format='KAFKA', value_format='KAFKA', partitions=1);
      CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID, V FROM K;`);
    const int = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    await h.write(
      { topic: 'k', key: int(1), value: Buffer.from([0, 0, 1]) }, //  offset 0: 3-byte INT value
      { topic: 'k', key: Buffer.from([0, 2]), value: int(2) }, //      offset 1: 2-byte INT key
      { topic: 'k', key: int(3), value: int(30) }, //                  offset 2: good
    );
    const out = await h.read('OUT');
    expect(out.map((r) => JSON.parse(r.value!))).toEqual([{ V: 30 }]);
    expect(out[0]!.key).toBe(int(3).toString('utf8'));
    expect(h.engine.processingLog.map((e) => [e.topic, e.partition, e.offset])).toEqual([
      ['k', 0, 0],
      ['k', 0, 1],
    ]);
  });
});
