/**
 * Connectors inside Sluice (no Kafka Connect cluster): the {@link ConnectorService}
 * used when `ksql.connect.url` is unset. Each connector runs one task, as a
 * {@link SinkRunner} or {@link SourceRunner} over Sluice's log; statements get
 * Kafka Connect's answers and error bodies, so clients see the same thing in
 * both modes. Definitions live in the command log (the statement handlers
 * replay them); positions live in the log, so a restart resumes where the
 * connector was. Status (and the last failure) is in memory.
 */
import { hostname } from 'node:os';
import type { DataSource } from '../../../planner/data-source.js';
import type { BuiltinPlugin } from '../builtin-plugin.js';
import { BUILTIN_PLUGINS, resolvePlugin } from './builtin-registry.js';
import {
  type ConnectorDeps,
  type ConnectorDescription,
  ConnectorError,
  type ConnectorInfo,
  type ConnectorPlugin,
  type ConnectorService,
  type ConnectorState,
  type ConnectorStatus,
  type ConnectorSummary,
  type CreateConnectorOutcome,
  errorCodeForStatus,
  summarizeState,
} from '../connector.js';
import { errorPolicy, validateErrorConfig } from '../error-handling.js';
import type { ConnectorRunner } from '../runner-status.js';
import { SinkRunner } from '../sink-runner.js';
import { SourceRunner, sourceTopic } from '../source-runner.js';

/** Records read or polled at once when `batch.size` is not given. */
export const DEFAULT_BATCH_SIZE = 1000;
/** The most records read or polled at once, whatever `batch.size` says. */
export const MAX_BATCH_SIZE = 5000;
/** How often a caught-up sink reads a Kafka topic again (other producers' appends raise no notification). */
export const KAFKA_IDLE_WAIT_MS = 500;

interface Running {
  readonly info: ConnectorInfo;
  readonly plugin: BuiltinPlugin;
  readonly runner: ConnectorRunner;
}

/** Built-in connectors (see the file comment). */
export class BuiltinConnectors implements ConnectorService {
  readonly kind = 'built-in' as const;
  private readonly connectors = new Map<string, Running>();
  private readonly workerId = `sluice:${hostname()}`;

  constructor(private readonly deps: ConnectorDeps) {}

  async create(
    name: string,
    config: Readonly<Record<string, string>>,
    options: { readonly ifNotExists: boolean; readonly replaying: boolean },
  ): Promise<CreateConnectorOutcome> {
    const clash = [...this.connectors.keys()].find((n) => n.toLowerCase() === name.toLowerCase());
    if (clash !== undefined) {
      if (options.ifNotExists || options.replaying) return { kind: 'AlreadyExists', name: clash };
      throw connectError('Failed to create connector', 409, `Connector ${clash} already exists`);
    }
    const connectorClass = config['connector.class'];
    if (connectorClass === undefined || connectorClass.trim() === '')
      throw connectError('Failed to create connector', 400, `Connector config ${javaMap({ ...config, name })} contains no connector type`);
    const plugin = resolvePlugin(connectorClass.trim());
    // Connect answers 500 here, but the class is the user's mistake: 400, as ksqlDB's validate step makes it (40000).
    if (plugin === undefined)
      throw connectError(
        'Failed to create connector',
        400,
        `Failed to find any class that implements Connector and which name matches ${connectorClass.trim()}, available connectors are: ${BUILTIN_PLUGINS.map(pluginDesc).join(', ')}`,
      );
    const problems = [...validateErrorConfig(config, plugin.type), ...plugin.validate(config)];
    let source: DataSource | undefined;
    if (plugin.type === 'sink') {
      const resolved = this.sinkSource(config);
      if (typeof resolved === 'string') problems.push(resolved);
      else source = resolved;
    } else if (sourceTopic(config) === undefined && problems.length === 0) problems.push('Missing required configuration "topic" which has no default value.');
    if (batchSize(config) === undefined) problems.push(`Invalid value ${config['batch.size']} for configuration batch.size: Not a number of type INT`);
    if (problems.length > 0)
      throw connectError(
        'Failed to create connector',
        400,
        `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${problems.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``,
      );
    const stored = { ...config, name };
    const info: ConnectorInfo = { name, config: stored, tasks: [{ connector: name, task: 0 }], type: plugin.type };
    const runner = this.runner(name, plugin, stored, source);
    this.connectors.set(name, { info, plugin, runner });
    runner.start();
    return { kind: 'Created', info };
  }

  async list(): Promise<{ readonly connectors: readonly ConnectorSummary[]; readonly warnings: readonly string[] }> {
    const connectors = [...this.connectors.values()].map(
      (c): ConnectorSummary => ({ name: c.info.name, type: c.info.type, className: c.info.config['connector.class']!, state: summarizeState(this.status(c)) }),
    );
    return { connectors, warnings: [] };
  }

  async describe(name: string): Promise<ConnectorDescription> {
    const c = this.connectors.get(name);
    if (c === undefined) throw connectError('Failed to query connector status', 404, `No status found for connector ${name}`);
    return { info: c.info, connectorClass: c.info.config['connector.class']!, status: this.status(c), topics: [c.runner.topic] };
  }

  async drop(name: string, _options: { readonly replaying: boolean }): Promise<boolean> {
    const c = this.connectors.get(name);
    if (c === undefined) return false;
    this.connectors.delete(name);
    await c.runner.stop();
    return true;
  }

  async plugins(): Promise<readonly ConnectorPlugin[]> {
    return BUILTIN_PLUGINS.map((p) => ({ className: p.className, type: p.type, version: p.version }));
  }

  async close(): Promise<void> {
    const all = [...this.connectors.values()];
    this.connectors.clear();
    await Promise.all(all.map((c) => c.runner.stop()));
  }

  /** The Sluice stream or table over the sink's one topic, or a Connect-worded problem. */
  private sinkSource(config: Readonly<Record<string, string>>): DataSource | string {
    if ((config['topics.regex'] ?? '').trim() !== '') return 'Built-in sink connectors read the one topic named in "topics"; "topics.regex" is not supported';
    const topics = (config['topics'] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (topics.length === 0) return 'Must configure one of topics or topics.regex';
    if (topics.length > 1) return `Built-in sink connectors read one topic; "topics" names ${topics.length}: ${topics.join(', ')}`;
    const topic = topics[0]!;
    const source = this.deps.catalog.allSources().find((s) => s.topic === topic);
    if (source === undefined)
      return `No stream or table reads topic ${topic}: a built-in sink decodes records with the columns and formats of a stream or table over its topic (CREATE STREAM … WITH (KAFKA_TOPIC='${topic}', …) first)`;
    if (source.window !== undefined) return `Built-in sink connectors do not read windowed sources yet: ${source.name} over topic ${topic} is windowed`;
    return source;
  }

  private runner(name: string, plugin: BuiltinPlugin, config: Readonly<Record<string, string>>, source: DataSource | undefined): ConnectorRunner {
    const { log, registry, logger } = this.deps;
    const policy = errorPolicy(config);
    const size = batchSize(config)!;
    if (plugin.type === 'sink') {
      const task = plugin.createSink!(config, { connector: name, source: source!, logger });
      const idleWaitMs = this.deps.kafkaMode ? KAFKA_IDLE_WAIT_MS : undefined;
      return new SinkRunner({
        connector: name,
        className: plugin.className,
        source: source!,
        task,
        log,
        registry,
        logger,
        policy,
        batchSize: size,
        idleWaitMs,
      });
    }
    const task = plugin.createSource!(config, { connector: name, logger });
    return new SourceRunner({ connector: name, topic: sourceTopic(config)!, task, log, policy, batchSize: size });
  }

  private status(c: Running): ConnectorStatus {
    const s = c.runner.state;
    const task: ConnectorState & { readonly id: number } =
      s.state === 'FAILED' ? { id: 0, state: s.state, worker_id: this.workerId, trace: s.trace } : { id: 0, state: s.state, worker_id: this.workerId };
    return { name: c.info.name, connector: { state: 'RUNNING', worker_id: this.workerId }, tasks: [task], type: c.info.type };
  }
}

/** `batch.size` as a positive integer capped at {@link MAX_BATCH_SIZE}; undefined when it is not a number. */
export function batchSize(config: Readonly<Record<string, string>>): number | undefined {
  const raw = config['batch.size'];
  if (raw === undefined) return DEFAULT_BATCH_SIZE;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) return undefined;
  return Math.min(Number(raw), MAX_BATCH_SIZE);
}

/** A ConnectorError carrying Kafka Connect's error body after ksqlDB's prefix, as ksqlDB relays it. */
function connectError(prefix: string, status: number, message: string): ConnectorError {
  return new ConnectorError(`${prefix}: ${JSON.stringify({ error_code: status, message })}`, errorCodeForStatus(status));
}

/** A config rendered as Java's Map.toString (`{a=1, b=2}`), as Connect's messages show it. */
function javaMap(config: Readonly<Record<string, string>>): string {
  return `{${Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

/** A plugin as Connect's PluginDesc.toString lists it in an unknown-class error. */
function pluginDesc(p: BuiltinPlugin): string {
  return `PluginDesc{klass=class ${p.className}, name='${p.className}', version='${p.version}', type=${p.type}, typeName='${p.type}', location='builtin'}`;
}
