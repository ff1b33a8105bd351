/**
 * Stateless SELECT end to end: projection, WHERE, CASE, CAST, arithmetic,
 * LIKE / IN / BETWEEN and nested-type access. Expected records are worked out
 * by hand from ksqlDB's documented semantics (ksqlDB "Operators", "Scalar
 * functions" and "SQL quick reference" pages):
 *  - WHERE keeps a row only when the predicate is TRUE. ksqlDB's generated
 *    code evaluates a comparison with a NULL operand to FALSE (not SQL's
 *    UNKNOWN): `ID = COL0` with a null side projects `false` (QTT null.json
 *    "null equals" shows the same), so NOT(A > 1) is TRUE for a null A;
 *  - INT/BIGINT arithmetic is Java's: it wraps on overflow, `/` truncates
 *    toward zero and `%` takes the sign of the dividend;
 *  - an expression that fails for one row (e.g. integer division by zero)
 *    yields NULL for that column, and the failure goes to the processing log;
 *  - arrays are 1-based, negative indexes count from the end, an index out of
 *    range or a missing map key is NULL;
 *  - unaliased expressions are named KSQL_COL_<n>, struct dereferences take
 *    the field's name.
 */
import { describe, expect, it } from 'vitest';
import { on, run, runError, startEngine, values } from './helpers/engine-harness.js';

const S = `CREATE STREAM S (ID STRING KEY, A INT, B INT, NAME STRING, D DOUBLE)
  WITH (kafka_topic='s', value_format='JSON', partitions=1);`;

const rec = (key: string, value: Record<string, unknown>, timestamp = 0) => ({ topic: 's', key, value, timestamp });

describe('projection', () => {
  it('projects columns with aliases, keeps the key and the record timestamp', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A AS X, NAME AS N FROM S;`, [
      rec('k1', { A: 1, B: 2, NAME: 'one', D: 1.5 }, 100),
      rec('k2', { A: 3, B: 4, NAME: 'two', D: 2.5 }, 200),
    ]);
    expect(on('OUT', out)).toEqual([
      { key: 'k1', value: { X: 1, N: 'one' }, timestamp: 100 },
      { key: 'k2', value: { X: 3, N: 'two' }, timestamp: 200 },
    ]);
  });

  it('SELECT * copies every value column and the key; missing fields are null', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT * FROM S;`, [rec('k1', { A: 1, NAME: 'x' }, 5)]);
    expect(on('OUT', out)).toEqual([{ key: 'k1', value: { A: 1, B: null, NAME: 'x', D: null }, timestamp: 5 }]);
  });

  it('passes a null-value record on a stream through SELECT *, but a WHERE drops it', async () => {
    const out = await run(`${S} CREATE STREAM ALL_ROWS AS SELECT * FROM S; CREATE STREAM SOME AS SELECT * FROM S WHERE A IS NULL;`, [
      { topic: 's', key: 'k', value: null, timestamp: 1 },
      rec('k2', { A: null }, 2),
    ]);
    expect(on('ALL_ROWS', out)).toEqual([
      { key: 'k', value: null, timestamp: 1 },
      { key: 'k2', value: { A: null, B: null, NAME: null, D: null }, timestamp: 2 },
    ]);
    expect(on('SOME', out).map((o) => o.key)).toEqual(['k2']);
  });

  it('names unaliased expressions KSQL_COL_n in select-list order', async () => {
    // A + B is the first generated name (KSQL_COL_0), the literal the second (KSQL_COL_1).
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A + B, 'lit' FROM S;`, [rec('k', { A: 1, B: 2 })]);
    expect(values('OUT', out)).toEqual([{ KSQL_COL_0: 3, KSQL_COL_1: 'lit' }]);
  });

  it('generated names skip KSQL_COL_n taken by a source column (ksqlDB ColumnNames)', async () => {
    // The source uses KSQL_COL_2..4, so the three ABS(...) columns are KSQL_COL_0, _1 and _5.
    const src = `CREATE STREAM G (KSQL_COL_3 INT KEY, KSQL_COL_2 INT, KSQL_COL_4 INT) WITH (kafka_topic='g', value_format='JSON', partitions=1);`;
    const out = await run(`${src} CREATE STREAM OUT AS SELECT KSQL_COL_3, KSQL_COL_2, ABS(KSQL_COL_2), ABS(KSQL_COL_2), ABS(KSQL_COL_2) FROM G;`, [
      { topic: 'g', key: 1, value: { KSQL_COL_2: -2, KSQL_COL_4: 4 }, timestamp: 0 },
    ]);
    expect(values('OUT', out)).toEqual([{ KSQL_COL_2: -2, KSQL_COL_0: 2, KSQL_COL_1: 2, KSQL_COL_5: 2 }]);
  });

  it('rejects a persistent projection of only key columns (ksqlDB: no value columns)', async () => {
    expect(await runError(`${S} CREATE STREAM OUT AS SELECT ID FROM S;`)).toMatch(/The projection contains no value columns/);
  });

  it('sink topic is named after the sink in upper case', async () => {
    const out = await run(`${S} CREATE STREAM lower_sink AS SELECT ID, A FROM S;`, [rec('k', { A: 7 })]);
    expect(out.map((o) => o.topic)).toEqual(['LOWER_SINK']);
  });
});

describe('WHERE with NULLs (ksqlDB: comparisons with NULL are FALSE)', () => {
  const inputs = [rec('a', { A: 5, B: 1 }), rec('b', { A: null, B: 2 }), rec('c', { A: 0, B: null }), rec('d', { A: null, B: null })];
  const keysFor = async (where: string) => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A FROM S WHERE ${where};`, inputs);
    return out.map((o) => o.key);
  };

  it('a comparison with NULL is FALSE, so its negation is TRUE', async () => {
    expect(await keysFor('A > 1')).toEqual(['a']);
    // b and d have A = NULL: A > 1 is FALSE there, NOT FALSE is TRUE.
    expect(await keysFor('NOT (A > 1)')).toEqual(['b', 'c', 'd']);
  });

  it('projects a comparison with a NULL operand as false, IS NULL as true', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A = B AS EQ, A > 1 AS GT, A IS NULL AS N FROM S;`, inputs);
    expect(values('OUT', out)).toEqual([
      { EQ: false, GT: true, N: false },
      { EQ: false, GT: false, N: true },
      { EQ: false, GT: false, N: false },
      { EQ: false, GT: false, N: true },
    ]);
  });

  it('OR is TRUE when one side is TRUE even if the other compares a NULL; AND needs both', async () => {
    // a: 5>1 T ; b: (NULL>1 = F) OR (2=2) T ; c: F OR (NULL=2 = F) ; d: F OR F
    expect(await keysFor('A > 1 OR B = 2')).toEqual(['a', 'b']);
    // a: T AND (1=1) T ; b: F AND F ; c: (0>=0) AND (NULL=1 = F) ; d: F
    expect(await keysFor('A >= 0 AND B = 1')).toEqual(['a']);
  });

  it('IS NULL / IS NOT NULL are never NULL themselves', async () => {
    expect(await keysFor('A IS NULL')).toEqual(['b', 'd']);
    expect(await keysFor('B IS NOT NULL')).toEqual(['a', 'b']);
  });

  it("A = NULL is rejected, as ksqlDB's ComparisonUtil does (use IS NULL)", async () => {
    expect(await runError(`${S} CREATE STREAM OUT AS SELECT ID, A FROM S WHERE A = NULL;`)).toMatch(/Comparison with NULL not supported: INTEGER = NULL/);
  });
});

describe('CASE', () => {
  it('takes the first TRUE branch, treats a NULL condition as not taken, ELSE otherwise', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, CASE WHEN A < 0 THEN 'neg' WHEN A = 0 THEN 'zero' ELSE 'pos' END AS SIGN FROM S;`, [
      rec('a', { A: -3 }),
      rec('b', { A: 0 }),
      rec('c', { A: 9 }),
      rec('d', { A: null }),
    ]);
    expect(values('OUT', out)).toEqual([{ SIGN: 'neg' }, { SIGN: 'zero' }, { SIGN: 'pos' }, { SIGN: 'pos' }]);
  });

  it('without ELSE yields NULL when no branch matches', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, CASE WHEN A > 10 THEN A * 2 END AS BIG FROM S;`, [rec('a', { A: 11 }), rec('b', { A: 1 })]);
    expect(values('OUT', out)).toEqual([{ BIG: 22 }, { BIG: null }]);
  });
});

describe('CAST', () => {
  it('casts between numbers and strings', async () => {
    // DOUBLE -> INT truncates toward zero as Java's (int) cast does.
    const out = await run(
      `${S} CREATE STREAM OUT AS SELECT ID, CAST(A AS STRING) AS S1, CAST(NAME AS INT) AS I1, CAST(D AS INT) AS I2,
         CAST(A AS DOUBLE) AS D1, CAST(A AS BIGINT) * 3000000000 AS BIG FROM S;`,
      [rec('a', { A: 42, NAME: '17', D: -3.9 }), rec('b', { A: null, NAME: null, D: 3.9 })],
    );
    expect(values('OUT', out)).toEqual([
      { S1: '42', I1: 17, I2: -3, D1: 42.0, BIG: 126000000000 },
      { S1: null, I1: null, I2: 3, D1: null, BIG: null },
    ]);
  });

  it('casts booleans to and from strings', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, CAST(NAME AS BOOLEAN) AS BL, CAST(A > 1 AS STRING) AS BS FROM S;`, [
      rec('a', { A: 5, NAME: 'true' }),
      rec('b', { A: 0, NAME: 'no' }),
    ]);
    // ksqlDB: a string casts to BOOLEAN as true only for 'true' (case-insensitive), else false.
    expect(values('OUT', out)).toEqual([
      { BL: true, BS: 'true' },
      { BL: false, BS: 'false' },
    ]);
  });
});

describe('arithmetic', () => {
  it('follows Java integer semantics: truncating division, remainder sign of dividend', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A + B AS P, A - B AS M, A * B AS T, A / B AS Q, A % B AS R FROM S;`, [
      rec('a', { A: 7, B: 2 }),
      rec('b', { A: -7, B: 2 }),
      rec('c', { A: null, B: 2 }),
    ]);
    expect(values('OUT', out)).toEqual([
      { P: 9, M: 5, T: 14, Q: 3, R: 1 },
      { P: -5, M: -9, T: -14, Q: -3, R: -1 },
      { P: null, M: null, T: null, Q: null, R: null },
    ]);
  });

  it('INT overflow wraps around like Java int', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A + B AS P, A * B AS T, A - B AS M FROM S;`, [
      rec('a', { A: 2147483647, B: 1 }),
      rec('b', { A: 65536, B: 65536 }),
      rec('c', { A: -2147483648, B: 1 }),
    ]);
    expect(values('OUT', out)).toEqual([
      { P: -2147483648, T: 2147483647, M: 2147483646 },
      { P: 131072, T: 0, M: 0 },
      { P: -2147483647, T: -2147483648, M: 2147483647 },
    ]);
  });

  it('widens INT with BIGINT to BIGINT and with DOUBLE to DOUBLE', async () => {
    const out = await run(`${S} CREATE STREAM OUT AS SELECT ID, A + 10000000000 AS L, A / 2.0e0 AS H, A * D AS X FROM S;`, [rec('a', { A: 3, D: 0.5 })]);
    expect(values('OUT', out)).toEqual([{ L: 10000000003, H: 1.5, X: 1.5 }]);
  });

  it('integer division by zero gives a NULL column, logs to the processing log, and the row still flows', async () => {
    const h = await startEngine(['s']);
    await h.engine.execute(`${S} CREATE STREAM OUT AS SELECT ID, A / B AS Q, A AS A FROM S;`);
    await h.write({ topic: 's', key: 'z', value: JSON.stringify({ A: 10, B: 0 }) }, { topic: 's', key: 'ok', value: JSON.stringify({ A: 10, B: 5 }) });
    const out = await h.read('OUT');
    expect(out.map((o) => [o.key, JSON.parse(o.value!)])).toEqual([
      ['z', { Q: null, A: 10 }],
      ['ok', { Q: 2, A: 10 }],
    ]);
    expect(h.engine.processingLog.length).toBe(1);
    expect(h.engine.processingLog[0]!.queryId).toMatch(/^CSAS_OUT_/);
  });
});

describe('lambdas', () => {
  const src = `CREATE STREAM N (ID STRING KEY, NUMS ARRAY<INTEGER>) WITH (kafka_topic='n', value_format='JSON', partitions=1);`;

  it('arithmetic on a null element fails the whole lambda call (NULL), comparisons do not', async () => {
    const out = await run(`${src} CREATE STREAM O AS SELECT ID, TRANSFORM(NUMS, x => x + 5) AS T, FILTER(NUMS, x => x > 4) AS F FROM N;`, [
      { topic: 'n', key: 'a', value: { NUMS: [3, 6] }, timestamp: 0 },
      { topic: 'n', key: 'b', value: { NUMS: [5, null] }, timestamp: 1 },
    ]);
    expect(values('O', out)).toEqual([
      { T: [8, 11], F: [6] },
      { T: null, F: [5] },
    ]);
  });
});

describe('table functions', () => {
  it('may sit inside a larger expression: EXPLODE(A)->F1 flattens, then dereferences', async () => {
    const src = `CREATE STREAM T (ID STRING KEY, A ARRAY<STRUCT<F1 BIGINT>>) WITH (kafka_topic='t', value_format='JSON', partitions=1);`;
    const out = await run(`${src} CREATE STREAM O AS SELECT ID, EXPLODE(A)->F1 AS VAL, ABS(EXPLODE(A)->F1) + 1 AS NEXT FROM T;`, [
      { topic: 't', key: '0', value: { A: [{ F1: 1 }, { F1: -2 }] }, timestamp: 0 },
      { topic: 't', key: '1', value: { A: [] }, timestamp: 1 },
    ]);
    expect(on('O', out).map((o) => [o.key, o.value])).toEqual([
      ['0', { VAL: 1, NEXT: 2 }],
      ['0', { VAL: -2, NEXT: 3 }],
    ]);
  });
});

describe('LIKE, IN, BETWEEN', () => {
  const names = [
    rec('1', { NAME: 'apple', A: 1 }),
    rec('2', { NAME: 'banana', A: 2 }),
    rec('3', { NAME: 'grape', A: 3 }),
    rec('4', { NAME: null, A: null }),
    rec('5', { NAME: 'a_b', A: 7 }),
  ];
  const keysFor = async (where: string) => (await run(`${S} CREATE STREAM OUT AS SELECT ID, A FROM S WHERE ${where};`, names)).map((o) => o.key);

  it('LIKE: % matches any run, _ exactly one character, match is on the whole string', async () => {
    expect(await keysFor(`NAME LIKE 'a%'`)).toEqual(['1', '5']);
    expect(await keysFor(`NAME LIKE '%an%'`)).toEqual(['2']);
    expect(await keysFor(`NAME LIKE 'gr_pe'`)).toEqual(['3']);
    expect(await keysFor(`NAME LIKE 'grap'`)).toEqual([]);
    expect(await keysFor(`NAME NOT LIKE '%a%'`)).toEqual([]);
  });

  it('LIKE with ESCAPE matches a literal wildcard', async () => {
    expect(await keysFor(`NAME LIKE '%!_%' ESCAPE '!'`)).toEqual(['5']);
  });

  it('IN / NOT IN against a literal list; NULL never matches', async () => {
    expect(await keysFor('A IN (1, 3, 99)')).toEqual(['1', '3']);
    expect(await keysFor(`NAME IN ('banana', 'kiwi')`)).toEqual(['2']);
    expect(await keysFor('A NOT IN (1, 3)')).toEqual(['2', '5']);
  });

  it('BETWEEN is inclusive at both ends, works on strings, NOT BETWEEN negates', async () => {
    expect(await keysFor('A BETWEEN 2 AND 3')).toEqual(['2', '3']);
    expect(await keysFor('A NOT BETWEEN 2 AND 3')).toEqual(['1', '5']);
    expect(await keysFor(`NAME BETWEEN 'b' AND 'grape'`)).toEqual(['2', '3']);
  });
});

describe('struct, array and map access', () => {
  const N = `CREATE STREAM N (ID STRING KEY, ST STRUCT<F1 INT, NESTED STRUCT<G STRING>>, ARR ARRAY<INT>, M MAP<STRING, INT>)
    WITH (kafka_topic='n', value_format='JSON', partitions=1);`;

  it('dereferences struct fields (also nested), naming the column after the field', async () => {
    const out = await run(`${N} CREATE STREAM OUT AS SELECT ID, ST->F1, ST->NESTED->G AS G FROM N;`, [
      { topic: 'n', key: 'k', value: { ST: { F1: 4, NESTED: { G: 'deep' } } } },
      { topic: 'n', key: 'k2', value: { ST: null } },
    ]);
    expect(values('OUT', out)).toEqual([
      { F1: 4, G: 'deep' },
      { F1: null, G: null },
    ]);
  });

  it('indexes arrays from 1, negative from the end, out of range is NULL', async () => {
    const out = await run(`${N} CREATE STREAM OUT AS SELECT ID, ARR[1] AS FIRST, ARR[-1] AS LAST, ARR[10] AS NONE, ARR[0] AS ZERO FROM N;`, [
      { topic: 'n', key: 'k', value: { ARR: [10, 20, 30] } },
    ]);
    expect(values('OUT', out)).toEqual([{ FIRST: 10, LAST: 30, NONE: null, ZERO: null }]);
  });

  it('looks up map keys, a missing key is NULL', async () => {
    const out = await run(`${N} CREATE STREAM OUT AS SELECT ID, M['x'] AS X, M['nope'] AS NOPE FROM N WHERE M['x'] > 1;`, [
      { topic: 'n', key: 'a', value: { M: { x: 5, y: 6 } } },
      { topic: 'n', key: 'b', value: { M: { x: 1 } } },
    ]);
    expect(on('OUT', out)).toEqual([{ key: 'a', value: { X: 5, NOPE: null }, timestamp: 0 }]);
  });
});
