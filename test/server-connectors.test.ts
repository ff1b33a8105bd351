import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/common/engine-events.js';
import { ErrorCode } from '../src/common/errors.js';
import { ConnectorError, type ConnectorDeps, type ConnectorInfo, type ConnectorService, type ConnectorType } from '../src/runtime/connectors/connector.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { runSluiceAsync } from './repl-helpers.js';
import { ksql, postJson, startTestServer } from './server-helpers.js';

/**
 * The connector statements over `/ksql`: ksqlDB's entities, warnings and error
 * mapping. The connector services (Kafka Connect client, built-in connectors)
 * have their own tests; here a tiny in-memory service stands in for them, so
 * that only what the statements add is under test.
 */
class TinyConnectors implements ConnectorService {
  constructor(readonly kind: 'built-in' | 'connect' = 'built-in') {}
  readonly connectors = new Map<string, ConnectorInfo>();
  /** `create NAME` / `drop NAME`, with ` (replaying)` when the command log replays it. */
  readonly calls: string[] = [];
  deps: ConnectorDeps | undefined;

  async create(name: string, config: Readonly<Record<string, string>>, options: { readonly ifNotExists: boolean; readonly replaying: boolean }) {
    this.calls.push(`create ${name}${options.replaying ? ' (replaying)' : ''}`);
    if (this.connectors.has(name)) {
      if (options.ifNotExists) return { kind: 'AlreadyExists' as const, name };
      throw new ConnectorError(`Failed to create connector: {"error_code":409,"message":"Connector ${name} already exists"}`, ErrorCode.CONFLICT);
    }
    const type: ConnectorType = config['connector.class']?.includes('Sink') ? 'sink' : 'source';
    const info = { name, config: { ...config, name }, tasks: [{ connector: name, task: 0 }], type };
    this.connectors.set(name, info);
    return { kind: 'Created' as const, info };
  }
  async list() {
    const connectors = [...this.connectors.values()].map((c) => ({
      name: c.name,
      type: c.type,
      className: c.config['connector.class']!,
      state: 'RUNNING (1/1 tasks RUNNING)',
    }));
    return { connectors: [...connectors, { name: 'gone', type: 'unknown' as const }], warnings: ['Could not describe connector gone: vanished'] };
  }
  async describe(name: string) {
    const info = this.connectors.get(name);
    if (!info) throw new ConnectorError(`Failed to describe connector: {"error_code":404,"message":"Connector ${name} not found"}`, ErrorCode.NOT_FOUND);
    const worker = { state: 'RUNNING', worker_id: 'sluice' };
    return {
      info,
      connectorClass: info.config['connector.class']!,
      status: { name, connector: worker, tasks: [{ id: 0, state: 'FAILED', worker_id: 'sluice', trace: 'boom' }], type: info.type },
      topics: [info.config['topic']!],
    };
  }
  async drop(name: string, options: { readonly replaying: boolean }) {
    this.calls.push(`drop ${name}${options.replaying ? ' (replaying)' : ''}`);
    return this.connectors.delete(name);
  }
  async plugins() {
    return [{ className: 'io.sluice.FileSink', type: 'sink' as const, version: '1.0' }];
  }
  async close() {}
}

/** An in-process server whose engine's connector service is `service`. */
async function startConnectorServer(service: TinyConnectors): Promise<RunningServer> {
  const engine = new Engine({
    log: new MemoryLog(),
    autoPump: true,
    connectors: (deps) => {
      service.deps = deps;
      return service;
    },
  });
  return startServer({ engine, port: 0 });
}

describe('connector statements over /ksql', () => {
  let server: RunningServer;
  let url: string;
  const service = new TinyConnectors();
  beforeAll(async () => {
    server = await startConnectorServer(service);
    url = server.url;
  });
  afterAll(() => server.close());

  it('the engine gives the service its log, catalog and server properties, in embedded mode', () => {
    expect(service.deps).toMatchObject({ kafkaMode: false });
    expect(service.deps?.catalog).toBeDefined();
    expect(service.deps?.log).toBeDefined();
  });

  it("CREATE … CONNECTOR answers connector_info, with the statement's property values masked but connector.class", async () => {
    const sql = "CREATE SOURCE CONNECTOR src WITH ('connector.class'='io.sluice.FileSource', 'topic'='lines', 'connection.password'='hunter2', tasks=1);";
    const [created] = await ksql(url, sql);
    expect(created).toEqual({
      '@type': 'connector_info',
      statementText:
        "CREATE SOURCE CONNECTOR SRC WITH ('connector.class'='io.sluice.FileSource', 'topic'='[string]', 'connection.password'='[string]', TASKS='[string]');",
      info: {
        name: 'SRC',
        config: { 'connector.class': 'io.sluice.FileSource', topic: 'lines', 'connection.password': 'hunter2', TASKS: '1', name: 'SRC' },
        tasks: [{ connector: 'SRC', task: 0 }],
        type: 'source',
      },
      warnings: [],
    });
  });

  it('CREATE … IF NOT EXISTS of an existing connector answers a warning_entity', async () => {
    const [warning] = await ksql(url, "CREATE SOURCE CONNECTOR IF NOT EXISTS src WITH ('connector.class'='io.sluice.FileSource');");
    expect(warning).toEqual({
      '@type': 'warning_entity',
      statementText: "CREATE SOURCE CONNECTOR IF NOT EXISTS SRC WITH ('connector.class'='io.sluice.FileSource');",
      message: 'Connector SRC already exists',
      warnings: [],
    });
  });

  it("a ConnectorError 40900 is an HTTP 409 statement_error with the service's message and the masked statement", async () => {
    const r = await postJson(`${url}/ksql`, { ksql: "CREATE SOURCE CONNECTOR src WITH ('connector.class'='io.sluice.FileSource', 'secret'='s');" });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      '@type': 'statement_error',
      error_code: 40900,
      message: 'Failed to create connector: {"error_code":409,"message":"Connector SRC already exists"}',
      statementText: "CREATE SOURCE CONNECTOR SRC WITH ('connector.class'='io.sluice.FileSource', 'secret'='[string]');",
      entities: [],
    });
  });

  it('SHOW CONNECTORS lists every connector with the warnings; SHOW SINK|SOURCE CONNECTORS only that type', async () => {
    await ksql(url, "CREATE SINK CONNECTOR `out` WITH ('connector.class'='io.sluice.FileSink', 'topic'='lines');");
    const [all] = await ksql(url, 'SHOW CONNECTORS;');
    expect(all).toEqual({
      '@type': 'connector_list',
      statementText: 'SHOW CONNECTORS;',
      connectors: [
        { name: 'SRC', type: 'source', className: 'io.sluice.FileSource', state: 'RUNNING (1/1 tasks RUNNING)' },
        { name: 'out', type: 'sink', className: 'io.sluice.FileSink', state: 'RUNNING (1/1 tasks RUNNING)' },
        { name: 'gone', type: 'unknown' },
      ],
      warnings: [{ message: 'Could not describe connector gone: vanished' }],
    });
    const [sinks] = await ksql(url, 'LIST SINK CONNECTORS;');
    expect(sinks.connectors).toEqual([{ name: 'out', type: 'sink', className: 'io.sluice.FileSink', state: 'RUNNING (1/1 tasks RUNNING)' }]);
    expect(sinks.warnings).toEqual([{ message: 'Could not describe connector gone: vanished' }]);
    const [sources] = await ksql(url, 'SHOW SOURCE CONNECTORS;');
    expect(sources.connectors.map((c: { name: string }) => c.name)).toEqual(['SRC']);
  });

  it('DESCRIBE CONNECTOR answers connector_description with the streams over its topics', async () => {
    await ksql(url, "CREATE STREAM LINES (V STRING) WITH (KAFKA_TOPIC='lines', VALUE_FORMAT='JSON', PARTITIONS=1);");
    await ksql(url, "CREATE STREAM OTHER (V STRING) WITH (KAFKA_TOPIC='other', VALUE_FORMAT='JSON', PARTITIONS=1);");
    const [d] = await ksql(url, 'DESCRIBE CONNECTOR src;');
    expect({ ...d, sources: undefined }).toEqual({
      '@type': 'connector_description',
      statementText: 'DESCRIBE CONNECTOR src;',
      connectorClass: 'io.sluice.FileSource',
      status: {
        name: 'SRC',
        connector: { state: 'RUNNING', worker_id: 'sluice' },
        tasks: [{ id: 0, state: 'FAILED', worker_id: 'sluice', trace: 'boom' }],
        type: 'source',
      },
      sources: undefined,
      topics: ['lines'],
      warnings: [],
    });
    expect(d.sources).toHaveLength(1);
    expect(d.sources[0]).toMatchObject({ name: 'LINES', type: 'STREAM', topic: 'lines', extended: false, valueFormat: 'JSON' });
  });

  it('DESCRIBE CONNECTOR of a missing one is the service error, 404', async () => {
    const r = await postJson(`${url}/ksql`, { ksql: 'DESCRIBE CONNECTOR nope;' });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error_code: 40400, message: 'Failed to describe connector: {"error_code":404,"message":"Connector NOPE not found"}' });
  });

  it('SHOW CONNECTOR PLUGINS answers connector_plugins_list under connectorsPlugins', async () => {
    const [plugins] = await ksql(url, 'SHOW CONNECTOR PLUGINS;');
    expect(plugins).toEqual({
      '@type': 'connector_plugins_list',
      statementText: 'SHOW CONNECTOR PLUGINS;',
      connectorsPlugins: [{ className: 'io.sluice.FileSink', type: 'sink', version: '1.0' }],
      warnings: [],
    });
  });

  it('DROP CONNECTOR answers drop_connector; IF EXISTS of a missing one a warning; without IF EXISTS a 404', async () => {
    const [dropped] = await ksql(url, 'DROP CONNECTOR `out`;');
    expect(dropped).toEqual({ '@type': 'drop_connector', statementText: 'DROP CONNECTOR `out`;', connectorName: 'out', warnings: [] });
    const [warning] = await ksql(url, 'DROP CONNECTOR IF EXISTS `out`;');
    expect(warning).toEqual({
      '@type': 'warning_entity',
      statementText: 'DROP CONNECTOR IF EXISTS `out`;',
      message: "Connector 'out' does not exist.",
      warnings: [],
    });
    const r = await postJson(`${url}/ksql`, { ksql: 'DROP CONNECTOR `out`;' });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error_code: 40400, message: 'Failed to drop connector: {"error_code":404,"message":"Connector out not found"}' });
  });

  it('${var} is substituted in connector statements like in any other', async () => {
    const [created] = await ksql(
      url,
      "DEFINE t = 'lines2'; DEFINE n = 'vars'; CREATE SOURCE CONNECTOR ${n} WITH ('connector.class'='io.sluice.FileSource', 'topic'='${t}');",
    );
    expect(created).toMatchObject({ '@type': 'connector_info', info: { name: 'VARS', config: { topic: 'lines2' } } });
    const [dropped] = await ksql(url, 'DROP CONNECTOR ${n};', { sessionVariables: { n: 'VARS' } });
    expect(dropped).toEqual({ '@type': 'drop_connector', statementText: 'DROP CONNECTOR VARS;', connectorName: 'VARS', warnings: [] });
  });
});

describe('connector statements on a server without a connector service', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await startTestServer());
  });
  afterAll(() => server.close());

  it('are refused with a 500 saying connectors are not available, and why', async () => {
    const r = await postJson(`${url}/ksql`, { ksql: 'SHOW CONNECTORS;' });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({
      '@type': 'statement_error',
      error_code: 50000,
      message: 'Connectors are not available here: this server was started without a connector service (the test runner and embedded tools have none).',
    });
  });
});

describe("a connector statement's text in the engine's events", () => {
  it("is masked: property values but connector.class are '[string]', secret-named ones '[hidden]' as in every log line", async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine({ log: new MemoryLog(), events: { emit: (e) => events.push(e) }, connectors: () => new TinyConnectors() });
    await engine.execute("CREATE SINK CONNECTOR pg WITH ('connector.class'='io.sluice.FileSink', 'connection.password'='hunter2', \"topic\"='t');");
    await engine.close();
    const statements = events.filter((e) => e.kind === 'statement');
    expect(statements.map((e) => e.text)).toEqual([
      "CREATE SINK CONNECTOR PG WITH ('connector.class'='io.sluice.FileSink', 'connection.password'='[hidden]', `topic`='[string]')",
    ]);
  });
});

describe('connector statements in the command log', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('CREATE and DROP are recorded and replayed with replaying set; a refused CREATE and SHOW are not', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-connectors-'));
    dirs.push(dataDir);
    const first = new TinyConnectors();
    const before = await Engine.open({ dataDir, autoPump: false, connectors: () => first });
    await before.execute("CREATE SOURCE CONNECTOR a WITH ('connector.class'='io.sluice.FileSource');");
    await before.execute("CREATE SINK CONNECTOR b WITH ('connector.class'='io.sluice.FileSink');");
    const refused = await before.execute("CREATE SINK CONNECTOR b WITH ('connector.class'='io.sluice.FileSink');").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectorError);
    expect(refused).toMatchObject({ errorCode: 40900, message: 'Failed to create connector: {"error_code":409,"message":"Connector B already exists"}' });
    await before.execute('SHOW CONNECTORS; DROP CONNECTOR a;');
    await before.close();
    expect(first.calls).toEqual(['create A', 'create B', 'create B', 'drop A']);

    const second = new TinyConnectors();
    const after = await Engine.open({ dataDir, autoPump: false, connectors: () => second });
    expect(second.calls).toEqual(['create A (replaying)', 'create B (replaying)', 'drop A (replaying)']);
    expect([...second.connectors.keys()]).toEqual(['B']);
    await after.close();
  });

  it('are not recorded when a Kafka Connect cluster keeps the connectors (their passwords stay out of the log)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-connectors-'));
    dirs.push(dataDir);
    const first = new TinyConnectors('connect');
    const before = await Engine.open({ dataDir, autoPump: false, connectors: () => first });
    await before.execute("CREATE SINK CONNECTOR b WITH ('connector.class'='FileStreamSink', 'file'='/tmp/x', 'topics'='t');");
    await before.execute('DROP CONNECTOR b;');
    await before.close();
    expect(first.calls).toEqual(['create B', 'drop B']);
    expect(fs.readFileSync(path.join(dataDir, 'commands.jsonl'), 'utf8')).not.toContain('CONNECTOR');

    const second = new TinyConnectors('connect');
    const after = await Engine.open({ dataDir, autoPump: false, connectors: () => second });
    expect(second.calls).toEqual([]);
    await after.close();
  });
});

describe('connector statements in sluice cli', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    server = await startConnectorServer(new TinyConnectors());
    url = server.url;
    await ksql(url, "CREATE STREAM LINES (V STRING) WITH (KAFKA_TOPIC='lines', VALUE_FORMAT='JSON', PARTITIONS=1);");
  });
  afterAll(() => server.close());

  it('renders CREATE, SHOW, DESCRIBE, PLUGINS and DROP as the ksql CLI does', async () => {
    const sql = [
      "CREATE SOURCE CONNECTOR src WITH ('connector.class'='io.sluice.FileSource', 'topic'='lines');",
      "CREATE SOURCE CONNECTOR IF NOT EXISTS src WITH ('connector.class'='io.sluice.FileSource');",
      'SHOW CONNECTORS;',
      'DESCRIBE CONNECTOR src;',
      'SHOW CONNECTOR PLUGINS;',
      'DROP CONNECTOR src;',
    ].join(' ');
    const r = await runSluiceAsync(['cli', url, '-e', sql]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '',
        ' Message',
        '-----------------------',
        ' Created connector SRC',
        '-----------------------',
        '',
        ' Message',
        '------------------------------',
        ' Connector SRC already exists',
        '------------------------------',
        '',
        ' Connector Name | Type    | Class                | Status',
        '-------------------------------------------------------------------------------',
        ' SRC            | SOURCE  | io.sluice.FileSource | RUNNING (1/1 tasks RUNNING)',
        ' gone           | UNKNOWN |                      |',
        '-------------------------------------------------------------------------------',
        'WARNING: Could not describe connector gone: vanished',
        '',
        'Name                 : SRC',
        'Class                : io.sluice.FileSource',
        'Type                 : source',
        'State                : RUNNING',
        'WorkerId             : sluice',
        '',
        ' Task ID | State  | Error Trace',
        '--------------------------------',
        ' 0       | FAILED | boom',
        '--------------------------------',
        '',
        ' KSQL Source Name | Kafka Topic | Type',
        '-----------------------------------------',
        ' LINES            | lines       | STREAM',
        '-----------------------------------------',
        '',
        ' Related Topics',
        '----------------',
        ' lines',
        '----------------',
        '',
        ' Class              | Type | Version',
        '-------------------------------------',
        ' io.sluice.FileSink | SINK | 1.0',
        '-------------------------------------',
        '',
        ' Message',
        '-------------------------',
        ' Dropped connector "SRC"',
        '-------------------------',
        '',
      ].join('\n'),
    );
  });
});
