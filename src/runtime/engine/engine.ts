import type { EngineEvents } from '../../common/engine-events.js';
import { PlanError, SluiceError } from '../../common/errors.js';
import { redactStatement } from '../../common/secrets.js';
import type { ProcessingLogEntry, ProcessingLogger } from '../../common/processing-log.js';
import { getAggregate, getScalar, getTableFunction } from '../../functions/registry.js';
import { maskedStatement, splitStatements } from '../../parser/index.js';
import { Catalog } from '../../planner/catalog.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { InMemorySchemaRegistry } from '../../serde/schema-registry.js';
import type { Log, RecordHeader } from '../log/log.js';
import type { MaterializedTable } from '../operators/materialized-table.js';
import type { PartitionLag, QueryMetrics } from '../query/query-stats.js';
import type { RunningQuery } from '../query/running-query.js';
import { startPrint, startSelect, type TransientContext } from '../query/start-transient.js';
import { fillView } from '../query/view-rebuild.js';
import { warn } from '../../common/warn.js';
import type { RequestOptions, TransientQuery } from '../query/transient-query.js';
import type { ConnectorDeps, ConnectorService } from '../connectors/connector.js';
import { unavailableConnectors } from '../connectors/unavailable.js';
import type { StatementContext } from '../statements/context.js';
import { isLogged, runStatement } from '../statements/handlers.js';
import { checkSessionProperty } from '../statements/property-defaults.js';
import { FORWARDED_PROPERTY } from '../query/pull-forwarding.js';
import { isScalablePush } from '../query/scalable-push.js';
import { JsonRowInserter, produceJson } from '../statements/json-writes.js';
import type { StatementResult } from '../statements/statement-result.js';
import { EmbeddedBackend, type ExecutionBackend } from './backend.js';
import { Commands } from './commands.js';
import { openBackend, type OpenOptions } from './open.js';
import { prepareEach, type PreparedStatement } from './prepare.js';
import { ProcessingLog, processingLogNames } from './processing-log.js';
import { Pump } from './pump.js';
import { PersistentQueries } from './queries.js';

/** How an engine behaves, whatever it runs on. */
export interface EngineSettings {
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
  /** Also write processing-log entries to the KSQL_PROCESSING_LOG stream (servers). */
  readonly processingLogStream?: boolean;
  /**
   * `sluice test`: every query writes every record to partition 0 of its sink, as
   * under ksqlDB's TopologyTestDriver, whose test expectations assume it (a query
   * reading another's output sees one partition, so one stream time).
   */
  readonly sinkToPartitionZero?: boolean;
  /** Where statements, query starts and stops and processing errors are reported (logs, metrics). */
  readonly events?: EngineEvents;
  /**
   * Opens the service connector statements go to (a Kafka Connect client or
   * the built-in connectors), given what the engine has. Without it every
   * connector statement is refused with a 50000 error saying why.
   */
  readonly connectors?: (deps: ConnectorDeps) => ConnectorService;
}

/**
 * What an engine is built on: a log (an embedded backend with memory stores
 * over it, nothing durable), or a backend (`Engine.open` opens one).
 */
export type EngineOptions = EngineSettings &
  ({ readonly log: Log; readonly backend?: undefined } | { readonly backend: ExecutionBackend; readonly log?: undefined });

/**
 * Executes statements against a catalog and a log, and runs persistent queries.
 * One engine is one ksqlDB "server" worth of state: streams, tables, types,
 * queries, session properties and variables. A facade: statements run through
 * their handlers (statements/handlers.ts) with a {@link StatementContext}; the
 * backend says where and how queries run.
 */
export class Engine {
  readonly catalog = new Catalog();
  /** Materialized views of tables written by persistent queries, by table name (pull queries read them). */
  readonly views = new Map<string, MaterializedTable>();
  readonly properties = new Map<string, string>();
  /** Properties set by ALTER SYSTEM: they outlive requests (re-applied over every request's restore). */
  private readonly systemProperties = new Map<string, string>();
  /** The server's configuration plus ALTER SYSTEM's properties (SHOW PROPERTIES tells session overrides from these). */
  private readonly serverProperties = new Map<string, string>();
  readonly variables = new Map<string, string>();
  /** The schema registry serdes use. */
  readonly registry: SchemaRegistry;
  private readonly backend: ExecutionBackend;

  private readonly processing: ProcessingLog;
  private readonly pump: Pump;
  private readonly persistent: PersistentQueries;
  private readonly commands: Commands;
  private readonly context: StatementContext;
  /** Where connector statements go; closed first on close(). */
  private readonly connectors: ConnectorService;
  private closed = false;
  /** Views being filled in the background since start-up (see {@link warmViews}). */
  private readonly warming: Promise<void>[] = [];
  private lock: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private readonly events: EngineEvents;
  /** Who hears {@link events}: the `events` option and {@link subscribe}rs. */
  private readonly listeners: EngineEvents[] = [];
  /** Processing-log entries per query since the last `processing-errors` event. */
  private readonly newErrors = new Map<string, { count: number; last: string }>();
  /** Processing-log entries per query since it started. */
  private readonly errorTotals = new Map<string, number>();

  constructor(opts: EngineOptions) {
    const backend = opts.backend ?? new EmbeddedBackend({ log: opts.log });
    this.backend = backend;
    this.registry = opts.schemaRegistry ?? new InMemorySchemaRegistry();
    for (const [k, v] of Object.entries(opts.properties ?? {})) {
      this.properties.set(k, v);
      this.serverProperties.set(k, v);
    }
    const listeners = this.listeners;
    if (opts.events) listeners.push(opts.events);
    this.events = {
      emit: (event) => {
        for (const l of listeners) l.emit(event);
      },
    };
    const forward = opts.processingLogger;
    this.processing = new ProcessingLog({
      stream: opts.processingLogStream ?? false,
      forward: {
        error: (e) => {
          this.countProcessingError(e);
          forward?.error(e);
        },
      },
    });
    const logger = this.processing;
    this.pump = new Pump({
      log: backend.log,
      logger,
      persistent: () => this.persistent.values(),
      afterRound: () => {
        this.reportProcessingErrors();
        return this.processing.flush(this.catalog, backend.log);
      },
      failed: (queryId, error, stack) =>
        this.events.emit({
          kind: 'query-stopped',
          queryId,
          type: 'persistent',
          reason: 'failed',
          error,
          durationMs: this.persistent.runningFor(queryId),
          ...(stack === undefined ? {} : { stack }),
        }),
    });
    this.persistent = new PersistentQueries({ backend, pump: this.pump, logger, autoPump: opts.autoPump ?? false, events: this.events });
    this.commands = new Commands({
      store: backend.commands,
      properties: this.properties,
      system: this.systemProperties,
      logger,
      execute: (sql) => this.executeUnserialized(sql, {}, true),
      serialized: (f) => this.serialized(f),
    });
    const deps: ConnectorDeps = {
      log: backend.log,
      catalog: this.catalog,
      registry: this.registry,
      logger,
      serverProperties: this.serverProperties,
      kafkaMode: backend.partitionedTime,
    };
    this.connectors = opts.connectors
      ? opts.connectors(deps)
      : unavailableConnectors('this server was started without a connector service (the test runner and embedded tools have none).');
    this.context = {
      catalog: this.catalog,
      log: backend.log,
      registry: this.registry,
      properties: this.properties,
      serverProperties: this.serverProperties,
      variables: this.variables,
      views: this.views,
      logger,
      queries: this.persistent,
      backend,
      connectors: this.connectors,
      autoCreateTopics: opts.autoCreateTopics ?? false,
      sinkToPartitionZero: opts.sinkToPartitionZero ?? false,
      recordWithCommand: (name, value) => this.commands.recordWith(name, value),
      replaying: () => this.commands.isReplaying,
      setSystemProperty: (name, value) => {
        this.systemProperties.set(name, value);
        this.serverProperties.set(name, value);
        this.properties.set(name, value);
      },
      wake: () => this.pump.schedule(),
    };
    if (opts.autoPump) {
      const offAppend = backend.log.onAppend(() => this.pump.schedule());
      // Another server joined, left or released a partition: ownership may have changed.
      const offOwners = backend.onOwnershipChange(() => this.pump.schedule());
      this.unsubscribe = () => {
        offAppend();
        offOwners();
      };
    }
  }

  /**
   * Opens (or creates) a durable engine on a data directory: the file-backed log,
   * the state stores and the command log, replaying every recorded statement so
   * streams, tables and queries are back, resuming from their checkpoints. With
   * `kafka`, topics live on that Kafka cluster and statements in the service's
   * command topic; state stores and checkpoints stay in the data directory.
   */
  static async open(options: OpenOptions): Promise<Engine> {
    let engine: Engine | undefined;
    const { backend, registry } = await openBackend(options, () => engine?.queries ?? new Map());
    engine = new Engine({
      backend,
      properties: options.properties,
      autoPump: options.autoPump ?? true,
      processingLogStream: true,
      schemaRegistry: registry,
      ...(options.events ? { events: options.events } : {}),
      ...(options.connectors ? { connectors: options.connectors } : {}),
    });
    await engine.processing.createStream(engine.catalog, backend.log, processingLogNames(options.properties));
    // Nothing is processed while the log replays: a query PAUSEd later in the log never steps.
    engine.pump.hold();
    try {
      await engine.commands.replay(backend.commands?.commands ?? []);
    } finally {
      engine.pump.release();
    }
    engine.commands.follow();
    if (options.autoPump ?? true) engine.pump.schedule();
    if (backend.pull === undefined) engine.warmViews();
    return engine;
  }

  get log(): Log {
    return this.backend.log;
  }

  /** The running persistent queries by id. */
  get queries(): ReadonlyMap<string, RunningQuery> {
    return this.persistent.byId;
  }

  /** Adds a listener of engine events (a server's metrics); returns how to remove it. */
  subscribe(listener: EngineEvents): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Every persistent query's figures now: records in and out, processing errors,
   * state entries, and lag per input partition (end of the log less the query's position).
   */
  async queryMetrics(): Promise<QueryMetrics[]> {
    const out: QueryMetrics[] = [];
    for (const q of this.persistent.values()) {
      const lag: PartitionLag[] = [];
      for (let i = 0; i < q.sources.length; i++) {
        const topic = q.inputTopic(i);
        const parts = (await this.log.topic(topic))?.partitions ?? 0;
        for (let p = 0; p < parts; p++) {
          const at = q.position(i, p);
          if (at === undefined) continue;
          lag.push({ topic, partition: p, lag: Math.max(0, (await this.log.endOffset(topic, p)) - at) });
        }
      }
      let stateEntries = 0;
      for (const s of q.stores) stateEntries += s.size;
      out.push({ queryId: q.id, state: q.state, stats: q.stats, lag, stateEntries });
    }
    return out;
  }

  /** The latest processing-log entries, oldest first. */
  get processingLog(): readonly ProcessingLogEntry[] {
    return this.processing.entries;
  }

  /** The number of commands accepted so far, less one (ksqlDB's commandSequenceNumber). */
  get commandSequenceNumber(): number {
    return this.commands.sequenceNumber;
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

  /** Executes a statement prepared already (see prepare.ts), as {@link execute} does each of its statements. */
  async executePrepared(statement: PreparedStatement, opts: RequestOptions = {}): Promise<StatementResult> {
    return this.serialized(() => this.withRequest(opts, () => this.executeOne(statement)));
  }

  /** {@link execute} for callers that hold the request lock already. */
  private async executeUnserialized(sql: string, opts: RequestOptions = {}, replayed = false): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    await this.withRequest(opts, async () => {
      for (const statement of prepareEach(splitStatements(sql), this.variables)) results.push(await this.executeOne(statement, replayed));
    });
    return results;
  }

  private async executeOne({ stmt }: PreparedStatement, replayed = false): Promise<StatementResult> {
    const started = performance.now();
    const report = (e?: unknown): void =>
      this.events.emit({
        kind: 'statement',
        text: redactStatement(maskedStatement(stmt) ?? stmt.text),
        statement: stmt.kind,
        durationMs: performance.now() - started,
        replayed,
        ...(e === undefined ? {} : { errorCode: e instanceof SluiceError ? e.errorCode : 50000, error: (e as Error).message ?? String(e) }),
        // A stack for the server's own failures (unexpected errors and 5xx SluiceErrors), not for the user's mistakes.
        ...(e instanceof Error && (!(e instanceof SluiceError) || e.errorCode >= 50000) && e.stack !== undefined ? { stack: e.stack } : {}),
      });
    try {
      this.commands.begin();
      const result = await runStatement(this.context, stmt);
      if (isLogged(this.context, stmt)) await this.commands.accepted(stmt.text);
      report();
      return result;
    } catch (e) {
      report(e);
      throw e;
    }
  }

  /** Counts a processing-log entry for its query (once per entry: entries are rare, never the normal path). */
  private countProcessingError(e: ProcessingLogEntry): void {
    this.persistent?.get(e.queryId)?.stats.errors.add(1);
    const n = this.newErrors.get(e.queryId);
    if (n) {
      n.count++;
      n.last = e.message;
    } else this.newErrors.set(e.queryId, { count: 1, last: e.message });
  }

  /** After a pump round: one `processing-errors` event per query that reported entries during it. */
  private reportProcessingErrors(): void {
    if (this.newErrors.size === 0) return;
    for (const [queryId, { count, last }] of this.newErrors) {
      const total = (this.errorTotals.get(queryId) ?? 0) + count;
      this.errorTotals.set(queryId, total);
      this.events.emit({ kind: 'processing-errors', queryId, count, total, lastMessage: last });
    }
    this.newErrors.clear();
  }

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
    // A request's properties are checked as SET's are; a server forwarding a pull query sends
    // its whole configuration (already checked there), and a value the server has is no override.
    if (opts.properties?.[FORWARDED_PROPERTY] === undefined) {
      for (const [k, v] of props) if (this.serverProperties.get(k) !== String(v)) checkSessionProperty(k, String(v));
    }
    const savedProps = new Map(this.properties);
    const savedVars = new Map(this.variables);
    for (const [k, v] of props) this.properties.set(k, String(v));
    for (const [k, v] of vars) this.variables.set(k, String(v));
    try {
      return await f();
    } finally {
      this.properties.clear();
      for (const [k, v] of savedProps) this.properties.set(k, v);
      for (const [k, v] of this.systemProperties) this.properties.set(k, v);
      this.variables.clear();
      for (const [k, v] of savedVars) this.variables.set(k, v);
    }
  }

  /** Stops queries, writes state, and releases files. The engine is unusable afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Connectors first: built-in ones read and write the log the rest of close() shuts.
    await this.connectors.close();
    await Promise.all(this.warming); // each stops at its next batch
    this.commands.stop();
    this.unsubscribe?.();
    await this.pump.close();
    for (const q of this.persistent.values()) await q.tasks?.close();
    // Announce leaving only now that nothing runs: the others take the partitions over at once.
    await this.backend.leave();
    await this.backend.stores.flushAll();
    for (const q of this.persistent.values()) q.state = 'TERMINATED';
    await this.backend.close();
  }

  /**
   * After a restart, starts filling every table's materialized view from its
   * topic in the background (embedded mode), so the first pull query finds it
   * ready instead of paying the rebuild; one arriving earlier waits for it.
   */
  private warmViews(): void {
    if (this.views.size === 0) return;
    this.warming.push(this.warmViewsAfterCatchUp());
  }

  /** After the first pump run (queries caught up with what arrived while stopped), fills the views. */
  private async warmViewsAfterCatchUp(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // the run scheduled at start-up begins
    await this.pump.idle();
    if (this.closed) return;
    const ctx = { log: this.log, registry: this.registry, stopped: () => this.closed };
    const fills: Promise<void>[] = [];
    for (const [name, view] of this.views) {
      const source = this.catalog.getSource(name);
      if (source === undefined) continue;
      fills.push(
        fillView(ctx, source, view).catch((e: unknown) => {
          if (!this.closed) warn(`Could not fill the view of table ${name} at start-up (the first pull query on it tries again): ${(e as Error).message}`);
        }),
      );
    }
    await Promise.all(fills);
  }

  /** Kafka mode: `/clusterStatus`'s `clusterStatus` object (every server of the service heard from); undefined embedded. */
  clusterStatus(): Record<string, unknown> | undefined {
    return this.backend.clusterStatus();
  }

  /** Kafka mode: the REST endpoint other servers forward pull queries to. */
  advertise(url: string): void {
    this.backend.advertise(url);
  }

  /** Runs every query until none has unread input. Concurrent calls share one run. */
  pumpAll(): Promise<void> {
    return this.pump.all();
  }

  /**
   * Starts a transient query: `SELECT …` (push with EMIT CHANGES, else pull) or
   * `PRINT topic`. Push queries run until LIMIT, close() or engine close; pull
   * queries read the current state and finish.
   */
  async startQuery(sql: string, opts: RequestOptions = {}): Promise<TransientQuery> {
    const parts = splitStatements(sql);
    if (parts.length !== 1) throw new PlanError(`Expected exactly one query, got ${parts.length} statements.`, parts[1]?.pos);
    return this.withRequest(opts, () => {
      const [statement] = prepareEach(parts, this.variables);
      return this.startUnderRequest(statement!);
    });
  }

  /** Starts a transient query prepared already (see prepare.ts), as {@link startQuery} does. */
  async startPrepared(statement: PreparedStatement, opts: RequestOptions = {}): Promise<TransientQuery> {
    return this.withRequest(opts, () => this.startUnderRequest(statement));
  }

  /**
   * Whether `statement` would run as a scalable push query (see scalable-push.ts)
   * with the request's properties: the server does not count those against
   * `ksql.max.push.queries`, as ksqlDB does not.
   */
  isScalablePush(statement: PreparedStatement, opts: RequestOptions = {}): boolean {
    const stmt = statement.stmt;
    if (stmt.kind !== 'QueryStatement' || stmt.query.from.kind !== 'AliasedSource') return false;
    const source = this.catalog.getSource(stmt.query.from.name);
    if (!source) return false;
    const properties = { ...Object.fromEntries(this.properties), ...(opts.properties ?? {}) };
    return isScalablePush(stmt.query, this.writersOf(source.name).length, properties);
  }

  /** The running persistent queries writing source `name` (ksqlDB's getQueriesWithSink). */
  private writersOf(name: string): RunningQuery[] {
    return [...this.persistent.values()].filter((q) => q.sink?.name === name && q.state !== 'TERMINATED');
  }

  private async startUnderRequest({ stmt }: PreparedStatement): Promise<TransientQuery> {
    if (stmt.kind !== 'Print' && stmt.kind !== 'QueryStatement') {
      throw new PlanError('Only SELECT and PRINT statements can be run as queries; use /ksql for other statements.', stmt.pos);
    }
    const started = performance.now();
    const q = stmt.kind === 'Print' ? await startPrint(this.transientContext(), stmt) : await startSelect(this.transientContext(), stmt);
    const type = q.kind;
    this.events.emit({ kind: 'query-started', queryId: q.id, type, text: redactStatement(stmt.text), durationMs: performance.now() - started });
    void q.done.then(
      () => this.transientStopped(q, started, q.error),
      (e: unknown) => this.transientStopped(q, started, (e as Error).message ?? String(e)),
    );
    return q;
  }

  private transientStopped(q: TransientQuery, started: number, error: string | undefined): void {
    const durationMs = performance.now() - started;
    if (error !== undefined) this.events.emit({ kind: 'query-stopped', queryId: q.id, type: q.kind, reason: 'failed', error, durationMs });
    else this.events.emit({ kind: 'query-stopped', queryId: q.id, type: q.kind, reason: q.kind === 'push' ? 'closed' : 'completed', durationMs });
  }

  private transientContext(): TransientContext {
    const pull = this.backend.pull;
    return {
      catalog: this.catalog,
      log: this.log,
      logger: this.processing,
      registry: this.registry,
      views: this.views,
      properties: Object.fromEntries(this.properties),
      ...(pull ? { pull } : {}),
      writersOf: (name) => this.writersOf(name),
      register: (query, handle) => this.pump.addTransient(query, handle),
      unregister: (id) => this.pump.removeTransient(id),
      wake: () => this.pump.schedule(),
    };
  }

  /** Writes one JSON row (column names case-insensitive) to a stream or table. */
  async insert(target: string, row: Readonly<Record<string, unknown>>): Promise<void> {
    const [error] = await this.inserter(target).insert([row]);
    if (error) throw error;
  }

  /** Writes JSON rows into a stream or table a batch at a time, as /inserts-stream does. */
  inserter(target: string): JsonRowInserter {
    const source = this.catalog.getSource(target.toUpperCase()) ?? this.catalog.getSource(target);
    if (!source) throw new PlanError(`Cannot insert values into an unknown stream/table: ${target}`);
    return new JsonRowInserter(source, this.log, this.registry);
  }

  /** Appends records given as JSON to a topic (REST-proxy style); returns where they landed. */
  async produce(
    topic: string,
    records: readonly { key?: unknown; value: unknown; partition?: number; timestamp?: number; headers?: readonly RecordHeader[] }[],
  ): Promise<{ partition: number; offset: number }[]> {
    const source = this.catalog.allSources().find((x) => x.topic === topic);
    return produceJson(topic, source, records, this.log, this.registry);
  }

  /** Is any name a function (used by completion and the REPL)? */
  static isFunction(name: string): boolean {
    return !!(getScalar(name) ?? getAggregate(name) ?? getTableFunction(name));
  }
}
