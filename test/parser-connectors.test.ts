import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/common/errors.js';
import { formatStatement, parseStatement } from '../src/parser/index.js';
import { summarizeState } from '../src/runtime/connectors/connector.js';
import { connectorConfig } from '../src/runtime/statements/connectors.js';
import { stmt, strip } from './parser-helpers.js';

/** ksqlDB's six connector statements: their AST, printing, config values and syntax errors. */

function syntaxError(sql: string): string {
  try {
    parseStatement(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return (e as ParseError).message;
  }
  throw new Error(`expected a ParseError for ${sql}`);
}

describe('parsing the connector statements', () => {
  it('CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] keeps quoted property names as written and upper-cases bare ones', () => {
    expect(stmt("CREATE SOURCE CONNECTOR `jdbc-src` WITH ('connector.class'='io.X', \"tasks.max\"=1, batch=2)")).toEqual({
      kind: 'CreateConnector',
      connectorType: 'SOURCE',
      name: 'jdbc-src',
      ifNotExists: false,
      properties: [
        { name: 'connector.class', quoted: true, value: { kind: 'Literal', literalType: 'STRING', value: 'io.X' } },
        { name: 'tasks.max', quoted: false, value: { kind: 'Literal', literalType: 'INTEGER', value: 1 } },
        { name: 'BATCH', quoted: false, value: { kind: 'Literal', literalType: 'INTEGER', value: 2 } },
      ],
    });
    expect(stmt("create sink connector if not exists s with ('a'='b');")).toMatchObject({
      kind: 'CreateConnector',
      connectorType: 'SINK',
      name: 'S',
      ifNotExists: true,
    });
  });

  it('SHOW|LIST [SOURCE|SINK] CONNECTORS and SHOW|LIST CONNECTOR PLUGINS', () => {
    expect(stmt('SHOW CONNECTORS')).toEqual({ kind: 'ListConnectors' });
    expect(stmt('list source connectors')).toEqual({ kind: 'ListConnectors', scope: 'SOURCE' });
    expect(stmt('SHOW SINK CONNECTORS;')).toEqual({ kind: 'ListConnectors', scope: 'SINK' });
    expect(stmt('LIST CONNECTOR PLUGINS')).toEqual({ kind: 'ListConnectorPlugins' });
    expect(stmt('show connector plugins;')).toEqual({ kind: 'ListConnectorPlugins' });
  });

  it('DESCRIBE CONNECTOR and DROP CONNECTOR [IF EXISTS] follow identifier rules for the name', () => {
    expect(stmt('DESCRIBE CONNECTOR c')).toEqual({ kind: 'DescribeConnector', name: 'C' });
    expect(stmt('DROP CONNECTOR IF EXISTS `My`')).toEqual({ kind: 'DropConnector', name: 'My', ifExists: true });
    expect(stmt('drop connector "quoted"')).toEqual({ kind: 'DropConnector', name: 'quoted', ifExists: false });
  });

  it('CREATE SOURCE STREAM still parses as a stream', () => {
    expect(stmt("CREATE SOURCE STREAM s (a INT) WITH (kafka_topic='s', value_format='json')")).toMatchObject({ kind: 'CreateSource', isSource: true });
  });

  it.each([
    "CREATE SOURCE CONNECTOR `jdbc-src` WITH ('connector.class'='io.X', \"tasks.max\"=1, batch=1.5E3, b=true, big=12345678901, d=1.50, 'it''s'='x''y')",
    "CREATE SINK CONNECTOR IF NOT EXISTS s WITH ('a'='b')",
    'SHOW CONNECTORS',
    'LIST SOURCE CONNECTORS',
    'SHOW SINK CONNECTORS',
    'LIST CONNECTOR PLUGINS',
    'DESCRIBE CONNECTOR `lower`',
    'DROP CONNECTOR IF EXISTS c',
    'EXPLAIN SHOW CONNECTORS',
  ])('round-trips %s through the printer', (sql) => {
    const ast = parseStatement(sql);
    expect(strip(parseStatement(formatStatement(ast)))).toEqual(strip(ast));
  });

  it('prints connector statements as ksqlDB writes them', () => {
    expect(formatStatement(parseStatement("create sink connector if not exists s with ('a'='b', x=1)"))).toBe(
      "CREATE SINK CONNECTOR IF NOT EXISTS S WITH ('a'='b', X=1)",
    );
    expect(formatStatement(parseStatement('list sink connectors'))).toBe('SHOW SINK CONNECTORS');
    expect(formatStatement(parseStatement('drop connector if exists `c`'))).toBe('DROP CONNECTOR IF EXISTS `c`');
  });
});

describe('connector config values', () => {
  it("are the literals' Java toString(): strings unquoted, numbers and booleans as Java prints them", () => {
    const s = parseStatement("CREATE SOURCE CONNECTOR c WITH ('s'='x''y', 'i'=1, 'l'=12345678901, 'd'=1.50, 'e'=1.5E3, 'f'=1E10, 'b'=true, 'n'=-2)");
    if (s.kind !== 'CreateConnector') throw new Error(s.kind);
    expect(connectorConfig(s)).toEqual({ s: "x'y", i: '1', l: '12345678901', d: '1.50', e: '1500.0', f: '1.0E10', b: 'true', n: '-2' });
  });
});

describe('connector statement syntax errors', () => {
  it.each([
    ['CREATE SOURCE CONNECTOR c', "line 1:26: Syntax Error\nExpecting 'WITH'"],
    ['CREATE SINK CONNECTOR c WITH ()', "line 1:31: Syntax Error\nSyntax error at or near ')' at line 1:31"],
    ['DESCRIBE CONNECTOR', "line 1:19: Syntax Error\nSyntax error at or near '<EOF>' at line 1:19"],
    ['DROP CONNECTOR', "line 1:15: Syntax Error\nSyntax error at or near '<EOF>' at line 1:15"],
    ['SHOW CONNECTOR', "line 1:15: Syntax Error\nExpecting 'PLUGINS'"],
    ['SHOW SOURCE', "line 1:12: Syntax Error\nExpecting 'CONNECTORS'"],
    ['CREATE CONNECTOR c WITH (a=1)', "line 1:8: Syntax Error\nSyntax error at or near 'CONNECTOR' at line 1:8"],
    ['CREATE CONECTOR c', "line 1:8: Syntax Error\nSyntax error at or near 'CONECTOR' at line 1:8"],
  ])('%s', (sql, message) => {
    expect(syntaxError(sql)).toBe(message);
  });

  it('CONNECTOR is reserved: a connector named so must be quoted', () => {
    expect(syntaxError('CREATE SOURCE CONNECTOR connector WITH (a=1)')).toMatch(/^line 1:25: Syntax Error\n"connector" is a reserved keyword/);
  });
});

describe("a connector's state as SHOW CONNECTORS summarises it", () => {
  const state = (connector: string, tasks: string[]) =>
    summarizeState({
      name: 'c',
      connector: { state: connector, worker_id: 'w' },
      tasks: tasks.map((t, id) => ({ id, state: t, worker_id: 'w' })),
      type: 'source',
    });
  it('is the connector state unless it runs, else RUNNING or WARNING with the running task count', () => {
    expect(state('PAUSED', ['RUNNING'])).toBe('PAUSED');
    expect(state('FAILED', [])).toBe('FAILED');
    expect(state('RUNNING', ['RUNNING', 'FAILED'])).toBe('RUNNING (1/2 tasks RUNNING)');
    expect(state('RUNNING', ['FAILED'])).toBe('WARNING (0/1 tasks RUNNING)');
    expect(state('RUNNING', [])).toBe('RUNNING (0/0 tasks RUNNING)');
  });
});
