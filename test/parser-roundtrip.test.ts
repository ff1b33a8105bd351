import { describe, expect, it } from 'vitest';
import { formatExpression, formatStatement, parseExpression, parseStatement } from '../src/parser/index.js';
import type { Expression } from '../src/parser/index.js';
import { strip } from './parser-helpers.js';

const statements = [
  "CREATE STREAM s (id BIGINT KEY, name VARCHAR, `lower` INT, h BYTES HEADER('k'), hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) WITH (kafka_topic='s', value_format='JSON', partitions=2, 'a.b'=-1)",
  "CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, d DECIMAL(10, 2), m MAP<STRING, ARRAY<addr>>, ts TIMESTAMP, dt DATE, tm TIME, b BOOLEAN, x DOUBLE, bs BYTES) WITH (kafka_topic='t', format='AVRO')",
  "CREATE TABLE t WITH (kafka_topic='t', value_format='AVRO')",
  "CREATE STREAM out WITH (kafka_topic='o') AS SELECT s.*, a AS `x y`, b->c->*, CAST(a AS DECIMAL(5, 1)) FROM s WHERE a IS NOT NULL EMIT CHANGES",
  'CREATE TABLE agg AS SELECT k, COUNT(*) AS n, SUM(DISTINCT v) FROM s WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 2 DAYS, GRACE PERIOD 5 MINUTES) GROUP BY k HAVING COUNT(*) > 1 EMIT FINAL',
  'CREATE TABLE agg AS SELECT k1, k2 FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS) GROUP BY (k1, k2)',
  'SELECT * FROM s WINDOW SESSION (5 MINUTES) GROUP BY a PARTITION BY (a, b) LIMIT 10',
  'SELECT * FROM a JOIN b WITHIN 1 MINUTE ON a.id = b.id LEFT JOIN c cc WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON a.id = cc.id RIGHT OUTER JOIN d ON a.id = d.id FULL JOIN e ON e.k = a.k',
  "INSERT INTO out WITH (query_id='q') SELECT * FROM s",
  "INSERT INTO out (a, `B`, key) VALUES (1, 'x''y', -2.50)",
  'INSERT INTO out VALUES ()',
  'DROP STREAM IF EXISTS s DELETE TOPIC',
  'DROP TABLE t',
  'TERMINATE ALL',
  'TERMINATE CSAS_X_1',
  'TERMINATE `all`',
  'SHOW TABLES EXTENDED',
  'LIST TOPICS',
  'DESCRIBE EXTENDED s',
  'DESCRIBE `streams`',
  'DESCRIBE FUNCTION concat',
  'EXPLAIN SELECT * FROM s EMIT CHANGES',
  'EXPLAIN CSAS_X_1',
  "SET 'auto.offset.reset'='earliest'",
  "UNSET 'x'",
  'CREATE TYPE IF NOT EXISTS addr AS STRUCT<street STRING, `zip` INT>',
  'CREATE TYPE `INT` AS STRING',
  "CREATE STREAM s (a `INT`, b `Custom`) WITH (kafka_topic='t')",
  'DROP TYPE IF EXISTS addr',
  "PRINT 'Topic-1' FROM BEGINNING INTERVAL 2 LIMIT 3",
  'PRINT topic',
  "DEFINE myVar = 'it''s'",
  'UNDEFINE myVar',
  'SELECT key, value, size, timestamp, `emit`, `select` FROM `from` `where`',
];

const expressions = [
  'NOT a = 1 AND b OR c',
  '(a OR b) AND NOT (c AND d)',
  'NOT NOT a',
  'a || b + c * d - e / f % g',
  '(a || b) + 1',
  'a - (b - c)',
  'a * (b + c)',
  '-a * b',
  '-(a * b)',
  '- -a',
  '-(-5)',
  '-(5)',
  '+(1.5)',
  '-5',
  '-1.5E3',
  '1E-7',
  '0.1',
  '.25',
  '12345678901234',
  '9223372036854775807',
  '-9223372036854775808',
  "'multi\nline'",
  '(a = b) = c',
  'a BETWEEN b + 1 AND c || d',
  '(a BETWEEN 1 AND 2) = TRUE',
  "a NOT LIKE 'x' ESCAPE ''''",
  "a NOT IN (1, 2, 'x')",
  'a IS NOT DISTINCT FROM (b IS NULL)',
  'CASE WHEN a THEN 1 WHEN b THEN 2 ELSE NULL END',
  "CASE a + 1 WHEN 1 THEN 'x' END",
  'CAST(a AS MAP<STRING, STRUCT<x ARRAY<INT>>>)',
  'COUNT(*)',
  'count()',
  'NOW()',
  'COUNT(DISTINCT a)',
  'TRANSFORM(a, x => x + 1)',
  'REDUCE(m, 0, (s, k, v) => s + v)',
  "STRUCT(a := 1, `b c` := 'x')",
  "MAP('a' := 1, 'b' := ARRAY[1, 2])",
  'ARRAY[]',
  'a->b[1]->c',
  '(a + b)[1]',
  '(-a)->b',
  '-5[1]',
  'a[(b = c)]',
  's.a',
  '`S`.`lower`',
  '`1abc` + 1abc',
  'TIMESTAMPADD(SECONDS, 5, ts)',
  '`MAP`(1)',
  'a AND b AND c OR d OR e',
  'a OR (b OR c)',
];

describe('round-trip: parse → format → parse', () => {
  it.each(statements)('%s', (sql) => {
    const ast = parseStatement(sql);
    const text = formatStatement(ast);
    expect(strip(parseStatement(text))).toEqual(strip(ast));
  });

  it.each(expressions)('%s', (sql) => {
    const ast = parseExpression(sql);
    const text = formatExpression(ast);
    expect(strip(parseExpression(text))).toEqual(strip(ast));
  });

  it('prints readable SQL', () => {
    expect(formatExpression(parseExpression('a+b*c'))).toBe('A + B * C');
    expect(formatExpression(parseExpression('(a+b)*c'))).toBe('(A + B) * C');
    expect(formatStatement(parseStatement("select a as x from s where b = 'q' emit changes"))).toBe("SELECT A AS X FROM S WHERE B = 'q' EMIT CHANGES");
  });

  it('formats hand-built ASTs that have no direct syntax', () => {
    const pos = { line: 1, column: 1, offset: 0 };
    const five = { kind: 'Literal', literalType: 'INTEGER', value: 5, pos } as const;
    const neg: Expression = { kind: 'Unary', op: '-', operand: five, pos };
    expect(formatExpression(neg)).toBe('-(5)');
    expect(strip(parseExpression(formatExpression(neg)))).toEqual(strip(neg));
    const dbl: Expression = { kind: 'Literal', literalType: 'DOUBLE', value: 1500, pos };
    expect(strip(parseExpression(formatExpression(dbl)))).toEqual(strip(dbl));
  });
});
