import { describe, expect, it } from 'vitest';
import { parseStatements, splitStatements, substituteVariables } from '../src/parser/index.js';
import { positionAt } from '../src/parser/split.js';

describe('splitStatements', () => {
  it('splits at semicolons outside quotes and comments', () => {
    const sql = 'SELECT \';\' FROM s; -- a; comment\nSELECT `a;b` FROM t /* x; y */;\nSELECT "c;" FROM u';
    expect(splitStatements(sql).map((s) => s.text)).toEqual(["SELECT ';' FROM s", '-- a; comment\nSELECT `a;b` FROM t /* x; y */', 'SELECT "c;" FROM u']);
  });

  it('reports where each statement starts', () => {
    const parts = splitStatements('  SHOW STREAMS;\n\n  SHOW TABLES ;');
    expect(parts).toEqual([
      { text: 'SHOW STREAMS', pos: { line: 1, column: 3, offset: 2 } },
      { text: 'SHOW TABLES', pos: { line: 3, column: 3, offset: 19 } },
    ]);
  });

  it('gives every statement of a long script the position positionAt gives it', () => {
    const sql = Array.from({ length: 300 }, (_, i) => `${i % 3 === 0 ? '\n  ' : ' '}INSERT INTO s VALUES (${i}, 'a;\nb');${i % 5 === 0 ? ' -- c\n' : ''}`).join(
      '',
    );
    const parts = splitStatements(sql);
    expect(parts).toHaveLength(300);
    for (const p of parts) expect(p.pos).toEqual(positionAt(sql, p.pos.offset));
    expect(parts[299]!.pos.line).toBe(1 + (sql.slice(0, parts[299]!.pos.offset).match(/\n/g) ?? []).length);
  });

  it('drops empty and comment-only segments', () => {
    expect(splitStatements(';; -- nothing\n /* here */ ;')).toEqual([]);
    expect(splitStatements('SHOW STREAMS;\n-- trailing comment\n')).toHaveLength(1);
  });

  it('handles doubled quotes inside literals', () => {
    expect(splitStatements("SELECT 'a'';b' FROM s; SHOW TABLES").map((s) => s.text)).toEqual(["SELECT 'a'';b' FROM s", 'SHOW TABLES']);
  });

  it('keeps an unterminated string to the end', () => {
    expect(splitStatements("SELECT 'a; b")).toHaveLength(1);
  });
});

describe('parseStatements', () => {
  it('parses each statement with script positions and its own text', () => {
    const stmts = parseStatements("CREATE STREAM s (a INT) WITH (kafka_topic='s');\n  SELECT a FROM s EMIT CHANGES;");
    expect(stmts.map((s) => s.kind)).toEqual(['CreateSource', 'QueryStatement']);
    expect(stmts[1]?.text).toBe('SELECT a FROM s EMIT CHANGES');
    expect(stmts[1]?.pos).toEqual({ line: 2, column: 3, offset: 50 });
  });
});

describe('substituteVariables', () => {
  const vars = new Map([
    ['format', 'AVRO'],
    ['Replicas', '3'],
  ]);

  it('substitutes everywhere, case-insensitively', () => {
    expect(substituteVariables("WITH (value_format='${format}', replicas=${REPLICAS})", vars)).toBe("WITH (value_format='AVRO', replicas=3)");
    expect(substituteVariables('CREATE STREAM ${FORMAT}_s', vars)).toBe('CREATE STREAM AVRO_s');
  });

  it('leaves unknown variables alone and honours $$ escapes', () => {
    expect(substituteVariables('SELECT ${nope} FROM s', vars)).toBe('SELECT ${nope} FROM s');
    expect(substituteVariables("SELECT '$${format}' FROM s", vars)).toBe("SELECT '${format}' FROM s");
  });
});
