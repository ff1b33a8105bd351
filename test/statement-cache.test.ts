import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/common/errors.js';
import { parseStatement } from '../src/parser/index.js';
import { StatementCache } from '../src/runtime/engine/prepare.js';

/** Parses every text through one cache and checks each answer is the parser's own. */
function throughCache(texts: readonly string[], cache = new StatementCache()): StatementCache {
  for (const text of texts) expect(cache.parse(text)).toStrictEqual(parseStatement(text));
  return cache;
}

describe('statement cache with literals masked', () => {
  it('serves pull queries differing only in the key from one parse', () => {
    const keys = ['4000000000000001', '4000000000000002', 'x', "it''s", '', '4000000000000003'];
    const cache = throughCache(keys.map((k) => `SELECT * FROM CARD_TOTALS WHERE CARD_NUMBER = '${k}';`));
    expect(cache.size).toBe(1);
    // The first text and the check of the first copy are parsed; the other four come from the cache.
    expect(cache.misses).toBe(2);
    expect(cache.hits).toBe(4);
  });

  it('gives literals of other lengths the positions and text the parser gives', () => {
    const cache = throughCache([
      "SELECT ID, 'a' AS A, NAME FROM T WHERE ID = 1 AND NAME = 'bob' AND X > 10;",
      "SELECT ID, 'abcdef' AS A, NAME FROM T WHERE ID = 123456 AND NAME = 'b' AND X > 4000000000;",
      "SELECT ID, '' AS A, NAME FROM T WHERE ID = 7 AND NAME = 'robert''s' AND X > 2;",
      "SELECT ID,\n  'a' AS A,\n  NAME FROM T\nWHERE ID = 22 AND NAME = 'zz'\n  AND X > 3;",
      "SELECT ID,\n  'abc' AS A,\n  NAME FROM T\nWHERE ID = 1 AND NAME = 'z'\n  AND X > 30000;",
      "SELECT ID,\n  'abcdefgh' AS A,\n  NAME FROM T\nWHERE ID = 1234567 AND NAME = ''\n  AND X > 0;",
      'SELECT * FROM T WHERE ID IN (1, 22, 333) EMIT CHANGES;',
      'SELECT * FROM T WHERE ID IN (4444, 5, 66) EMIT CHANGES;',
      'SELECT * FROM T WHERE ID IN (7, 88888, 9) EMIT CHANGES;',
    ]);
    // Per shape (4000000000 is a BIGINT: a shape of its own), the first text is parsed, the
    // second parsed to check the copy, the rest copied.
    expect([cache.size, cache.hits]).toEqual([4, 2]);
  });

  it('keeps INTEGER and BIGINT literals apart, and BIGINT digits exact', () => {
    const cache = throughCache(['SELECT * FROM T WHERE ID = 1;', 'SELECT * FROM T WHERE ID = 9007199254740993;', 'SELECT * FROM T WHERE ID = 2;']);
    expect(cache.size).toBe(2);
  });

  it('counts positions from where the statement starts in its script', () => {
    const cache = new StatementCache();
    const base = { line: 3, column: 5, offset: 40 };
    for (const k of ['a', 'bbbbbb', 'cc']) {
      const text = `SELECT * FROM T WHERE K = '${k}' AND V = 1;`;
      expect(cache.parse(text, base)).toStrictEqual(parseStatement(text, base));
    }
  });

  it('leaves negative numbers, decimals, comments and quoted names as written', () => {
    const cache = throughCache([
      'SELECT * FROM T WHERE V = -1;',
      'SELECT * FROM T WHERE V = -22;',
      'SELECT * FROM T WHERE V = 1.5;',
      'SELECT * FROM T WHERE V = 12.75;',
      "SELECT * FROM T /* '1' */ WHERE `A'1` = 'q' -- 2 'x'\n;",
      "SELECT * FROM T /* '1' */ WHERE `A'1` = 'qq' -- 2 'x'\n;",
      'SELECT "col 1" FROM T WHERE K = \'a\';',
    ]);
    // Only the last two shapes mask a literal; a literal masked inside the comment or the quoted name would not be cached.
    expect(cache.size).toBe(2);
  });

  it('reports a statement that does not parse with the parser error, after a cached query of the same shape', () => {
    const cache = throughCache(["SELECT * FROM T WHERE K = 'a';", "SELECT * FROM T WHERE K = 'b';"]);
    const bad = "SELECT * FROM T WHERE K = 'abc' AND;";
    let expected: unknown;
    try {
      parseStatement(bad);
    } catch (e) {
      expected = e;
    }
    expect(expected).toBeInstanceOf(ParseError);
    expect(() => cache.parse(bad)).toThrow((expected as Error).message);
    expect((expected as Error).message).toMatch(/line 1:36/);
  });

  it('copies what the parser gives across a corpus of queries with literals of every length', () => {
    const corpus = [
      "SELECT ID, CASE WHEN AMOUNT > 100 THEN 'big' WHEN AMOUNT > 10 THEN 'mid' ELSE 'small' END AS SIZE FROM T WHERE NAME LIKE 'a%' EMIT CHANGES;",
      "SELECT SUBSTRING(NAME, 1, 3), CONCAT(NAME, '-', 'x') AS C, ARR[1], M['k'], S->F FROM T WHERE ID BETWEEN 5 AND 500;",
      "SELECT TRANSFORM(ARR, X => X + 1) AS A, FILTER(ARR, X => X > 2) AS B FROM T WHERE K IN ('a', 'bb', 'ccc');",
      "SELECT K, COUNT(*) FROM T WINDOW TUMBLING (SIZE 5 SECONDS) WHERE V <> 'z' GROUP BY K HAVING COUNT(*) > 3 EMIT CHANGES;",
      "SELECT A.ID, B.NAME FROM A JOIN B WITHIN 10 SECONDS ON A.ID = B.ID WHERE A.V = 7 AND B.W = 'w' EMIT CHANGES;",
      "SELECT * FROM T WHERE WINDOWSTART >= 1000 AND WINDOWEND <= 2000000 AND K = 'key-1';",
      "SELECT ARRAY[1, 2, 3] AS A, MAP('a' := 1, 'b' := 22) AS M, STRUCT(X := 'x', Y := 5) AS S FROM T WHERE ID = 42;",
      "SELECT CAST(ID AS STRING) + 'x', IFNULL(NAME, 'none'), ID % 7 FROM T\n  WHERE NAME IS NOT NULL\n    AND ID > 12\n  EMIT CHANGES LIMIT 10;",
    ];
    const other = (n: number, i: number) => ["'q'", "'a much longer literal'", "''"][(n + i) % 3]!;
    const variants = corpus.flatMap((q) =>
      [0, 1, 2].map((n) => {
        let i = 0;
        return q.replace(/'[^']*'|\b\d+\b/g, (lit) => (lit.startsWith("'") ? other(n, i++) : String(10 ** (n + (i++ % 4)) + n)));
      }),
    );
    const cache = throughCache([...corpus, ...variants]);
    // The WINDOW SIZE, WITHIN and LIMIT numbers are no expression literals: those three shapes
    // are parsed every time. The other five: parsed, parsed to check the copy, then copied twice.
    expect([cache.size, cache.hits]).toEqual([5, 10]);
  });

  it('does not cache statements other than queries', () => {
    const cache = new StatementCache();
    cache.parse("INSERT INTO T (K, V) VALUES ('a', 1);");
    cache.parse("SET 'auto.offset.reset'='earliest';");
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used shape beyond its capacity', () => {
    const cache = new StatementCache(2);
    cache.parse("SELECT * FROM A WHERE K = 'a';");
    cache.parse("SELECT * FROM B WHERE K = 'a';");
    cache.parse("SELECT * FROM A WHERE K = 'a';");
    cache.parse("SELECT * FROM C WHERE K = 'a';");
    expect(cache.size).toBe(2);
    const hits = cache.hits;
    cache.parse("SELECT * FROM A WHERE K = 'a';");
    expect(cache.hits).toBe(hits + 1);
    const misses = cache.misses;
    cache.parse("SELECT * FROM B WHERE K = 'a';");
    expect(cache.misses).toBe(misses + 1);
  });
});
