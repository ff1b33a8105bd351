import { assertNever } from '../../common/assert.js';
import { NotImplementedError, PlanError, SluiceError } from '../../common/errors.js';
import type { FormatName } from '../../common/formats.js';
import { T, formatType } from '../../common/types.js';
import { listFunctions, getAggregate, getScalar, getTableFunction } from '../../functions/registry.js';
import { parseStatement, splitStatements, substituteVariables } from '../../parser/index.js';
import type { Statement } from '../../parser/ast/index.js';
import { Catalog } from '../../planner/catalog.js';
import type { DataSource } from '../../planner/data-source.js';
import type { DdlConfig } from '../../planner/ddl-planner.js';
import { resolveType } from '../../planner/type-resolver.js';
import type { Log } from '../log/log.js';
import type { ProcessingLogEntry, ProcessingLogger } from '../../common/processing-log.js';
import { RunningQuery } from '../query/running-query.js';
import type { MaterializedTable } from '../query/materialized-table.js';
import { createSource, dropSource } from '../statements/ddl.js';
import { createAsSelect, insertInto, insertValues } from '../statements/persistent.js';
import { explain, queriesReading, queriesWriting, show, terminate } from '../statements/inspect.js';
import { TransientHandle } from '../query/row-queue.js';
import { startPrint, startSelect, type Steppable, type TransientContext } from '../query/start-transient.js';
import { insertJsonRow, produceJson } from '../statements/json-writes.js';
import type { RequestOptions, TransientQuery } from '../query/transient-query.js';
import { CommandLog, type Command, type CommandStore } from '../commands/command-log.js';
import { FileLog } from '../log/file-log.js';
import { DEFAULT_MAX_PARTITIONS } from '../log/memory-log.js';
import { LevelStoreFactory } from '../state/level-store.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { withoutSecrets } from '../../common/secrets.js';
import { join } from 'node:path';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { InMemorySchemaRegistry, type RegistrySnapshot } from '../../serde/schema-registry.js';
import type { KeyValueStore } from '../state/store.js';
import type { StatementResult } from '../statements/statement-result.js';
import { scanPlan, taskOfKey } from '../cluster/pull-routing.js';
import type { MemberReport } from '../cluster/membership.js';
import type { Cluster } from '../cluster/cluster.js';
import { MemberReporter, clusterStatusJson } from '../cluster/cluster-status.js';

export interface EngineOptions {
  readonly log: Log;
  /** Opens a state store for a query; defaults to in-memory stores. */
  readonly storeFactory?: (queryId: string, name: string) => KeyValueStore<unknown>;
  /** Where skipped records and expression failures go (besides `engine.processingLog`). */
  readonly processingLogger?: ProcessingLogger;
  /** Initial session/server properties (e.g. auto.offset.reset). */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * Create a source's missing topic (1 partition) instead of rejecting the
   * statement — what ksqlDB's test runner does; never for a real server.
   */
  readonly autoCreateTopics?: boolean;
  /** Schema registry for AVRO / JSON_SR / PROTOBUF (an in-memory one when absent). */
  readonly schemaRegistry?: SchemaRegistry;
  /** Run queries whenever records are appended (a server); tests call pumpAll() themselves. */
  readonly autoPump?: boolean;
  /** Durable engines: where accepted statements are recorded and replayed from. */
  readonly commandLog?: CommandStore;
  /** Durable engines: writes all dirty state of every query in one atomic batch. */
  readonly flushStores?: () => Promise<void>;
  /** Releases what the engine was opened with (log files, state database). */
  readonly onClose?: () => Promise<void>;
  /** Also write processing-log entries to the KSQL_PROCESSING_LOG stream (servers). */
  readonly processingLogStream?: boolean;
  /** Kafka mode: how queries share partitions with the service's other servers. */
  readonly cluster?: Cluster;
  /**
   * `sluice test`: every query writes every record to partition 0 of its sink, as
   * under ksqlDB's TopologyTestDriver, whose test expectations assume it (a query
   * reading another's output sees one partition, so one stream time).
   */
  readonly sinkToPartitionZero?: boolean;
}

/** Topic and stream holding the processing log when it is a stream. */
export const PROCESSING_LOG_TOPIC = 'sluice_processing_log';

/** The embedded log's partition bound from server property `sluice.embedded.max.partitions`. */
function maxPartitionsOf(properties: Readonly<Record<string, string>> | undefined): number {
  const raw = properties?.['sluice.embedded.max.partitions'];
  if (raw === undefined) return DEFAULT_MAX_PARTITIONS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid sluice.embedded.max.partitions: '${raw}' (a positive integer)`);
  return n;
}
export const PROCESSING_LOG_STREAM = 'KSQL_PROCESSING_LOG';

/** The embedded registry saved in `path`: loaded now, rewritten (atomically) after each change. */
function openRegistry(path: string): InMemorySchemaRegistry {
  const registry = new InMemorySchemaRegistry();
  if (existsSync(path)) registry.restore(JSON.parse(readFileSync(path, 'utf8')) as RegistrySnapshot);
  registry.onChange = () => {
    writeFileSync(`${path}.tmp`, JSON.stringify(registry.snapshot()));
    renameSync(`${path}.tmp`, path);
  };
  return registry;
}

/** Statements recorded in the command log and replayed on start. */
const LOGGED: ReadonlySet<Statement['kind']> = new Set(['CreateSource', 'CreateAsSelect', 'InsertInto', 'DropSource', 'Terminate', 'CreateType', 'DropType']);

const MAX_PROCESSING_LOG = 10_000;

/**
 * Executes statements against a catalog and a log, and runs persistent queries.
 * One engine is one ksqlDB "server" worth of state: streams, tables, types,
 * queries, session properties and variables.
 */
export class Engine {
  readonly catalog = new Catalog();
  readonly queries = new Map<string, RunningQuery>();
  /** Materialized views of tables written by persistent queries, by table name (pull queries read them). */
  readonly views = new Map<string, MaterializedTable>();
  readonly properties = new Map<string, string>();
  readonly variables = new Map<string, string>();
  readonly processingLog: ProcessingLogEntry[] = [];
  private queryCounter = 0;
  /** @internal Where operators report skipped records (also used by statement handlers). */
  readonly logger: ProcessingLogger;

  /** @internal The schema registry serdes use. */
  readonly registry: SchemaRegistry;

  /** Running transient (push) queries, pumped with the persistent ones. */
  private readonly transients = new Map<string, { query: Steppable; handle: TransientHandle }>();
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private replaying = false;
  private closed = false;
  private lock: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  /** Processing-log entries waiting to be appended to the processing-log stream. */
  private readonly pendingLogEntries: (ProcessingLogEntry & { loggedAt: number })[] = [];

  constructor(/** @internal */ readonly opts: EngineOptions) {
    this.registry = opts.schemaRegistry ?? new InMemorySchemaRegistry();
    this.reporter = new MemberReporter(() => this.queries.values(), opts.log);
    if (opts.autoPump) {
      const offAppend = opts.log.onAppend(() => this.schedulePump());
      // Another server joined, left or released a partition: ownership may have changed.
      const offMembers = opts.cluster?.membership.onChange(() => this.schedulePump());
      this.unsubscribe = () => {
        offAppend();
        offMembers?.();
      };
    }
    for (const [k, v] of Object.entries(opts.properties ?? {})) this.properties.set(k, v);
    this.logger = {
      error: (e) => {
        if (this.processingLog.length >= MAX_PROCESSING_LOG) this.processingLog.shift();
        this.processingLog.push(e);
        if (opts.processingLogStream) this.pendingLogEntries.push({ ...e, loggedAt: Date.now() });
        opts.processingLogger?.error(e);
      },
    };
  }

  get log(): Log {
    return this.opts.log;
  }

  /**
   * Splits, substitutes variables, parses and executes each statement in order.
   * Stops at the first error (thrown). Requests run one at a time; `opts` apply to
   * this request only. Accepted DDL and persistent queries are recorded in the
   * command log (durable engines) before the call returns.
   */
  async execute(sql: string, opts: RequestOptions = {}): Promise<StatementResult[]> {
    return this.serialized(() => this.executeUnserialized(sql, opts));
  }

  /** {@link execute} for callers that hold the request lock already. */
  private async executeUnserialized(sql: string, opts: RequestOptions = {}): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    await this.withRequest(opts, async () => {
      for (const part of splitStatements(sql)) {
        const text = this.variables.size > 0 ? substituteVariables(part.text, this.variables) : part.text;
        const stmt = parseStatement(text, part.pos);
        this.commandExtras = {};
        results.push(await this.executeStatement(stmt));
        if (LOGGED.has(stmt.kind)) {
          // Secrets (ssl.*.password, sasl.jaas.config, …) stay out of the command log: no
          // statement's plan depends on them, and replay takes them from the server's config.
          if (this.opts.commandLog && !this.replaying) await this.opts.commandLog.append(stmt.text, withoutSecrets({ ...Object.fromEntries(this.properties), ...this.commandExtras }));
          this.commandCount++;
        }
      }
    });
    return results;
  }

  /** Properties the statement being executed adds to its command record (see {@link recordWithCommand}). */
  private commandExtras: Record<string, string> = {};

  /**
   * @internal Adds a property to the command record of the statement being
   * executed, which its replays see (e.g. where a new query started reading).
   */
  recordWithCommand(name: string, value: string): void {
    if (!this.replaying) this.commandExtras[name] = value;
  }

  /** The number of commands accepted so far (ksqlDB's commandSequenceNumber). */
  get commandSequenceNumber(): number {
    return this.commandCount - 1;
  }

  /** Accepted commands so far (replayed ones included). */
  private commandCount = 0;

  private serialized<R>(f: () => Promise<R>): Promise<R> {
    const run = this.lock.then(f, f);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Applies per-request properties and variables for the duration of `f`. */
  private async withRequest<R>(opts: RequestOptions, f: () => Promise<R>): Promise<R> {
    const props = opts.properties ? Object.entries(opts.properties) : [];
    const vars = opts.variables ? Object.entries(opts.variables) : [];
    if (props.length === 0 && vars.length === 0) return f();
    const savedProps = new Map(this.properties);
    const savedVars = new Map(this.variables);
    for (const [k, v] of props) this.properties.set(k, String(v));
    for (const [k, v] of vars) this.variables.set(k, String(v));
    try {
      return await f();
    } finally {
      this.properties.clear();
      for (const [k, v] of savedProps) this.properties.set(k, v);
      this.variables.clear();
      for (const [k, v] of savedVars) this.variables.set(k, v);
    }
  }

  /**
   * Opens (or creates) a durable engine on a data directory: the file-backed log,
   * the state stores and the command log, replaying every recorded statement so
   * streams, tables and queries are back, resuming from their checkpoints. With
   * `kafka`, topics live on that Kafka cluster and statements in the service's
   * command topic; state stores and checkpoints stay in the data directory.
   */
  static async open(options: {
    readonly dataDir: string;
    readonly properties?: Readonly<Record<string, string>>;
    readonly autoPump?: boolean;
    /** An external (e.g. remote Confluent) schema registry instead of the embedded one. */
    readonly schemaRegistry?: SchemaRegistry;
    /** Kafka mode: the cluster (`--bootstrap-servers`) and the service id naming its groups and internal topics. */
    readonly kafka?: { readonly brokers: readonly string[]; readonly serviceId: string };
  }): Promise<Engine> {
    // Private to the server's user: the data holds every record and the statements that made it.
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    try {
      chmodSync(options.dataDir, 0o700);
    } catch (e) {
      // A directory the server's user does not own keeps its mode; everything created in it is still private.
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    }
    let log: Log;
    let commandLog: CommandStore;
    if (options.kafka) {
      // Loaded only in Kafka mode: kafkajs costs the embedded default start-up time and memory.
      const { KafkaLog } = await import('../log/kafka-log.js');
      const { KafkaCommandLog } = await import('../commands/kafka-command-log.js');
      const kafkaLog = await KafkaLog.connect(options.kafka);
      log = kafkaLog;
      try {
        commandLog = await KafkaCommandLog.open(kafkaLog, options.kafka.serviceId);
      } catch (e) {
        await kafkaLog.close();
        throw e;
      }
    } else {
      const fileLog = await FileLog.open(join(options.dataDir, 'log'));
      fileLog.maxPartitions = maxPartitionsOf(options.properties);
      log = fileLog;
      try {
        commandLog = CommandLog.open(join(options.dataDir, 'commands.jsonl'));
      } catch (e) {
        await log.close();
        throw e;
      }
    }
    let stores: LevelStoreFactory;
    try {
      stores = await LevelStoreFactory.open(options.dataDir);
    } catch (e) {
      await log.close();
      await commandLog.close();
      throw e;
    }
    // The embedded schema registry lives in the data directory too: saved on every change.
    const registry = options.schemaRegistry ?? openRegistry(join(options.dataDir, 'schemas.json'));
    let cluster: Cluster | undefined;
    let engineRef: Engine | undefined;
    if (options.kafka) {
      const { joinCluster } = await import('../cluster/kafka-cluster.js');
      cluster = await joinCluster(log, options.kafka.serviceId, stores, () => engineRef?.memberReport() ?? { active: {}, lags: {} }, options.properties ?? {});
    }
    const engine = new Engine({
      log,
      properties: options.properties,
      storeFactory: stores.forQuery,
      flushStores: () => stores.flushAll(),
      commandLog,
      autoPump: options.autoPump ?? true,
      processingLogStream: true,
      schemaRegistry: registry,
      ...(cluster ? { cluster } : {}),
      onClose: async () => {
        await stores.close();
        await log.close();
        await commandLog.close();
      },
    });
    engineRef = engine;
    await engine.createProcessingLogStream();
    await engine.replay(commandLog.commands);
    if (commandLog.poll) engine.followCommands();
    if (engine.opts.autoPump) engine.schedulePump();
    return engine;
  }

  /**
   * Registers KSQL_PROCESSING_LOG, the stream of records queries skipped and
   * values they could not compute (its topic is created when missing).
   */
  async createProcessingLogStream(): Promise<void> {
    if (!(await this.log.topic(PROCESSING_LOG_TOPIC))) await this.log.createTopic(PROCESSING_LOG_TOPIC, 1);
    this.catalog.putSource({
      name: PROCESSING_LOG_STREAM,
      sourceType: 'STREAM',
      schema: {
        key: [],
        value: [
          { name: 'QUERY_ID', type: T.STRING, namespace: 'VALUE' },
          { name: 'MESSAGE', type: T.STRING, namespace: 'VALUE' },
          { name: 'TOPIC', type: T.STRING, namespace: 'VALUE' },
          { name: 'PARTITION', type: T.INTEGER, namespace: 'VALUE' },
          { name: 'OFFSET', type: T.BIGINT, namespace: 'VALUE' },
          { name: 'LOGGED_AT', type: T.BIGINT, namespace: 'VALUE' },
        ],
      },
      topic: PROCESSING_LOG_TOPIC,
      keyFormat: { format: 'NONE' },
      valueFormat: { format: 'JSON' },
      isSource: true,
      sqlText: `CREATE SOURCE STREAM ${PROCESSING_LOG_STREAM} (QUERY_ID STRING, MESSAGE STRING, TOPIC STRING, PARTITION INT, OFFSET BIGINT, LOGGED_AT BIGINT) WITH (KAFKA_TOPIC='${PROCESSING_LOG_TOPIC}', VALUE_FORMAT='JSON');`,
    });
  }

  /** Appends queued processing-log entries to their stream's topic. */
  private async flushProcessingLog(): Promise<void> {
    if (this.pendingLogEntries.length === 0 || !this.catalog.getSource(PROCESSING_LOG_STREAM)) return;
    const entries = this.pendingLogEntries.splice(0);
    await this.log.append(
      PROCESSING_LOG_TOPIC,
      0,
      entries.map((e) => ({
        key: null,
        value: Buffer.from(JSON.stringify({ QUERY_ID: e.queryId, MESSAGE: e.message, TOPIC: e.topic ?? null, PARTITION: e.partition ?? null, OFFSET: e.offset ?? null, LOGGED_AT: e.loggedAt })),
        timestamp: e.loggedAt,
      })),
    );
  }

  private commandTimer: NodeJS.Timeout | undefined;

  /**
   * Kafka mode: runs the statements other servers of the service record in the
   * command topic while this one runs (checked every 500 ms), so every server
   * has the same streams, tables and queries.
   */
  private followCommands(): void {
    const next = (): void => {
      if (this.closed) return;
      this.commandTimer = setTimeout(() => void poll(), 500);
      this.commandTimer.unref();
    };
    const poll = async (): Promise<void> => {
      // Serialized with requests: this server's own appends are then never mistaken for another's.
      await this.serialized(async () => {
        if (this.closed) return;
        const commands = await this.opts.commandLog!.poll!();
        if (commands.length > 0) await this.replay(commands);
      }).catch((e: unknown) => this.logger.error({ queryId: 'command-log', message: `Reading the command topic failed: ${(e as Error).message}` }));
      next();
    };
    next();
  }

  /** Runs recorded commands. The caller holds the request lock, or nothing else runs yet (start-up). */
  private async replay(commands: readonly Command[]): Promise<void> {
    this.replaying = true;
    try {
      for (const cmd of commands) {
        const saved = new Map(this.properties);
        for (const [k, v] of Object.entries(cmd.properties)) this.properties.set(k, v);
        try {
          await this.executeUnserialized(cmd.sql);
        } catch (e) {
          this.logger.error({ queryId: 'command-log', message: `Replaying command ${cmd.seq} failed: ${(e as Error).message}` });
        }
        this.properties.clear();
        for (const [k, v] of saved) this.properties.set(k, v);
      }
    } finally {
      this.replaying = false;
    }
  }

  /** Stops queries, writes state, and releases files. The engine is unusable afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.commandTimer) clearTimeout(this.commandTimer);
    this.unsubscribe?.();
    for (const t of [...this.transients.values()]) t.handle.close();
    await this.pumping;
    for (const q of this.queries.values()) await q.tasks?.close();
    // Announce leaving only now that nothing runs: the others take the partitions over at once.
    await this.opts.cluster?.membership.close();
    await this.opts.flushStores?.();
    for (const q of this.queries.values()) q.state = 'TERMINATED';
    await this.opts.onClose?.();
  }

  async executeStatement(s: Statement): Promise<StatementResult> {
    switch (s.kind) {
      case 'CreateSource':
        return createSource(this, s);
      case 'CreateAsSelect':
        return createAsSelect(this, s);
      case 'InsertInto':
        return insertInto(this, s);
      case 'InsertValues':
        return insertValues(this, s);
      case 'QueryStatement':
        throw new NotImplementedError('Transient queries are served by the server (/query); they cannot run as statements here.', s.pos);
      case 'DropSource':
        return dropSource(this, s);
      case 'Terminate':
        return terminate(this, s);
      case 'Show':
        return show(this, s);
      case 'Describe': {
        const source = this.requireSource(s.name, s.pos);
        return { kind: 'SourceDescription', statementText: s.text, source, extended: s.extended, readQueries: queriesReading(this, source.name), writeQueries: queriesWriting(this, source.name) };
      }
      case 'DescribeFunction': {
        const info = listFunctions().find((f) => f.name.toUpperCase() === s.name.toUpperCase());
        if (!info) throw new PlanError(`Can't find any functions with the name '${s.name}'`, s.pos);
        return { kind: 'FunctionDescription', statementText: s.text, name: info.name, type: info.type, description: info.description, signatures: info.signatures };
      }
      case 'Explain':
        return explain(this, s);
      case 'SetProperty':
        this.properties.set(s.name, s.value);
        return { kind: 'Message', statementText: s.text, message: `Successfully changed local property '${s.name}' to '${s.value}'.` };
      case 'UnsetProperty':
        this.properties.delete(s.name);
        return { kind: 'Message', statementText: s.text, message: `Successfully unset local property '${s.name}'.` };
      case 'CreateType': {
        const name = s.name.toUpperCase();
        const existing = this.catalog.types.get(name);
        if (existing) {
          if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Type ${name} already exists` };
          throw new PlanError(`Cannot register custom type '${name}' since it is already registered with type: ${formatType(existing)}`, s.pos);
        }
        this.catalog.types.set(name, resolveType(s.type, this.catalog.types));
        return { kind: 'Message', statementText: s.text, message: `Registered custom type with name '${name}'` };
      }
      case 'DropType': {
        const name = s.name.toUpperCase();
        if (!this.catalog.types.delete(name) && !s.ifExists) throw new PlanError(`Type ${name} does not exist.`, s.pos);
        return { kind: 'Message', statementText: s.text, message: `Dropped type '${name}'` };
      }
      case 'Print':
        throw new NotImplementedError('PRINT is served by the server (/query); it cannot run as a statement here.', s.pos);
      case 'Define':
        this.variables.set(s.name, s.value);
        return { kind: 'Message', statementText: s.text, message: `Defined variable ${s.name}` };
      case 'Undefine':
        this.variables.delete(s.name);
        return { kind: 'Message', statementText: s.text, message: `Undefined variable ${s.name}` };
      default:
        return assertNever(s, 'statement');
    }
  }

  /** @internal */
  newPlanner(): boolean {
    return this.properties.get('ksql.new.query.planner.enabled') === 'true';
  }

  /** @internal */
  ddlConfig(): DdlConfig {
    const key = this.properties.get('ksql.persistence.default.format.key')?.toUpperCase() as FormatName | undefined;
    const value = this.properties.get('ksql.persistence.default.format.value')?.toUpperCase() as FormatName | undefined;
    const wrap = this.properties.get('ksql.persistence.wrap.single.values');
    return { defaultKeyFormat: key ?? 'KAFKA', defaultValueFormat: value, wrapSingleValues: wrap === undefined ? undefined : wrap === 'true' };
  }

  /** @internal */
  requireSource(name: string, pos: Statement['pos']): DataSource {
    const s = this.catalog.getSource(name);
    if (!s) throw new PlanError(`Source ${name} does not exist.`, pos);
    return s;
  }




  /** Kafka mode: the endpoint of the server owning `key` of a table this service's query writes, if not this one. */
  private pullRoute(table: DataSource, key: unknown): string | undefined {
    const q = this.writerOf(table);
    const p = q && taskOfKey(q, [key], this.registry);
    const owner = p === undefined ? undefined : q!.tasks!.owner(p);
    return owner && !owner.self ? owner.url : undefined;
  }

  /** Kafka mode: the running query writing a table, when its partitions are shared with other servers. */
  private writerOf(table: DataSource): RunningQuery | undefined {
    const q = table.writerQueryId === undefined ? undefined : this.queries.get(table.writerQueryId);
    return q?.tasks && q.state === 'RUNNING' ? q : undefined;
  }

  /**
   * Kafka mode: `/clusterStatus`'s `clusterStatus` object (every server of the
   * service heard from); undefined for an embedded engine.
   */
  clusterStatus(): Record<string, unknown> | undefined {
    const membership = this.opts.cluster?.membership;
    return membership && clusterStatusJson(membership, this.queries);
  }

  /** Kafka mode: the REST endpoint other servers forward pull queries to. */
  advertise(url: string): void {
    this.opts.cluster?.membership.advertise(url);
  }

  /** @internal Stops a persistent query (TERMINATE, DROP, CREATE OR REPLACE): it runs no more here. */
  removeQuery(id: string): void {
    const q = this.queries.get(id);
    if (!q) return;
    q.state = 'TERMINATED';
    this.queries.delete(id);
    const tasks = q.tasks;
    if (!tasks) return;
    // Once the pump is past it: close its producers, then delete its internal topics.
    void (async () => {
      await this.pumping;
      await tasks.close();
      await this.opts.cluster?.dropQuery(id);
    })().catch((e: unknown) => this.logger.error({ queryId: id, message: `Cleaning up after query ${id} failed: ${(e as Error).message}` }));
  }

  /** Kafka mode: this server's heartbeat content. */
  private readonly reporter: MemberReporter;

  /** @internal Kafka mode: what this server reports in its heartbeats (active partitions and their lag). */
  memberReport(): MemberReport {
    return this.reporter.report();
  }

  /** @internal */
  nextQueryId(prefix: string, sink?: string): string {
    const n = this.queryCounter++;
    return sink ? `${prefix}_${sink.toUpperCase().replace(/[^A-Z0-9_]/g, '')}_${n}` : `${prefix}_${n}`;
  }












  /** Runs every query until none has unread input. Concurrent calls share one run. */
  async pumpAll(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        await this.pumpRounds();
      } while (this.pumpAgain);
    })().finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  /** @internal Runs the queries soon (autoPump engines). */
  schedulePump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    setImmediate(() => void this.pumpAll());
  }

  private async pumpRounds(): Promise<void> {
    for (let round = 0; round < 100_000; round++) {
      let progressed = false;
      const running: Steppable[] = [...this.queries.values()];
      // A push query whose client lags stays where it is until the client catches up (its queue wakes the pump).
      for (const t of this.transients.values()) if (!t.handle.backpressured) running.push(t.query);
      for (const q of running) {
        try {
          if (await q.step(this.log)) progressed = true;
        } catch (e) {
          q.state = 'ERROR';
          q.error = e instanceof SluiceError ? e.message : String(e);
          this.logger.error({ queryId: q.id, message: `Query failed: ${q.error}` });
          this.transients.get(q.id)?.handle.fail(q.error ?? 'query failed');
        }
      }
      await this.flushProcessingLog();
      if (!progressed || this.closed) return;
    }
  }

  /**
   * Starts a transient query: `SELECT …` (push with EMIT CHANGES, else pull) or
   * `PRINT topic`. Push queries run until LIMIT, close() or engine close; pull
   * queries read the current state and finish.
   */
  async startQuery(sql: string, opts: RequestOptions = {}): Promise<TransientQuery> {
    const parts = splitStatements(sql);
    if (parts.length !== 1) throw new PlanError(`Expected exactly one query, got ${parts.length} statements.`, parts[1]?.pos);
    const part = parts[0]!;
    return this.withRequest(opts, async () => {
      const text = this.variables.size > 0 ? substituteVariables(part.text, this.variables) : part.text;
      const stmt = parseStatement(text, part.pos);
      if (stmt.kind === 'Print') return startPrint(this.transientContext(), stmt);
      if (stmt.kind !== 'QueryStatement') {
        throw new PlanError('Only SELECT and PRINT statements can be run as queries; use /ksql for other statements.', stmt.pos);
      }
      return startSelect(this.transientContext(), stmt);
    });
  }

  private transientContext(): TransientContext {
    return {
      catalog: this.catalog,
      log: this.log,
      logger: this.logger,
      registry: this.registry,
      views: this.views,
      properties: Object.fromEntries(this.properties),
      ...(this.opts.cluster
        ? {
            route: async (table: DataSource, key: unknown) => this.pullRoute(table, key),
            scatter: async (table: DataSource) => {
              const q = this.writerOf(table);
              return q && scanPlan(q);
            },
            partitionOf: (table: DataSource, key: readonly unknown[]) => {
              const q = this.writerOf(table);
              return q && taskOfKey(q, key, this.registry);
            },
          }
        : {}),
      register: (query, handle) => {
        this.transients.set(query.id, { query, handle });
        handle.queue.onDrained = () => this.schedulePump();
        this.schedulePump();
      },
      unregister: (id) => this.transients.delete(id),
      wake: () => this.schedulePump(),
    };
  }

  /** Writes one JSON row (column names case-insensitive) to a stream or table, as /inserts-stream does. */
  async insert(target: string, row: Readonly<Record<string, unknown>>): Promise<void> {
    const source = this.catalog.getSource(target.toUpperCase()) ?? this.catalog.getSource(target);
    if (!source) throw new PlanError(`Cannot insert values into an unknown stream/table: ${target}`);
    await insertJsonRow(source, row, this.log, this.registry);
  }

  /** Appends records given as JSON to a topic (REST-proxy style); returns where they landed. */
  async produce(topic: string, records: readonly { key?: unknown; value: unknown; partition?: number }[]): Promise<{ partition: number; offset: number }[]> {
    const source = this.catalog.allSources().find((x) => x.topic === topic);
    return produceJson(topic, source, records, this.log, this.registry);
  }

  /** Is any name a function (used by completion and the REPL)? */
  static isFunction(name: string): boolean {
    return !!(getScalar(name) ?? getAggregate(name) ?? getTableFunction(name));
  }
}



