/**
 * ksqlDB's SQL-file test format (its ksqldb-testing-tool: `--@test:` blocks,
 * INSERT INTO … VALUES, ASSERT VALUES / ASSERT NULL VALUES, ASSERT STREAM|TABLE,
 * `--@expected.error:` / `--@expected.message:`) through the real CLI:
 * `sluice test --test-directory DIR` (bin/sluice.js → dist/, so build first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sluice.js');

function sluice(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const PASSING = `-- tests of a doubling stream
--@test: doubles col1
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
CREATE STREAM b AS SELECT id, col1 * 2 AS doubled FROM a;
INSERT INTO a (id, col1) VALUES (1, 1);
INSERT INTO a (id, col1, ROWTIME) VALUES (2, 5, 100);
ASSERT VALUES b (id, doubled) VALUES (1, 2);
ASSERT VALUES b (id, doubled, ROWTIME) VALUES (2, 10, 100);
ASSERT STREAM b (id INT KEY, doubled INT) WITH (KAFKA_TOPIC='B', VALUE_FORMAT='JSON');

--@test: filtered table row becomes a tombstone
CREATE TABLE t (id INT PRIMARY KEY, v STRING) WITH (kafka_topic='t', value_format='JSON');
CREATE TABLE kept AS SELECT * FROM t WHERE v = 'keep';
INSERT INTO t (id, v) VALUES (1, 'keep');
INSERT INTO t (id, v) VALUES (1, 'drop');
ASSERT VALUES kept (id, v) VALUES (1, 'keep');
ASSERT NULL VALUES kept (id) KEY (1);
ASSERT TABLE kept (id INT PRIMARY KEY, v STRING) WITH (KAFKA_TOPIC='KEPT');

--@test: DEFINE variables reach later statements and asserts
DEFINE topic = 'in';
DEFINE n = '7';
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='\${topic}', value_format='JSON');
INSERT INTO a (id, col1) VALUES (1, \${n});
ASSERT VALUES a (id, col1) VALUES (1, \${n});
ASSERT STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='\${topic}', value_format='JSON');
`;

/** The sample file of ksqlDB's "How to test an application" page (run-ksql-test). */
const KSQLDB_DOCS_SAMPLE = `--@test: Passing test

CREATE STREAM s (id INT KEY, foo INT) WITH (kafka_topic='s', value_format='JSON');
CREATE TABLE t (id INT PRIMARY KEY, bar INT) WITH (kafka_topic='t', value_format='JSON');

CREATE STREAM j AS SELECT s.id, s.foo, t.bar FROM s JOIN t ON s.id = t.id;

INSERT INTO t (rowtime, id, bar) VALUES (1, 1, 1);
INSERT INTO s (rowtime, id, foo) VALUES (1, 1, 2);

ASSERT VALUES j (rowtime, s_id, foo, bar) VALUES (1, 1, 2, 1);

--@test: Failing test
--@expected.error: io.confluent.ksql.util.KsqlException
--@expected.message: (The following columns are changed, missing or reordered: [\`COL2\` INTEGER])

SET 'ksql.create.or.replace.enabled' = 'true';

CREATE STREAM a (id INT KEY, col1 INT, col2 INT) WITH (kafka_topic='a', value_format='JSON');
CREATE STREAM b AS SELECT id, col1, col2 FROM a;
INSERT INTO a (id, col1) VALUES (3, 5);
ASSERT VALUES b (id, col1) VALUES (3, 5);
CREATE OR REPLACE STREAM b AS SELECT id, col1 FROM a;
`;

const FAILING = `--@test: wrong value
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
INSERT INTO a (id, col1, ROWTIME) VALUES (1, 1, 5);
ASSERT VALUES a (id, col1) VALUES (1, 2);

--@test: one record too many
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
INSERT INTO a (id, col1, ROWTIME) VALUES (1, 1, 5);
ASSERT VALUES a (id, col1) VALUES (1, 1);
ASSERT VALUES a (id, col1) VALUES (1, 1);

--@test: wrong schema
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
ASSERT STREAM a (id INT KEY, col1 STRING) WITH (kafka_topic='a', value_format='JSON');
`;

const EXPECTED_ERROR = `--@test: unknown target is refused
--@expected.error: io.confluent.ksql.util.KsqlStatementException
--@expected.message: Cannot insert values into an unknown stream/table: NOPE
INSERT INTO nope (id) VALUES (1);

--@test: a failed ASSERT VALUES is a java.lang.AssertionError
--@expected.error: java.lang.AssertionError
--@expected.message: Expected record does not match actual.
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
INSERT INTO a (id, col1) VALUES (1, 1);
ASSERT VALUES a (id, col1) VALUES (1, 2);

--@test: a statement error is not a parse failure
--@expected.error: io.confluent.ksql.parser.exception.ParseFailedException
--@expected.message: unknown stream/table
INSERT INTO nope (id) VALUES (1);

--@test: expected error that does not happen
--@expected.error: io.confluent.ksql.util.KsqlStatementException
--@expected.message: boom
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
`;

/** A windowed aggregate asserted by window bounds and ROWTIME; mismatches of window, schema and pseudo columns. */
const WINDOWED = `--@test: windowed counts by window bounds and rowtime
CREATE STREAM clicks (id INT KEY, n INT) WITH (kafka_topic='clicks', value_format='JSON');
CREATE TABLE counts AS SELECT id, COUNT(*) AS c FROM clicks WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY id EMIT CHANGES;
INSERT INTO clicks (id, n, ROWTIME) VALUES (1, 1, 1000);
INSERT INTO clicks (id, n, ROWTIME) VALUES (1, 1, 2000);
INSERT INTO clicks (id, n, ROWTIME) VALUES (1, 1, 12000);
ASSERT VALUES counts (id, WINDOWSTART, WINDOWEND, ROWTIME, c) VALUES (1, 0, 10000, 1000, 1);
ASSERT VALUES counts (id, WINDOWSTART, WINDOWEND, c) VALUES (1, 0, 10000, 2);
ASSERT VALUES counts (WINDOWSTART, ROWTIME, id, c) VALUES (10000, 12000, 1, 1);
ASSERT TABLE counts (id INT PRIMARY KEY, c BIGINT) WITH (KAFKA_TOPIC='COUNTS');

--@test: wrong window start
CREATE STREAM clicks (id INT KEY, n INT) WITH (kafka_topic='clicks', value_format='JSON');
CREATE TABLE counts AS SELECT id, COUNT(*) AS c FROM clicks WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY id EMIT CHANGES;
INSERT INTO clicks (id, n, ROWTIME) VALUES (1, 1, 12000);
ASSERT VALUES counts (id, WINDOWSTART, c) VALUES (1, 0, 1);

--@test: table schema mismatch
CREATE TABLE t (id INT PRIMARY KEY, v STRING) WITH (kafka_topic='t', value_format='JSON');
ASSERT TABLE t (id INT PRIMARY KEY, v INT) WITH (kafka_topic='t');

--@test: WINDOWSTART on an unwindowed source
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
INSERT INTO a (id, col1) VALUES (1, 1);
ASSERT VALUES a (id, WINDOWSTART) VALUES (1, 0);

--@test: an assertion out of the testing tool's grammar is a parse failure
--@expected.error: io.confluent.ksql.parser.exception.ParseFailedException
--@expected.message: Syntax error at or near 'KEY' at line 1:22
CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');
ASSERT VALUES a (id) KEY (1);
`;

let tmp: string;
const dir = (name: string, files: Record<string, string>): string => {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(d, f), text);
  return d;
};

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` before this suite');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sqltests-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('sluice test --test-directory (ksqlDB SQL-file tests)', () => {
  it('passes a file whose INSERT VALUES, ASSERT VALUES, ASSERT NULL VALUES, ASSERT STREAM/TABLE and DEFINE all hold, exit 0', () => {
    const r = sluice(['test', '--test-directory', dir('passing', { 'double.sql': PASSING })]);
    expect(r.out).toContain('Running test: doubles col1 (double.sql:2)\n\t >>> Test passed!');
    expect(r.out).toContain('Running test: filtered table row becomes a tombstone (double.sql:11)\n\t >>> Test passed!');
    expect(r.out).toContain('Running test: DEFINE variables reach later statements and asserts (double.sql:20)\n\t >>> Test passed!');
    expect(r.out.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it("passes ksqlDB's documented sample file with run-ksql-test's short flags -td and -tf", () => {
    const r = sluice(['test', '-td', dir('docs', { 'sample.sql': KSQLDB_DOCS_SAMPLE }), '-tf', path.join(tmp, 'scratch')]);
    expect(r.out).toContain('Running test: Passing test (sample.sql:1)\n\t >>> Test passed!');
    expect(r.out).toContain('Running test: Failing test (sample.sql:13)\n\t >>> Test passed!');
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('fails a mismatched ASSERT VALUES, a read past the last record and a wrong ASSERT STREAM schema with ksqlDB-like messages, exit 1', () => {
    const r = sluice(['test', '--test-directory', dir('failing', { 'f.sql': FAILING })]);
    expect(r.out).toContain(
      [
        'Running test: wrong value (f.sql:1)',
        '\t>>>>> Test failed: Test failure for assert `ASSERT VALUES a (id, col1) VALUES (1, 2)` (f.sql:4):',
        '\tExpected record does not match actual.',
        '. | ROWTIME | ID | COL1',
        'EXPECTED | 1 | null | 2',
        'ACTUAL | 1 | 5 | 1',
      ].join('\n'),
    );
    expect(r.out).toContain(
      ['\tExpected another record, but all records have already been read:', '. | ROWTIME | ID | COL1', 'EXPECTED | 1 | null | 1', 'ACTUAL | 1 | 5 | 1'].join(
        '\n',
      ),
    );
    expect(r.out).toContain(
      '\tExpected schema does not match actual for source A.\n\tExpected: `ID` INTEGER KEY, `COL1` STRING\n\tActual: `ID` INTEGER KEY, `COL1` INTEGER',
    );
    expect(r.out.trim().split('\n').at(-1)).toBe('0 passed, 3 failed');
    expect(r.code).toBe(1);
  });

  it('passes tests whose expected error class and message occur, fails a wrong class and an error that never comes', () => {
    const r = sluice(['test', '--test-directory', dir('errors', { 'e.sql': EXPECTED_ERROR })]);
    expect(r.out).toContain('Running test: unknown target is refused (e.sql:1)\n\t >>> Test passed!');
    expect(r.out).toContain('Running test: a failed ASSERT VALUES is a java.lang.AssertionError (e.sql:6)\n\t >>> Test passed!');
    expect(r.out).toContain(
      'Running test: a statement error is not a parse failure (e.sql:13)\n\t>>>>> Test failed: Test failure for statement `INSERT INTO nope (id) VALUES (1)` (e.sql:16):\n\tExpected exception with class class io.confluent.ksql.parser.exception.ParseFailedException but got io.confluent.ksql.util.KsqlStatementException: Cannot insert values into an unknown stream/table: NOPE',
    );
    expect(r.out).toContain(
      "Running test: expected error that does not happen (e.sql:18)\n\t>>>>> Test failed: Test failure for statement `CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON')` (e.sql:21):\n\tDid not get expected exception of type io.confluent.ksql.util.KsqlStatementException with message boom",
    );
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 2 failed');
    expect(r.code).toBe(1);
  });

  it('asserts a windowed aggregate by WINDOWSTART, WINDOWEND and ROWTIME; fails a wrong window, an ASSERT TABLE schema and an unknown pseudo column', () => {
    const r = sluice(['test', '--test-directory', dir('windowed', { 'w.sql': WINDOWED })]);
    expect(r.out).toContain('Running test: windowed counts by window bounds and rowtime (w.sql:1)\n\t >>> Test passed!');
    expect(r.out).toContain(
      [
        'Running test: wrong window start (w.sql:12)',
        '\t>>>>> Test failed: Test failure for assert `ASSERT VALUES counts (id, WINDOWSTART, c) VALUES (1, 0, 1)` (w.sql:16):',
        '\tExpected record does not match actual.',
        '. | ROWTIME | ID | C',
        'EXPECTED | 1 | null | 1',
        'ACTUAL | 1 | 12000 | 1',
      ].join('\n'),
    );
    expect(r.out).toContain(
      [
        'Running test: table schema mismatch (w.sql:18)',
        "\t>>>>> Test failed: Test failure for assert `ASSERT TABLE t (id INT PRIMARY KEY, v INT) WITH (kafka_topic='t')` (w.sql:20):",
        '\tExpected schema does not match actual for source T.',
        '\tExpected: `ID` INTEGER KEY, `V` INTEGER',
        '\tActual: `ID` INTEGER KEY, `V` STRING',
      ].join('\n'),
    );
    expect(r.out).toContain(
      'Running test: WINDOWSTART on an unwindowed source (w.sql:22)\n\t>>>>> Test failed: Test failure for assert `ASSERT VALUES a (id, WINDOWSTART) VALUES (1, 0)` (w.sql:25):\n\tColumn name WINDOWSTART does not exist.',
    );
    expect(r.out).toContain("Running test: an assertion out of the testing tool's grammar is a parse failure (w.sql:27)\n\t >>> Test passed!");
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 3 failed');
    expect(r.code).toBe(1);
  });

  it('fails on a directory with no --@test blocks, and on a missing directory, instead of reporting 0 passed', () => {
    const empty = dir('empty', { 'notes.sql': "CREATE STREAM x (id INT) WITH (kafka_topic='x', value_format='JSON');\n", 'readme.txt': 'hi' });
    const r = sluice(['test', '--test-directory', empty]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`No tests found in ${empty}: expected *.sql files with --@test: <name> lines`);
    expect(r.out).not.toContain('0 passed');
    const missing = path.join(tmp, 'no-such-dir');
    const m = sluice(['test', '--test-directory', missing]);
    expect(m.code).toBe(1);
    expect(m.err.trim()).toBe(`Test directory ${missing} does not exist or is not a directory`);
  });
});
