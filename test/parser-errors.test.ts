import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/common/errors.js';
import { parseExpression, parseStatement, parseStatements } from '../src/parser/index.js';

function error(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('syntax errors', () => {
  it("names what was expected at the offending token, under ksqlDB's `line L:C: Syntax Error` line", () => {
    const e = error(() => parseStatement('SELECT * FORM s'));
    expect(e.message).toBe("line 1:10: Syntax Error\nmissing 'FROM' at 'FORM'");
    expect(e.position).toEqual({ line: 1, column: 10, offset: 9 });
  });

  it('points after the last token when input ends early', () => {
    const e = error(() => parseStatement('SELECT a FROM s WHERE'));
    expect(e.message).toBe("line 1:22: Syntax Error\nSyntax error at or near '<EOF>' at line 1:22");
  });

  it('reports extraneous input', () => {
    const e = error(() => parseStatement('SHOW STREAMS foo'));
    expect(e.message).toBe("line 1:14: Syntax Error\nextraneous input 'foo' expecting ';'");
  });

  it('rejects two statements given to parseStatement', () => {
    expect(error(() => parseStatement('SHOW STREAMS; SHOW TABLES')).position?.column).toBe(15);
  });

  it('reports multi-line positions and a caret snippet', () => {
    const sql = 'CREATE STREAM s (\n  a INT,\n  b WHAT?)';
    const e = error(() => parseStatement(sql));
    expect(e.position).toMatchObject({ line: 3, column: 9 });
    expect(e.describe(sql)).toBe(`${e.message}\n  b WHAT?)\n        ^`);
  });

  it('positions refer to the whole script in parseStatements', () => {
    const e = error(() => parseStatements('SHOW STREAMS;\nSELECT a\n  FROM s WHERE a = ;'));
    expect(e.position).toEqual({ line: 3, column: 19, offset: 41 });
  });

  it("words lexer errors as ANTLR's token recognition errors", () => {
    expect(error(() => parseStatement("SELECT 'abc FROM s")).message).toBe("line 1:8: Syntax Error\ntoken recognition error at: ''abc FROM s'");
    expect(error(() => parseStatement('SELECT `abc\nFROM s')).message).toBe("line 1:8: Syntax Error\ntoken recognition error at: '`abc\\nFROM s'");
    expect(error(() => parseStatement('SELECT a FROM s /* x')).message).toBe("line 1:17: Syntax Error\nSyntax error at or near '/' at line 1:17");
    expect(error(() => parseStatement('SELECT # FROM s')).message).toBe("line 1:8: Syntax Error\ntoken recognition error at: '#'");
  });

  it("rejects reserved words as identifiers with ksqlDB's hint to quote them", () => {
    const hint = (w: string) => `"${w}" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as '${w}' `;
    expect(error(() => parseStatement('SELECT from FROM s')).message).toBe(`line 1:8: Syntax Error\n${hint('from')}`);
    expect(error(() => parseStatement('CREATE STREAM select (a INT)')).message).toBe(`line 1:15: Syntax Error\n${hint('select')}`);
  });

  it('names an unknown statement keyword, suggesting the statement one typo away', () => {
    expect(error(() => parseStatement('SELEC * FROM s')).message).toBe("line 1:1: Syntax Error\nUnknown statement 'SELEC'\nDid you mean 'SELECT'?");
    expect(error(() => parseStatement('DESCIRBE s')).message).toBe("line 1:1: Syntax Error\nUnknown statement 'DESCIRBE'\nDid you mean 'DESCRIBE'?");
    expect(error(() => parseStatement('FOO BAR')).message).toBe("line 1:1: Syntax Error\nUnknown statement 'FOO'");
  });

  it("reports ANTLR's single-token recovery: a missing token, an extraneous one", () => {
    const e = error(() => parseStatement('CREATE TABLE o AS SELECT f1, COUNT(*) FROM t GROUP BY f3, (f2, f1)'));
    expect(e.message).toBe("line 1:62: Syntax Error\nmissing ')' at ','");
    expect(error(() => parseStatement('INSERT INTO s (a INT) VALUES (1)')).message).toBe("line 1:18: Syntax Error\nextraneous input 'INT' expecting ')'");
  });

  it("lists at most three expected tokens, in ksqlDB's token order, else says where it stopped", () => {
    expect(error(() => parseStatement('CREATE STREAM i (k INTEGER (KEY))')).message).toBe("line 1:29: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}");
    expect(error(() => parseStatement('SELECT * FROM s WHERE a = 1 GROUP')).message).toBe("line 1:34: Syntax Error\nExpecting 'BY'");
    expect(error(() => parseStatement('DESCRIBE;')).message).toBe("line 1:9: Syntax Error\nSyntax error at or near ';' at line 1:9");
  });

  it('reports no viable alternative at the token where every alternative stops', () => {
    const e = error(() => parseStatement('CREATE CONECTOR c'));
    expect(e.message).toBe("line 1:8: Syntax Error\nSyntax error at or near 'CONECTOR' at line 1:8");
    expect(e.position).toEqual({ line: 1, column: 8, offset: 7 });
  });

  it('rejects out-of-range numbers', () => {
    expect(error(() => parseExpression('9223372036854775808')).message).toMatch(/Invalid numeric literal: 9223372036854775808/);
    expect(error(() => parseExpression('1.7976931348623159E308')).message).toMatch(/Number overflows DOUBLE/);
  });

  it('rejects an empty statement and bad escapes', () => {
    expect(error(() => parseStatement('')).message).toBe("line 1:1: Syntax Error\nSyntax error at or near '<EOF>' at line 1:1");
    expect(error(() => parseExpression("a LIKE 'x' ESCAPE 'ab'")).message).toMatch(/single character/);
  });

  it('rejects unsupported statements', () => {
    expect(error(() => parseStatement('ALTER STREAM s DROP COLUMN c')).message).toBe("line 1:16: Syntax Error\nExpecting 'ADD'");
    expect(error(() => parseStatement("RUN SCRIPT 'x.sql'")).message).toBe("line 1:1: Syntax Error\nUnknown statement 'RUN'");
  });

  it('never throws anything but ParseError', () => {
    const junk = ['(', ')', 'SELECT', 'CASE WHEN', "'", '`', '"', '${x}', 'STRUCT<', 'ARRAY[', '->', ':=', 'WITHIN (', '1e', '--', '/*'];
    let failures = 0;
    for (const a of junk) {
      for (const b of junk) {
        try {
          parseStatement(`SELECT ${a} ${b} FROM s`); // some pairs are valid, e.g. `' '`
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
          failures++;
        }
      }
    }
    expect(failures).toBeGreaterThan(200);
  });
});

// ksqlDB's grammar (SqlBase.g4) takes valueExpressions in GROUP BY, PARTITION BY and
// INSERT VALUES: a boolean operator or predicate there must be parenthesised.
describe('value-expression positions', () => {
  const rejected: readonly [string, string][] = [
    ['AND in GROUP BY', 'SELECT COUNT(*) FROM s GROUP BY a AND b'],
    ['a comparison in GROUP BY', 'SELECT COUNT(*) FROM s GROUP BY a = b'],
    ['IS NULL in PARTITION BY', 'SELECT * FROM s PARTITION BY a IS NULL'],
    ['LIKE in PARTITION BY', "SELECT * FROM s PARTITION BY a LIKE 'x'"],
    ['a nested grouping list', 'SELECT COUNT(*) FROM s GROUP BY c, (a, b)'],
    ['a comparison in VALUES', 'INSERT INTO s (a) VALUES (1 = 1)'],
  ];
  for (const [what, sql] of rejected) {
    it(`rejects ${what}`, () => {
      expect(error(() => parseStatement(sql)).message).toMatch(/^line 1:\d+: Syntax Error\n/);
    });
  }

  it('accepts the same expressions in parentheses, and a parenthesised list', () => {
    expect(() => parseStatement('SELECT COUNT(*) FROM s GROUP BY (a = b)')).not.toThrow();
    expect(() => parseStatement('SELECT * FROM s PARTITION BY (a IS NULL)')).not.toThrow();
    expect(() => parseStatement('SELECT COUNT(*) FROM s GROUP BY (a, b)')).not.toThrow();
  });
});

describe('statement limits (issue 13)', () => {
  const nums = (n: number, sep: string) => Array.from({ length: n }, (_, i) => i).join(sep);

  it('refuses bracket nesting deeper than 100 levels at the first bracket past it', () => {
    expect(() => parseStatement(`SELECT ${'ABS('.repeat(100)}a${')'.repeat(100)} FROM s`)).not.toThrow();
    const e = error(() => parseStatement(`SELECT ${'ABS('.repeat(101)}a${')'.repeat(101)} FROM s`));
    expect(e.errorCode).toBe(40001);
    expect(e.message).toBe('Statement is nested too deeply: more than 100 levels of brackets or CASE.');
    expect(e.position).toMatchObject({ line: 1, column: 8 + 4 * 100 + 3 });
  });

  it('counts STRUCT<…> type brackets as nesting levels', () => {
    expect(() => parseStatement(`CREATE STREAM x (a ${'STRUCT<f '.repeat(99)}INT${'>'.repeat(99)}) WITH (kafka_topic='x', value_format='JSON')`)).not.toThrow();
    const e = error(() => parseStatement(`CREATE STREAM x (a ${'STRUCT<f '.repeat(1000)}INT${'>'.repeat(1000)}) WITH (kafka_topic='x', value_format='JSON')`));
    expect(e.message).toBe('Statement is nested too deeply: more than 100 levels of brackets or CASE.');
    expect(e.position).toMatchObject({ line: 1, column: 26 + 9 * 99 });
  });

  it('counts CASE … END as a nesting level', () => {
    const e = error(() => parseStatement(`SELECT ${'CASE WHEN a = 1 THEN '.repeat(101)}a${' END'.repeat(101)} FROM s`));
    expect(e.message).toBe('Statement is nested too deeply: more than 100 levels of brackets or CASE.');
  });

  it('refuses an expression more than 1000 levels deep instead of overflowing the stack', () => {
    const e = error(() => parseStatement(`SELECT ${nums(2000, '+')} FROM s`));
    expect(e.errorCode).toBe(40001);
    expect(e.message).toBe('Expression is nested too deeply: more than 1000 levels.');
    expect(() => parseStatement(`SELECT ${nums(900, '+')} FROM s`)).not.toThrow();
  });

  it('refuses an IN list of more than 2500 values at the IN expression', () => {
    expect(() => parseStatement(`SELECT * FROM s WHERE a IN (${nums(2500, ',')})`)).not.toThrow();
    const e = error(() => parseStatement(`SELECT * FROM s WHERE a IN (${nums(2501, ',')})`));
    expect(e.message).toBe('IN list is too long: 2501 values, the limit is 2500.');
    expect(e.position).toMatchObject({ line: 1, column: 23 });
  });

  it('refuses identifiers longer than 255 characters, quoted or not', () => {
    expect(() => parseStatement(`SHOW ${'x'.repeat(255)}`)).toThrow(/^line 1:6: Syntax Error\nSyntax error at or near 'x+' at line 1:6$/);
    expect(error(() => parseStatement(`DESCRIBE ${'x'.repeat(256)}`)).message).toBe('Identifier is too long: 256 characters, the limit is 255.');
    const e = error(() => parseStatement(`DESCRIBE \`${'x'.repeat(300)}\``));
    expect(e.message).toBe('Identifier is too long: 300 characters, the limit is 255.');
    expect(e.position).toMatchObject({ line: 1, column: 10 });
  });

  it('refuses statements over 262,144 characters or 10,000 tokens before parsing', () => {
    expect(error(() => parseStatement(`SELECT '${'x'.repeat(262_144)}' FROM s`)).message).toBe(
      'Statement is too large: 262160 characters, the limit is 262144.',
    );
    expect(error(() => parseStatement(`SELECT ${nums(6000, ',')} FROM s`)).message).toMatch(/^Statement is too large: 1200\d tokens, the limit is 10000\.$/);
  });

  it('shows a window of a long line in the caret snippet, not the whole statement', () => {
    const sql = `SELECT ${nums(2000, '+')} FROM s`;
    const e = error(() => parseStatement(sql));
    const [, line, caret] = e.describe(sql).split('\n');
    expect(line!.length).toBeLessThanOrEqual(206);
    expect(line!.startsWith('...')).toBe(true);
    expect(caret!.indexOf('^')).toBeLessThan(line!.length);
  });
});
