/**
 * Syntax errors over `/ksql` as ksqlDB words them: a 40001 `statement_error`
 * carrying `statementText`, whose message starts with ksqlDB's lines (`line
 * L:C: Syntax Error`, then the detail), Sluice's caret snippet after them.
 * Expected lines come from ksqlDB's own tests (its QTT `asserts.json`, where the
 * server refuses the testing tool's ASSERT VALUES / NULL VALUES / STREAM / TABLE
 * at the word after ASSERT, and `key-schemas.json`) and from its parser's error
 * listener and strategy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { PAGEVIEWS, ksql, postJson, startTestServer } from './server-helpers.js';

const RESERVED_HINT = (w: string) =>
  `"${w}" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as '${w}' `;

/** Statement → the lines ksqlDB's message starts with. */
const CASES: readonly (readonly [string, string])[] = [
  ["RUN SCRIPT 'foo';", "line 1:1: Syntax Error\nUnknown statement 'RUN'"],
  ['SELEC * FROM pageviews EMIT CHANGES;', "line 1:1: Syntax Error\nUnknown statement 'SELEC'\nDid you mean 'SELECT'?"],
  ['ASSERT VALUES foo (id) VALUES (123);', "line 1:8: Syntax Error\nSyntax error at or near 'VALUES' at line 1:8"],
  ['ASSERT VALUES pageviews (id) VALUES (1);', "line 1:8: Syntax Error\nSyntax error at or near 'VALUES' at line 1:8"],
  ['ASSERT NULL VALUES pageviews (id) KEY (1);', "line 1:8: Syntax Error\nSyntax error at or near 'NULL' at line 1:8"],
  ["ASSERT STREAM pageviews (id INT KEY) WITH (kafka_topic='pageviews');", "line 1:8: Syntax Error\nSyntax error at or near 'STREAM' at line 1:8"],
  ['ASSERT TABLE pageviews;', "line 1:8: Syntax Error\nSyntax error at or near 'TABLE' at line 1:8"],
  ["CREATE STREAM INPUT (K INTEGER (KEY)) WITH (kafka_topic='input',value_format='JSON');", "line 1:33: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}"],
  ["CREATE STREAM INPUT (K BOOLEAN (KEY)) WITH (kafka_topic='input',value_format='JSON');", "line 1:33: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}"],
  ['CREATE TABLE OUTPUT AS SELECT f1, f2, COUNT(*) FROM pageviews GROUP BY f3, (f2, f1);', "line 1:79: Syntax Error\nmissing ')' at ','"],
  ['CREATE STREAM select (a INT);', `line 1:15: Syntax Error\n${RESERVED_HINT('select')}`],
  ["SELECT 'abc FROM pageviews;", "line 1:8: Syntax Error\ntoken recognition error at: ''abc FROM pageviews;'"],
  ['SHOW STREAMS extra;', "line 1:14: Syntax Error\nextraneous input 'extra' expecting ';'"],
  ['DROP STREAM pageviews DELETE;', 'line 1:29: Syntax Error\n'],
];

describe('syntax errors on /ksql, worded as ksqlDB words them', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await ksql(url, PAGEVIEWS);
  });
  afterAll(() => server.close());

  it.each(CASES)('%s answers 40001 whose message starts with ksqlDB lines', async (sql, lines) => {
    const r = await postJson(`${url}/ksql`, { ksql: sql });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: sql, entities: [] });
    expect(r.body.message.startsWith(lines), r.body.message).toBe(true);
  });

  it('counts lines and columns in the whole request and runs none of it, as ksqlDB', async () => {
    const first = "CREATE STREAM early_one (id INT KEY, f1 INT) WITH (kafka_topic='early_one', value_format='JSON', partitions=1);";
    const second = 'CREATE TABLE OUTPUT AS SELECT f1, f2, COUNT(*) FROM pageviews GROUP BY f3, (f2, f1);';
    const r = await postJson(`${url}/ksql`, { ksql: `${first}\n  ${second}` });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: second });
    expect(r.body.message.startsWith("line 2:81: Syntax Error\nmissing ')' at ','\n"), r.body.message).toBe(true);
    expect(r.body.message).toContain(`\n  ${second}\n${' '.repeat(80)}^`);
    const listed = await postJson(`${url}/ksql`, { ksql: 'SHOW STREAMS;' });
    expect(JSON.stringify(listed.body)).not.toContain('EARLY_ONE');
  });

  it("puts Sluice's caret snippet after ksqlDB's lines", async () => {
    const sql = 'SELECT * FROM pageviews WHERE ) EMIT CHANGES';
    const r = await postJson(`${url}/ksql`, { ksql: sql });
    expect(r.body.error_code).toBe(40001);
    expect(r.body.message).toBe(`line 1:31: Syntax Error\nSyntax error at or near ')' at line 1:31\n${sql}\n${' '.repeat(30)}^`);
  });
});
