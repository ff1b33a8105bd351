import { assertNever } from '../common/assert.js';
import { NotImplementedError, PlanError, SluiceError } from '../common/errors.js';
import type { FormatName, FormatSpec } from '../common/formats.js';
import { T, canImplicitlyCast, isNumeric, typeEquals, type SqlType } from '../common/types.js';
import type { TypedExpression } from '../planner/typed-expression.js';
import { listFunctions, getAggregate, getScalar, getTableFunction } from '../functions/registry.js';
import { parseStatement, splitStatements, substituteVariables } from '../parser/index.js';
import type { CreateAsSelect, InsertInto, InsertValues, Statement } from '../parser/ast/index.js';
import { Catalog } from '../planner/catalog.js';
import type { DataSource, WindowInfo } from '../planner/data-source.js';
import { inferenceNeeds, planCreateSource, type DdlConfig, type InferenceRequest, type InferredColumns } from '../planner/ddl-planner.js';
import { ExpressionTyper } from '../planner/expression-typer.js';
import { explainQuery } from '../planner/explain.js';
import { inputsOf, sourcesOf, type LogicalPlan } from '../planner/logical-plan.js';
import { toPhysical } from '../planner/physical-plan.js';
import { planQuery, type PlannedQuery } from '../planner/query-planner.js';
import { serializedValueColumns } from '../planner/schema.js';
import { resolveType } from '../planner/type-resolver.js';
import { WithProperties, parseDelimiter } from '../planner/with-properties.js';
import { compile } from './expr/compile.js';
import type { Log } from './log/log.js';
import type { ProcessingLogEntry, ProcessingLogger } from './operators/record.js';
import { RunningQuery, type Checkpoint } from './query/running-query.js';
import { TransientHandle } from './query/transient.js';
import { startPrint, startSelect, type Steppable, type TransientContext } from './query/start-transient.js';
import { insertJsonRow, produceJson, writeRow } from './json-writes.js';
import type { RequestOptions, TransientQuery } from './transient-query.js';
import { CommandLog, type Command } from './command-log.js';
import { FileLog } from './log/file-log.js';
import { LevelStoreFactory } from './state/level-store.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildTopology } from './query/topology.js';
import { serdeFor } from './serde/serde-for.js';
import type { SchemaRegistry } from './serde/serde-types.js';
import { InMemorySchemaRegistry } from './serde/schema-registry.js';
import { inferColumnsFromRegistry } from './serde/schema-inference.js';
import { MemoryStore, type KeyValueStore } from './state/store.js';
import type { QueryInfo, StatementResult } from './statement-result.js';

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
  readonly commandLog?: CommandLog;
  /** Durable engines: writes all dirty state of every query in one atomic batch. */
  readonly flushStores?: () => Promise<void>;
  /** Releases what the engine was opened with (log files, state database). */
  readonly onClose?: () => Promise<void>;
  /** Also write processing-log entries to the KSQL_PROCESSING_LOG stream (servers). */
  readonly processingLogStream?: boolean;
}

/** Topic and stream holding the processing log when it is a stream. */
export const PROCESSING_LOG_TOPIC = 'sluice_processing_log';
export const PROCESSING_LOG_STREAM = 'KSQL_PROCESSING_LOG';

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
  readonly properties = new Map<string, string>();
  readonly variables = new Map<string, string>();
  readonly processingLog: ProcessingLogEntry[] = [];
  private queryCounter = 0;
  private readonly logger: ProcessingLogger;

  private readonly registry: SchemaRegistry;

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

  constructor(private readonly opts: EngineOptions) {
    this.registry = opts.schemaRegistry ?? new InMemorySchemaRegistry();
    if (opts.autoPump) this.unsubscribe = opts.log.onAppend(() => this.schedulePump());
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
    return this.serialized(async () => {
      const results: StatementResult[] = [];
      await this.withRequest(opts, async () => {
        for (const part of splitStatements(sql)) {
          const text = this.variables.size > 0 ? substituteVariables(part.text, this.variables) : part.text;
          const stmt = parseStatement(text, part.pos);
          results.push(await this.executeStatement(stmt));
          if (this.opts.commandLog && !this.replaying && LOGGED.has(stmt.kind)) {
            this.opts.commandLog.append(stmt.text, Object.fromEntries(this.properties));
          }
        }
      });
      return results;
    });
  }

  /** The number of commands accepted so far (ksqlDB's commandSequenceNumber). */
  get commandSequenceNumber(): number {
    return (this.opts.commandLog?.nextSeq ?? 0) - 1;
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
   * streams, tables and queries are back, resuming from their checkpoints.
   */
  static async open(options: { readonly dataDir: string; readonly properties?: Readonly<Record<string, string>>; readonly autoPump?: boolean }): Promise<Engine> {
    mkdirSync(options.dataDir, { recursive: true });
    const log = await FileLog.open(join(options.dataDir, 'log'));
    const stores = await LevelStoreFactory.open(options.dataDir);
    const commandLog = CommandLog.open(join(options.dataDir, 'commands.jsonl'));
    const engine = new Engine({
      log,
      properties: options.properties,
      storeFactory: stores.forQuery,
      flushStores: () => stores.flushAll(),
      commandLog,
      autoPump: options.autoPump ?? true,
      processingLogStream: true,
      onClose: async () => {
        await stores.close();
        await log.close();
        commandLog.close();
      },
    });
    await engine.createProcessingLogStream();
    await engine.replay(commandLog.commands);
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

  private async replay(commands: readonly Command[]): Promise<void> {
    this.replaying = true;
    try {
      for (const cmd of commands) {
        const saved = new Map(this.properties);
        for (const [k, v] of Object.entries(cmd.properties)) this.properties.set(k, v);
        try {
          await this.execute(cmd.sql);
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
    this.unsubscribe?.();
    for (const t of [...this.transients.values()]) t.handle.close();
    await this.pumping;
    await this.opts.flushStores?.();
    for (const q of this.queries.values()) q.state = 'TERMINATED';
    await this.opts.onClose?.();
  }

  async executeStatement(s: Statement): Promise<StatementResult> {
    switch (s.kind) {
      case 'CreateSource':
        return this.createSource(s);
      case 'CreateAsSelect':
        return this.createAsSelect(s);
      case 'InsertInto':
        return this.insertInto(s);
      case 'InsertValues':
        return this.insertValues(s);
      case 'QueryStatement':
        throw new NotImplementedError('Transient queries are served by the server (/query); they cannot run as statements here.', s.pos);
      case 'DropSource':
        return this.dropSource(s);
      case 'Terminate':
        return this.terminate(s);
      case 'Show':
        return this.show(s);
      case 'Describe': {
        const source = this.requireSource(s.name, s.pos);
        return { kind: 'SourceDescription', statementText: s.text, source, extended: s.extended, readQueries: this.queriesReading(source.name), writeQueries: this.queriesWriting(source.name) };
      }
      case 'DescribeFunction': {
        const info = listFunctions().find((f) => f.name.toUpperCase() === s.name.toUpperCase());
        if (!info) throw new PlanError(`Can't find any functions with the name '${s.name}'`, s.pos);
        return { kind: 'FunctionDescription', statementText: s.text, name: info.name, type: info.type, description: info.description, signatures: info.signatures };
      }
      case 'Explain':
        return this.explain(s);
      case 'SetProperty':
        this.properties.set(s.name, s.value);
        return { kind: 'Message', statementText: s.text, message: `Successfully changed local property '${s.name}' to '${s.value}'.` };
      case 'UnsetProperty':
        this.properties.delete(s.name);
        return { kind: 'Message', statementText: s.text, message: `Successfully unset local property '${s.name}'.` };
      case 'CreateType': {
        const name = s.name.toUpperCase();
        if (this.catalog.types.has(name)) {
          if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Type ${name} already exists` };
          throw new PlanError(`Cannot register custom type '${name}' since it is already registered with type: ${name}`, s.pos);
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

  private newPlanner(): boolean {
    return this.properties.get('ksql.new.query.planner.enabled') === 'true';
  }

  private ddlConfig(): DdlConfig {
    const key = this.properties.get('ksql.persistence.default.format.key')?.toUpperCase() as FormatName | undefined;
    const value = this.properties.get('ksql.persistence.default.format.value')?.toUpperCase() as FormatName | undefined;
    const wrap = this.properties.get('ksql.persistence.wrap.single.values');
    return { defaultKeyFormat: key ?? 'KAFKA', defaultValueFormat: value, wrapSingleValues: wrap === undefined ? undefined : wrap === 'true' };
  }

  private requireSource(name: string, pos: Statement['pos']): DataSource {
    const s = this.catalog.getSource(name);
    if (!s) throw new PlanError(`Source ${name} does not exist.`, pos);
    return s;
  }

  /** Rejects a source whose formats cannot hold its schema (e.g. KAFKA with a STRUCT). */
  private checkFormats(source: DataSource, pos: Statement['pos']): void {
    const check = (spec: FormatSpec, cols: DataSource['schema']['key'], isKey: boolean) => {
      try {
        serdeFor(spec, cols, isKey, this.registry);
      } catch (e) {
        throw new PlanError((e as Error).message, pos);
      }
    };
    check(source.keyFormat, source.schema.key, true);
    check(source.valueFormat, serializedValueColumns(source.schema), false);
  }

  private async createSource(s: Extract<Statement, { kind: 'CreateSource' }>): Promise<StatementResult> {
    const existing = this.catalog.getSource(s.name);
    const what = s.sourceType === 'STREAM' ? 'stream' : 'table';
    if (existing) {
      if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Cannot add ${what} ${s.name}: A ${what} with the same name already exists.` };
      if (!s.orReplace) {
        throw new PlanError(`Cannot add ${what} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`, s.pos);
      }
      if (existing.isSource) throw new PlanError(`Cannot add ${what} '${s.name}': CREATE OR REPLACE is not supported on source ${what}s.`, s.pos);
    }
    const planned = planCreateSource(s, this.catalog, this.ddlConfig(), this.inferColumns(s));
    this.checkFormats(planned.source, s.pos);
    const info = await this.log.topic(planned.source.topic);
    if (!info) {
      if (planned.partitions === undefined && !this.opts.autoCreateTopics) {
        throw new PlanError(`Topic '${planned.source.topic}' does not exist. If you want to create a new topic for the ${what} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${s.sourceType} ${s.name} (...) WITH (KAFKA_TOPIC='${planned.source.topic}', PARTITIONS=2, ...);`, s.pos);
      }
      await this.log.createTopic(planned.source.topic, planned.partitions ?? 1);
    } else if (planned.partitions !== undefined && planned.partitions !== info.partitions) {
      throw new PlanError(`A Kafka topic with the name '${planned.source.topic}' already exists, with different partition/replica configuration than required. KSQL expects ${planned.partitions} partitions (topic has ${info.partitions}).`, s.pos);
    }
    this.catalog.putSource(planned.source);
    return { kind: 'Message', statementText: s.text, message: `${s.sourceType === 'STREAM' ? 'Stream' : 'Table'} created` };
  }

  /** Columns for the sides of a CREATE that take them from the schema registry. */
  private inferColumns(s: Extract<Statement, { kind: 'CreateSource' }>): InferredColumns {
    const needs = inferenceNeeds(s, this.ddlConfig());
    const topic = new WithProperties(s.properties, s.pos).string('KAFKA_TOPIC') ?? '';
    const side = (req: InferenceRequest | undefined, isKey: boolean) => {
      if (!req) return undefined;
      try {
        return inferColumnsFromRegistry(this.registry as InMemorySchemaRegistry, topic, req.format, {
          isKey,
          schemaFullName: req.schemaFullName,
          wrapSingleValue: req.wrapSingleValue,
          schemaId: req.schemaId,
        });
      } catch (e) {
        if (!req.required && /does not exist/.test((e as Error).message)) return undefined;
        throw new PlanError((e as Error).message, s.pos);
      }
    };
    const key = side(needs.key, true);
    const value = side(needs.value, false);
    return { key: key?.columns, value: value?.columns, keySchemaId: key?.schemaId, valueSchemaId: value?.schemaId };
  }

  private nextQueryId(prefix: string, sink?: string): string {
    const n = this.queryCounter++;
    return sink ? `${prefix}_${sink.toUpperCase().replace(/[^A-Z0-9_]/g, '')}_${n}` : `${prefix}_${n}`;
  }

  private async createAsSelect(s: CreateAsSelect): Promise<StatementResult> {
    const existing = this.catalog.getSource(s.name);
    if (existing && !s.orReplace) {
      if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Cannot add ${s.sourceType.toLowerCase()} ${s.name}: already exists.` };
      throw new PlanError(`Cannot add ${s.sourceType.toLowerCase()} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`, s.pos);
    }
    const props = new WithProperties(s.properties, s.pos);
    const planned = planQuery(s.query, { catalog: this.catalog, sinkName: s.name, persistent: true, allowKeylessProjection: this.newPlanner(), properties: Object.fromEntries(this.properties), sinkValueFormat: new WithProperties(s.properties, s.pos).format('VALUE_FORMAT') ?? new WithProperties(s.properties, s.pos).format('FORMAT') });
    if (s.sourceType === 'STREAM' && planned.isTable) {
      throw new PlanError('Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.', s.pos);
    }
    if (s.sourceType === 'TABLE' && !planned.isTable) {
      throw new PlanError('Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.', s.pos);
    }
    const from = planned.sources[0]!;
    const format = props.format('FORMAT');
    const explicitKey = props.format('KEY_FORMAT') ?? format;
    if (explicitKey !== undefined && explicitKey !== 'NONE' && planned.output.key.length === 0 && s.query.partitionBy) {
      throw new PlanError('Key format specified for stream without key columns.', s.pos);
    }
    let keyFormat: FormatName = explicitKey ?? from.keyFormat.format;
    if (planned.output.key.length === 0) keyFormat = 'NONE';
    else if (keyFormat === 'NONE' && explicitKey === undefined) keyFormat = this.ddlConfig().defaultKeyFormat;
    const valueFormat = props.format('VALUE_FORMAT') ?? format ?? from.valueFormat.format;
    const valueCols = planned.output.value;
    const wrapProp = props.boolean('WRAP_SINGLE_VALUE');
    if (wrapProp !== undefined && valueCols.length !== 1) {
      throw new PlanError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", s.pos);
    }
    const sameKeyFormat = keyFormat === from.keyFormat.format;
    const sameValueFormat = valueFormat === from.valueFormat.format;
    const sink: DataSource = {
      name: s.name,
      sourceType: s.sourceType,
      schema: planned.output,
      topic: props.string('KAFKA_TOPIC') ?? `${this.properties.get('ksql.output.topic.name.prefix') ?? ''}${s.name}`,
      keyFormat: {
        format: keyFormat,
        delimiter: parseDelimiter(props.string('KEY_DELIMITER'), s.pos) ?? (sameKeyFormat ? from.keyFormat.delimiter : undefined),
      },
      valueFormat: {
        format: valueFormat,
        wrapSingleValue: valueCols.length === 1 ? (wrapProp ?? this.ddlConfig().wrapSingleValues) : undefined,
        delimiter: parseDelimiter(props.string('VALUE_DELIMITER'), s.pos) ?? (sameValueFormat ? from.valueFormat.delimiter : undefined),
        schemaFullName: props.string('VALUE_AVRO_SCHEMA_FULL_NAME') ?? props.string('VALUE_SCHEMA_FULL_NAME'),
      },
      timestampColumn: props.string('TIMESTAMP')?.toUpperCase(),
      timestampFormat: props.string('TIMESTAMP_FORMAT'),
      window: windowInfo(planned),
      isSource: false,
      sqlText: s.text,
    };
    this.checkFormats(sink, s.pos);
    if (existing && s.orReplace) {
      for (const q of this.queriesWriting(existing.name)) this.queries.delete(q.id);
    }
    const fromInfo = await this.log.topic(from.topic);
    const partitions = props.int('PARTITIONS') ?? fromInfo?.partitions ?? 1;
    const queryId = this.nextQueryId(s.sourceType === 'STREAM' ? 'CSAS' : 'CTAS', s.name);
    await this.checkCopartitioned(planned.plan, s.pos);
    const withWriter: DataSource = { ...sink, writerQueryId: queryId };
    await this.launchQuery(queryId, s.text, planned, withWriter, partitions);
    this.catalog.putSource(withWriter);
    return { kind: 'Message', statementText: s.text, message: `Created query with ID ${queryId}`, queryId };
  }

  private async insertInto(s: InsertInto): Promise<StatementResult> {
    const target = this.requireSource(s.target, s.pos);
    if (target.isSource) throw new PlanError(`Cannot insert into read-only ${target.sourceType.toLowerCase()}: ${target.name}`, s.pos);
    if (target.sourceType === 'TABLE') {
      throw new PlanError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`, s.pos);
    }
    const planned = planQuery(s.query, { catalog: this.catalog, sinkName: target.name, persistent: true, allowKeylessProjection: this.newPlanner(), properties: Object.fromEntries(this.properties), sinkValueFormat: target.valueFormat.format });
    if (planned.isTable) throw new PlanError(`INSERT INTO can only be used to insert from a stream. The query produces a table.`, s.pos);
    const same = (a: DataSource['schema']['key'], b: DataSource['schema']['key']) =>
      a.length === b.length && a.every((c, i) => c.name === b[i]!.name && (typeEquals(c.type, b[i]!.type) || canImplicitlyCast(c.type, b[i]!.type) || (isNumeric(c.type) && b[i]!.type.kind === 'DECIMAL')));
    const targetValue = serializedValueColumns(target.schema);
    if (!same(planned.output.key, target.schema.key) || !same(planned.output.value, targetValue)) {
      const fmt = (cols: DataSource['schema']['key'], keyCount: number) => cols.map((c, i) => `\`${c.name}\` ${c.type.kind}${i < keyCount ? ' KEY' : ''}`).join(', ');
      throw new PlanError(
        `Incompatible schema between results and sink.\nResult schema is ${fmt([...planned.output.key, ...planned.output.value], planned.output.key.length)}\nSink schema is ${fmt([...target.schema.key, ...targetValue], target.schema.key.length)}`,
        s.pos,
      );
    }
    await this.checkCopartitioned(planned.plan, s.pos);
    const coerced = castToSink(planned, target);
    const info = await this.log.topic(target.topic);
    const queryId = this.nextQueryId('INSERTQUERY');
    await this.launchQuery(queryId, s.text, coerced, target, info?.partitions ?? 1);
    return { kind: 'Message', statementText: s.text, message: `Created query with ID ${queryId}`, queryId };
  }

  /** Tables cannot be repartitioned: a join with a table needs both sides on as many partitions. */
  private async checkCopartitioned(plan: LogicalPlan, pos: Statement['pos']): Promise<void> {
    if (plan.kind === 'Join' && plan.spec.kind !== 'STREAM_STREAM') {
      const left = sourcesOf(plan.left)[0]!;
      const right = sourcesOf(plan.right)[0]!;
      const lp = (await this.log.topic(left.topic))?.partitions ?? 1;
      const rp = (await this.log.topic(right.topic))?.partitions ?? 1;
      if (lp !== rp) {
        throw new PlanError(`Can't join \`${left.name}\` with \`${right.name}\` since the number of partitions don't match. \`${left.name}\` partitions = ${lp}; \`${right.name}\` partitions = ${rp}. Please repartition either one so that the number of partitions match.`, pos);
      }
    }
    for (const i of inputsOf(plan)) await this.checkCopartitioned(i, pos);
  }

  private async launchQuery(queryId: string, text: string, planned: PlannedQuery, sink: DataSource, partitions: number): Promise<void> {
    const logical: LogicalPlan = { kind: 'Sink', input: planned.plan, target: sink, schema: planned.plan.schema };
    const physical = toPhysical(logical);
    if (!(await this.log.topic(sink.topic))) await this.log.createTopic(sink.topic, partitions);
    const info = await this.log.topic(sink.topic);
    const stores: KeyValueStore<unknown>[] = [];
    const topology = buildTopology(physical, {
      queryId,
      log: this.logger,
      sinkPartitions: info?.partitions ?? partitions,
      registry: this.registry,
      store: <V>(name: string) => {
        const st = (this.opts.storeFactory?.(queryId, name) ?? new MemoryStore<unknown>()) as KeyValueStore<V>;
        stores.push(st as KeyValueStore<unknown>);
        return st;
      },
    });
    const durability = this.opts.flushStores && this.opts.storeFactory
      ? { checkpoints: this.opts.storeFactory(queryId, '__checkpoint') as KeyValueStore<Checkpoint>, flush: this.opts.flushStores }
      : undefined;
    const q = new RunningQuery(queryId, text, logical, physical, planned.sources, sink, topology, stores, durability);
    const reset = (this.properties.get('auto.offset.reset') ?? this.properties.get('ksql.streams.auto.offset.reset') ?? 'latest').toLowerCase();
    await q.init(this.log, reset === 'earliest');
    this.queries.set(queryId, q);
  }

  private async insertValues(s: InsertValues): Promise<StatementResult> {
    const target = this.requireSource(s.target, s.pos);
    if (target.isSource) throw new PlanError(`Cannot insert values into read-only ${target.sourceType.toLowerCase()}: ${target.name}`, s.pos);
    const all = [...target.schema.key, ...target.schema.value];
    const columns = s.columns ?? [...target.schema.key, ...target.schema.value.filter((c) => c.namespace === 'VALUE')].map((c) => c.name);
    if (columns.length !== s.values.length) {
      throw new PlanError(`Expected a value for each column. Expected Columns: [${columns.join(', ')}]. Got ${s.values.length} values`, s.pos);
    }
    const headerCols = columns.filter((c) => all.find((x) => x.name === c)?.namespace === 'HEADER');
    if (headerCols.length > 0) throw new PlanError(`Cannot insert into HEADER columns: ${headerCols.join(', ')}`, s.pos);
    const typer = new ExpressionTyper({ columns: [], types: this.catalog.types });
    const byName = new Map<string, unknown>();
    let rowtime: number | undefined;
    columns.forEach((name, i) => {
      const expr = s.values[i]!;
      let type: SqlType;
      if (name === 'ROWTIME') type = T.BIGINT;
      else if (name === 'ROWPARTITION' || name === 'ROWOFFSET') throw new PlanError(`Cannot insert into pseudo column ${name}`, expr.pos);
      else {
        const col = all.find((c) => c.name === name);
        if (!col) throw new PlanError(`Column name ${name} does not exist.`, expr.pos);
        type = col.type;
      }
      const typed = typer.coerce(typer.type(expr), type, expr.pos);
      let v: unknown;
      try {
        v = compile(typed)([], []);
      } catch (e) {
        throw new PlanError(`Failed to insert values into '${target.name}'. ${(e as Error).message}`, expr.pos);
      }
      if (name === 'ROWTIME') rowtime = v as number;
      else byName.set(name, v);
    });
    const key = target.schema.key.map((c) => byName.get(c.name) ?? null);
    const value = serializedValueColumns(target.schema).map((c) => byName.get(c.name) ?? null);
    if (target.timestampColumn && rowtime === undefined) {
      const tv = byName.get(target.timestampColumn);
      if (typeof tv === 'number') rowtime = tv;
    }
    await writeRow(target, key, value, rowtime ?? Date.now(), this.log, this.registry);
    return { kind: 'Message', statementText: s.text, message: '' };
  }

  private queriesReading(name: string): QueryInfo[] {
    return [...this.queries.values()].filter((q) => q.sources.some((x) => x.name === name)).map(queryInfo);
  }

  private queriesWriting(name: string): QueryInfo[] {
    return [...this.queries.values()].filter((q) => q.sink?.name === name).map(queryInfo);
  }

  private async dropSource(s: Extract<Statement, { kind: 'DropSource' }>): Promise<StatementResult> {
    const source = this.catalog.getSource(s.name);
    if (!source) {
      if (s.ifExists) return { kind: 'Message', statementText: s.text, message: `Source \`${s.name}\` does not exist.` };
      throw new PlanError(`Source ${s.name} does not exist.`, s.pos);
    }
    if (source.isSource && s.deleteTopic) {
      throw new PlanError(`Cannot delete topic for read-only source: ${source.name}`, s.pos);
    }
    if (source.sourceType !== s.sourceType) {
      throw new PlanError(`Incompatible data source type is ${source.sourceType}, but statement was DROP ${s.sourceType}`, s.pos);
    }
    const readers = this.queriesReading(source.name).filter((q) => q.sink !== source.name);
    if (readers.length > 0) {
      throw new PlanError(`Cannot drop ${source.name}.\nThe following queries read from this source: [${readers.map((q) => q.id).join(', ')}].\nYou need to terminate them before dropping ${source.name}.`, s.pos);
    }
    for (const q of this.queriesWriting(source.name)) this.queries.delete(q.id);
    this.catalog.dropSource(source.name);
    if (s.deleteTopic) await this.log.deleteTopic(source.topic);
    return { kind: 'Message', statementText: s.text, message: `Source \`${source.name}\` (topic: ${source.topic}) was dropped.` };
  }

  private terminate(s: Extract<Statement, { kind: 'Terminate' }>): StatementResult {
    if (s.queryId === undefined) {
      for (const q of this.queries.values()) q.state = 'TERMINATED';
      this.queries.clear();
      return { kind: 'Message', statementText: s.text, message: 'All queries terminated.' };
    }
    const id = s.queryId.toUpperCase();
    const q = this.queries.get(id) ?? this.queries.get(s.queryId);
    if (!q) throw new PlanError(`Unknown queryId: ${s.queryId}`, s.pos);
    q.state = 'TERMINATED';
    this.queries.delete(q.id);
    return { kind: 'Message', statementText: s.text, message: 'Query terminated.' };
  }

  private async show(s: Extract<Statement, { kind: 'Show' }>): Promise<StatementResult> {
    switch (s.what) {
      case 'STREAMS':
      case 'TABLES': {
        const type = s.what === 'STREAMS' ? 'STREAM' : 'TABLE';
        return { kind: 'Sources', statementText: s.text, sourceType: type, sources: this.catalog.allSources().filter((x) => x.sourceType === type), extended: s.extended };
      }
      case 'QUERIES':
        return { kind: 'Queries', statementText: s.text, queries: [...this.queries.values()].map(queryInfo), extended: s.extended };
      case 'TOPICS':
        return { kind: 'Topics', statementText: s.text, topics: await this.log.listTopics(), extended: s.extended };
      case 'PROPERTIES':
        return { kind: 'Properties', statementText: s.text, properties: Object.fromEntries(this.properties), overwritten: [...this.properties.keys()] };
      case 'FUNCTIONS':
        return { kind: 'Functions', statementText: s.text, functions: listFunctions().map((f) => ({ name: f.name, type: f.type, category: f.category })) };
      case 'TYPES':
        return { kind: 'Types', statementText: s.text, types: this.catalog.types };
      case 'VARIABLES':
        return { kind: 'Variables', statementText: s.text, variables: this.variables };
      default:
        return assertNever(s.what, 'SHOW target');
    }
  }

  private explain(s: Extract<Statement, { kind: 'Explain' }>): StatementResult {
    if (s.queryId !== undefined) {
      const q = this.queries.get(s.queryId.toUpperCase()) ?? this.queries.get(s.queryId);
      if (!q) throw new PlanError(`Query with id:${s.queryId} does not exist, use SHOW QUERIES to view the full set of running queries.`, s.pos);
      return { kind: 'Explain', statementText: s.text, queryId: q.id, text: explainQuery(q.logical, q.physical) };
    }
    const inner = s.statement;
    if (!inner || (inner.kind !== 'CreateAsSelect' && inner.kind !== 'InsertInto' && inner.kind !== 'QueryStatement')) {
      throw new PlanError('EXPLAIN only supports queries: CREATE … AS SELECT, INSERT INTO … SELECT, and SELECT.', s.pos);
    }
    const name = inner.kind === 'CreateAsSelect' ? inner.name : inner.kind === 'InsertInto' ? inner.target : undefined;
    const planned = planQuery(inner.query, { catalog: this.catalog, sinkName: name, persistent: inner.kind !== 'QueryStatement' });
    const target = inner.kind === 'InsertInto' ? this.catalog.getSource(inner.target) : undefined;
    const sink: DataSource | undefined = inner.kind === 'CreateAsSelect'
      ? { ...planned.sources[0]!, name: inner.name, sourceType: inner.sourceType, schema: planned.output, topic: inner.name, sqlText: inner.text, window: windowInfo(planned), isSource: false, timestampColumn: undefined }
      : target;
    const logical: LogicalPlan = sink ? { kind: 'Sink', input: planned.plan, target: sink, schema: planned.plan.schema } : planned.plan;
    return { kind: 'Explain', statementText: s.text, text: explainQuery(logical, toPhysical(logical)) };
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

  private schedulePump(): void {
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
      const running = [...this.queries.values(), ...[...this.transients.values()].map((t) => t.query)];
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
      properties: Object.fromEntries(this.properties),
      register: (query, handle) => {
        this.transients.set(query.id, { query, handle });
        this.schedulePump();
      },
      unregister: (id) => this.transients.delete(id),
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

/** INSERT INTO: widens result columns to the sink's types (ksqlDB's implicit casts). */
function castToSink(planned: PlannedQuery, target: DataSource): PlannedQuery {
  const plan = planned.plan;
  if (plan.kind !== 'Project') return planned;
  const cast = (exprs: readonly TypedExpression[], cols: readonly { type: SqlType }[]) =>
    exprs.map((e, i) => {
      const want = cols[i]?.type;
      return want && !typeEquals(e.type, want) ? ({ kind: 'Cast', type: want, operand: e } as TypedExpression) : e;
    });
  const valueCols = serializedValueColumns(target.schema);
  const project: LogicalPlan = { ...plan, keyExprs: cast(plan.keyExprs, target.schema.key), valueExprs: cast(plan.valueExprs, valueCols) };
  return { ...planned, plan: project, output: { key: target.schema.key, value: valueCols } };
}

function windowInfo(p: PlannedQuery): WindowInfo | undefined {
  const w = p.window;
  if (!w) return undefined;
  if (w.kind === 'SOURCE') return { type: w.type, sizeMs: w.sizeMs };
  if (w.kind === 'SESSION') return { type: 'SESSION' };
  return { type: w.kind, sizeMs: w.sizeMs };
}

function queryInfo(q: RunningQuery): QueryInfo {
  return { id: q.id, statementText: q.statementText, sink: q.sink?.name, sinkTopic: q.sink?.topic, sources: q.sources.map((x) => x.name), state: q.state };
}
