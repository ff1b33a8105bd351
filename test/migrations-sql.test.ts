/**
 * How `sluice migrations` splits and classifies a migration file, and reads
 * `--define` arguments: ksql-migrations' rules and messages, with Sluice's
 * splitter (which also knows quoted identifiers).
 */
import { describe, expect, it } from 'vitest';
import { classify, parseDefines, splitMigration } from '../cli/migrations/sql.js';
import { configTemplate, migrationFileName } from '../cli/migrations/files.js';

describe('migration files', () => {
  it('splits at ; outside strings, quoted identifiers and comments; a trailing comment is fine', () => {
    expect(splitMigration("CREATE STREAM `a;b` (v STRING) WITH (kafka_topic='t;1');\n-- done; really\n/* and ; this */\n")).toEqual([
      "CREATE STREAM `a;b` (v STRING) WITH (kafka_topic='t;1');",
    ]);
    expect(splitMigration("INSERT INTO s VALUES ('it''s');\nINSERT INTO s VALUES ('x') ;")).toEqual([
      "INSERT INTO s VALUES ('it''s');",
      "INSERT INTO s VALUES ('x');",
    ]);
    expect(splitMigration('  \n-- nothing\n')).toEqual([]);
  });

  it('text after the last ; (an unterminated statement or an unclosed quote) fails with the missing-semicolon message', () => {
    expect(() => splitMigration('CREATE STREAM a (v STRING);\nDROP STREAM a')).toThrow("Unmatched command at end of file; missing semicolon: 'DROP STREAM a'");
    expect(() => splitMigration("INSERT INTO s VALUES ('open;")).toThrow("Unmatched command at end of file; missing semicolon: 'INSERT INTO s VALUES ('open;'");
  });

  it('classifies SET, UNSET, DEFINE and UNDEFINE, unquoting their values; anything else goes to the server', () => {
    expect(classify("SET 'auto.offset.reset' = 'earliest';")).toEqual({
      kind: 'set',
      text: "SET 'auto.offset.reset' = 'earliest';",
      name: 'auto.offset.reset',
      value: 'earliest',
    });
    expect(classify("unset 'a.b';")).toEqual({ kind: 'unset', text: "unset 'a.b';", name: 'a.b' });
    expect(classify("DEFINE who = 'o''brien';")).toEqual({ kind: 'define', text: "DEFINE who = 'o''brien';", name: 'who', value: "o'brien" });
    expect(classify('UNDEFINE who;')).toEqual({ kind: 'undefine', text: 'UNDEFINE who;', name: 'who' });
    expect(classify("CREATE SOURCE CONNECTOR c WITH ('connector.class'='x');")).toEqual({
      kind: 'statement',
      text: "CREATE SOURCE CONNECTOR c WITH ('connector.class'='x');",
    });
  });

  it('refuses statements that only read, and malformed SET or DEFINE, with ksql-migrations’ messages', () => {
    expect(() => classify('SELECT * FROM s;')).toThrow("'SELECT' statements are not supported.");
    expect(() => classify('describe s;')).toThrow("'DESCRIBE' statements are not supported.");
    expect(() => classify("RUN SCRIPT 'x.sql';")).toThrow("'RUN SCRIPT' statements are not supported.");
    expect(() => classify('SET auto.offset.reset = earliest;')).toThrow('Invalid SET command: SET auto.offset.reset = earliest;');
    expect(() => classify('DEFINE 1x = 2;')).toThrow('Invalid DEFINE command: DEFINE 1x = 2;');
  });

  it('reads --define NAME=VALUE (the value may hold =); one without = is refused', () => {
    expect([...parseDefines(['a=1', 'b=x=y', 'c='])]).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
      ['c', ''],
    ]);
    expect(() => parseDefines(['novalue'])).toThrow("Variables must be defined using '=' (i.e. var=val). Got: 'novalue'");
  });

  it('names files V<six digits>__<description> with whitespace and path characters as _', () => {
    expect(migrationFileName(12, 'Add users: v2/final?')).toBe('V000012__Add_users__v2_final_.sql');
    expect(migrationFileName(1, 'café *ünïcode*')).toBe('V000001__café__ünïcode_.sql');
    expect(configTemplate('http://h:1').split('\n')[0]).toBe('ksql.server.url=http://h:1');
  });
});
