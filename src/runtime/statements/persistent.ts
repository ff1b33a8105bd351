/**
 * Statements that start persistent queries (CREATE … AS SELECT, INSERT INTO … SELECT)
 * and INSERT INTO … VALUES.
 */
import { checkFormats } from './ddl.js';
import { queriesWriting } from './inspect.js';
import { PlanError } from '../../common/errors.js';
import type { FormatName } from '../../common/formats.js';
import { formatNamed } from '../../serde/formats.js';
import { T, canImplicitlyCast, formatType, isNumeric, typeEquals, type SqlType } from '../../common/types.js';
import { inferColumnsFromRegistry } from '../../serde/schema-inference.js';
import type { InMemorySchemaRegistry } from '../../serde/schema-registry.js';
import type { TypedExpression } from '../../planner/typed-expression.js';
import type { CreateAsSelect, InsertInto, InsertValues, Statement } from '../../parser/ast/index.js';
import type { DataSource } from '../../planner/data-source.js';
import { ExpressionTyper } from '../../planner/expression-typer.js';
import { inputsOf, sourcesOf, type LogicalPlan } from '../../planner/logical-plan.js';
import { toPhysical } from '../../planner/physical-plan.js';
import { planQuery, type PlannedQuery } from '../../planner/query-planner.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { windowInfo } from '../../planner/sink-window.js';
import { walk } from '../../planner/ast-walk.js';
import { WithProperties, checkFormatConfigs, nullableRep, parseDelimiter } from '../../planner/with-properties.js';
import { timestampColumnOf } from '../../planner/ddl-planner.js';
import { checkSourceUpgrade } from '../../planner/source-upgrade.js';
import { compile } from '../expr/compile.js';
import { RunningQuery } from '../query/running-query.js';
import { maxTaskIdleMs } from '../query/task-inputs.js';
import { cacheMaxBytes } from '../operators/record-cache.js';
import { writeRow } from './json-writes.js';
import { buildTopology, type TopologyContext } from '../query/topology.js';
import type { KeyValueStore } from '../state/store.js';
import { STRICT_NUMBERS_PROPERTY } from '../../serde/serde-types.js';
import type { StatementResult } from './statement-result.js';
import type { StatementContext } from './context.js';
import { ddlConfig, newPlanner } from './session.js';
import { MaterializedTable } from '../operators/materialized-table.js';
import { OutputTaps } from '../operators/output-taps.js';

export async function createAsSelect(e: StatementContext, s: CreateAsSelect): Promise<StatementResult> {
  // ksqlDB refuses this while building the statement, before anything else.
  if (s.query.limit !== undefined) throw new PlanError(`CREATE ${s.sourceType} AS SELECT statements don't support LIMIT clause.`);
  const existing = e.catalog.getSource(s.name);
  if (existing && !s.orReplace) {
    if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Cannot add ${s.sourceType.toLowerCase()} ${s.name}: already exists.` };
    throw new PlanError(
      `Cannot add ${s.sourceType.toLowerCase()} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`,
      s.pos,
    );
  }
  const props = new WithProperties(s.properties, s.pos, 'CREATE_AS');
  const planned = planQuery(s.query, {
    catalog: e.catalog,
    sinkName: s.name,
    persistent: true,
    allowKeylessProjection: newPlanner(e.properties),
    properties: Object.fromEntries(e.properties),
    sinkValueFormat: props.format('VALUE_FORMAT') ?? props.format('FORMAT'),
  });
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
  else if (keyFormat === 'NONE' && explicitKey === undefined) keyFormat = ddlConfig(e.properties).defaultKeyFormat;
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
    topic: props.string('KAFKA_TOPIC') ?? `${e.properties.get('ksql.output.topic.name.prefix') ?? ''}${s.name}`,
    keyFormat: {
      format: keyFormat,
      delimiter: parseDelimiter(props.string('KEY_DELIMITER'), s.pos) ?? (sameKeyFormat ? from.keyFormat.delimiter : undefined),
      nullableRepresentation: nullableRep(props.string('KEY_PROTOBUF_NULLABLE_REPRESENTATION')),
    },
    valueFormat: {
      format: valueFormat,
      wrapSingleValue: valueCols.length === 1 ? (wrapProp ?? ddlConfig(e.properties).wrapSingleValues) : undefined,
      delimiter: parseDelimiter(props.string('VALUE_DELIMITER'), s.pos) ?? (sameValueFormat ? from.valueFormat.delimiter : undefined),
      schemaFullName: props.string('VALUE_AVRO_SCHEMA_FULL_NAME') ?? props.string('VALUE_SCHEMA_FULL_NAME'),
      schemaId: props.int('VALUE_SCHEMA_ID'),
      nullableRepresentation: nullableRep(props.string('VALUE_PROTOBUF_NULLABLE_REPRESENTATION')),
    },
    timestampColumn: timestampColumnOf(props, [...planned.output.key, ...planned.output.value], s.pos),
    timestampFormat: props.string('TIMESTAMP_FORMAT'),
    window: windowInfo(planned),
    isSource: false,
    sqlText: s.text,
  };
  checkFormatConfigs(props, 'VALUE', valueFormat, s.pos);
  if (keyFormat !== 'NONE') checkFormatConfigs(props, 'KEY', keyFormat, s.pos);
  checkSchemaIdColumns(e, sink, s.pos);
  checkFormats(e, sink, s.pos);
  if (existing && s.orReplace) {
    checkSourceUpgrade(existing, sink, s.pos);
    const writers = queriesWriting(e, existing.name);
    if (writers.length > 1) {
      throw new PlanError(
        `REPLACE for sink ${existing.name} is not supported because there are multiple queries writing into it: [${writers
          .map((q) => q.id)
          .sort()
          .join(', ')}]`,
        s.pos,
      );
    }
    for (const q of writers) e.queries.remove(q.id);
  }
  const fromInfo = await e.log.topic(from.topic);
  const partitions = props.partitions() ?? fromInfo?.partitions ?? 1;
  const sinkInfo = await e.log.topic(sink.topic);
  if (sinkInfo && props.partitions() !== undefined && sinkInfo.partitions !== partitions) {
    throw new PlanError(
      `A Kafka topic with the name '${sink.topic}' already exists, with different partition/replica configuration than required. KSQL expects ${partitions} partitions (topic has ${sinkInfo.partitions}).`,
      s.pos,
    );
  }
  const queryId = e.queries.nextId(s.sourceType === 'STREAM' ? 'CSAS' : 'CTAS', s.name);
  await checkCopartitioned(e, planned.plan, s.pos);
  const withWriter: DataSource = { ...sink, writerQueryId: queryId };
  await launchQuery(e, queryId, s.text, planned, withWriter, partitions, props.int('REPLICAS'));
  e.catalog.putSource(withWriter);
  return { kind: 'Message', statementText: s.text, message: `Created query with ID ${queryId}`, queryId };
}

export async function insertInto(e: StatementContext, s: InsertInto): Promise<StatementResult> {
  const withQueryId = queryIdOf(e, new WithProperties(s.properties, s.pos, 'INSERT'), s.pos);
  const target = e.catalog.getSource(s.target);
  if (!target) throw new PlanError(`Source \`${s.target}\` does not exist.`, s.pos);
  if (target.isSource) throw new PlanError(`Cannot insert into read-only ${target.sourceType.toLowerCase()}: ${target.name}`, s.pos);
  if (target.sourceType === 'TABLE') {
    throw new PlanError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`, s.pos);
  }
  if (target.schema.value.some((c) => c.namespace === 'HEADER')) {
    throw new PlanError(`Cannot insert into ${target.name} because it has header columns`, s.pos);
  }
  const planned = planQuery(s.query, {
    catalog: e.catalog,
    sinkName: target.name,
    persistent: true,
    allowKeylessProjection: newPlanner(e.properties),
    properties: Object.fromEntries(e.properties),
    sinkValueFormat: target.valueFormat.format,
  });
  if (planned.isTable) throw new PlanError(`INSERT INTO can only be used to insert from a stream. The query produces a table.`, s.pos);
  const same = (a: DataSource['schema']['key'], b: DataSource['schema']['key']) =>
    a.length === b.length &&
    a.every(
      (c, i) =>
        c.name === b[i]!.name &&
        (typeEquals(c.type, b[i]!.type) || canImplicitlyCast(c.type, b[i]!.type) || (isNumeric(c.type) && b[i]!.type.kind === 'DECIMAL')),
    );
  const targetValue = serializedValueColumns(target.schema);
  if (!same(planned.output.key, target.schema.key) || !same(planned.output.value, targetValue)) {
    const fmt = (cols: DataSource['schema']['key'], keyCount: number) =>
      cols.map((c, i) => `\`${c.name}\` ${c.type.kind}${i < keyCount ? ' KEY' : ''}`).join(', ');
    throw new PlanError(
      `Incompatible schema between results and sink.\nResult schema is ${fmt([...planned.output.key, ...planned.output.value], planned.output.key.length)}\nSink schema is ${fmt([...target.schema.key, ...targetValue], target.schema.key.length)}`,
      s.pos,
    );
  }
  await checkCopartitioned(e, planned.plan, s.pos);
  const coerced = castToSink(planned, target);
  const info = await e.log.topic(target.topic);
  const queryId = withQueryId ?? e.queries.nextId('INSERTQUERY');
  await launchQuery(e, queryId, s.text, coerced, target, info?.partitions ?? 1);
  return { kind: 'Message', statementText: s.text, message: `Created query with ID ${queryId}`, queryId };
}

/**
 * With VALUE_SCHEMA_ID, the registered schema must hold each value column the
 * query produces, with its type, at its position; the schema may add fields
 * (written as their defaults or null). ksqlDB's DefaultSchemaInjector rule.
 */
function checkSchemaIdColumns(e: StatementContext, sink: DataSource, pos: Statement['pos']): void {
  const spec = sink.valueFormat;
  if (spec.schemaId === undefined || formatNamed(spec.format)?.usesSchemaRegistry !== true) return;
  const cols = serializedValueColumns(sink.schema);
  let registered: readonly { name: string; type: SqlType }[];
  try {
    registered = inferColumnsFromRegistry(e.registry as InMemorySchemaRegistry, sink.topic, spec.format, {
      isKey: false,
      schemaId: spec.schemaId,
      schemaFullName: spec.schemaFullName,
      wrapSingleValue: spec.wrapSingleValue,
    }).columns;
  } catch (err) {
    throw new PlanError((err as Error).message, pos);
  }
  // An unwrapped schema (a single anonymous value) is compared by type alone.
  const unwrapped = registered.length === 1 && registered[0]!.name === 'ROWVAL';
  const fmt = (c: { name: string; type: SqlType }) => `\`${c.name}\` ${formatType(c.type)}`;
  const changed = cols.filter((c, i) => {
    const r = registered[i];
    return r === undefined || (!unwrapped && r.name !== c.name) || !typeEquals(r.type, c.type);
  });
  if (changed.length > 0) {
    throw new PlanError(
      `The following value columns are changed, missing or reordered: [${changed.map(fmt).join(', ')}]. Schema from schema registry is [${registered.map(fmt).join(', ')}]`,
      pos,
    );
  }
}

/** Query ID prefixes ksqlDB generates itself (QueryIdUtil.ReservedQueryIdsPrefixes). */
const RESERVED_QUERY_ID_PREFIXES = ['INSERTQUERY_', 'CTAS_', 'CSAS_', 'CST_'];

/** WITH (QUERY_ID=…) of INSERT INTO, upper-cased and checked as ksqlDB's QueryIdUtil does. */
function queryIdOf(e: StatementContext, props: WithProperties, pos: Statement['pos']): string | undefined {
  const raw = props.string('QUERY_ID');
  if (raw === undefined) return undefined;
  const id = raw.toUpperCase();
  if (RESERVED_QUERY_ID_PREFIXES.some((p) => id.startsWith(p))) {
    throw new PlanError(`Query IDs must not start with a reserved query ID prefix (${RESERVED_QUERY_ID_PREFIXES.join(', ')}). Got '${id}'.`, pos);
  }
  if (!/^[A-Za-z0-9_]+$/.test(id)) throw new PlanError(`Query IDs may contain only alphanumeric characters and '_'. Got: '${id}'`, pos);
  if (e.queries.get(id)) throw new PlanError(`Query ID '${id}' already exists.`, pos);
  return id;
}

/** Tables cannot be repartitioned: a join with a table needs both sides on as many partitions. */
export async function checkCopartitioned(e: StatementContext, plan: LogicalPlan, pos: Statement['pos']): Promise<void> {
  if (plan.kind === 'Join' && plan.spec.kind !== 'STREAM_STREAM') {
    const left = sourcesOf(plan.left)[0]!;
    const right = sourcesOf(plan.right)[0]!;
    const lp = (await e.log.topic(left.topic))?.partitions ?? 1;
    const rp = (await e.log.topic(right.topic))?.partitions ?? 1;
    if (lp !== rp) {
      throw new PlanError(
        `Can't join \`${left.name}\` with \`${right.name}\` since the number of partitions don't match. \`${left.name}\` partitions = ${lp}; \`${right.name}\` partitions = ${rp}. Please repartition either one so that the number of partitions match.`,
        pos,
      );
    }
  }
  for (const i of inputsOf(plan)) await checkCopartitioned(e, i, pos);
}

const ACTIVE_LIMIT_PROPERTY = 'ksql.query.persistent.active.limit';

/**
 * `ksql.query.persistent.active.limit`: as ksqlDB, a client's statement that would
 * run more persistent queries than the limit is refused (replays of recorded
 * statements are not: they ran before, and a lowered limit must not lose them).
 */
function checkPersistentLimit(e: StatementContext): void {
  const configured = e.serverProperties.get(ACTIVE_LIMIT_PROPERTY);
  if (configured === undefined || e.replaying()) return;
  const limit = Number(configured);
  const running = [...e.queries.values()].length;
  if (!Number.isInteger(limit) || running + 1 <= limit) return;
  throw new PlanError(
    `Not executing statement(s) as it would cause the number of active, persistent queries to exceed the configured limit. Use the TERMINATE command to terminate existing queries, or increase the '${ACTIVE_LIMIT_PROPERTY}' setting via the 'ksql-server.properties' file. Current persistent query count: ${running + 1}. Configured limit: ${limit}.`,
  );
}

/** Command property holding a new query's start positions (per source, per partition). */
const START_POSITIONS = 'sluice.internal.start.positions';

export async function launchQuery(
  e: StatementContext,
  queryId: string,
  text: string,
  planned: PlannedQuery,
  sink: DataSource,
  partitions: number,
  replicas?: number,
): Promise<void> {
  checkPersistentLimit(e);
  const logical: LogicalPlan = { kind: 'Sink', input: planned.plan, target: sink, schema: planned.plan.schema };
  const physical = toPhysical(logical);
  if (!(await e.log.topic(sink.topic))) await e.log.createTopic(sink.topic, partitions, replicas !== undefined ? { replicas } : undefined);
  const info = await e.log.topic(sink.topic);
  const stores: KeyValueStore<unknown>[] = [];
  // A table's materialized view serves pull queries (filled on the first one).
  let view: MaterializedTable | undefined;
  if (sink.sourceType === 'TABLE') {
    view = new MaterializedTable();
    e.views.set(sink.name, view);
  }
  const byName = new Map<string, KeyValueStore<unknown>>();
  // Kafka mode: partition p of every source is task p; an aggregation by other columns than the
  // source's key reads its input from a repartition topic of as many partitions.
  const { taskCount, repartition } = await e.backend.layout(queryId, physical, planned.sources);
  const taps = new OutputTaps();
  const context: TopologyContext = {
    ...(repartition ? { repartition } : {}),
    taps,
    queryId,
    log: e.logger,
    sinkPartitions: e.sinkToPartitionZero ? 1 : (info?.partitions ?? partitions),
    partitionedTime: e.backend.partitionedTime,
    registry: e.registry,
    strictNumbers: e.properties.get(STRICT_NUMBERS_PROPERTY) === 'true',
    cacheMaxBytes: cacheMaxBytes(Object.fromEntries(e.properties)),
    view,
    // The same store instance for a name on every build (the topology is rebuilt after a restore).
    store: <V>(name: string) => {
      let st = byName.get(name);
      if (!st) {
        st = e.backend.stores.open(queryId, name);
        byName.set(name, st);
        stores.push(st);
      }
      return st as KeyValueStore<V>;
    },
  };
  const topology = buildTopology(physical, context);
  const durability = e.backend.stores.durability(queryId);
  const guarantee = (e.properties.get('processing.guarantee') ?? e.properties.get('ksql.streams.processing.guarantee') ?? 'at_least_once').toLowerCase();
  const tasks = await e.backend.tasksFor({
    queryId,
    physical,
    sources: [...planned.sources.map((src) => src.topic), ...topology.internal.map((x) => x.topic)].map((topic, i) => ({
      topic,
      group: RunningQuery.groupName(queryId, i),
    })),
    stores,
    partitions: taskCount,
    ...(repartition ? { repartitioned: repartition.step } : {}),
    exactlyOnce: guarantee === 'exactly_once_v2' || guarantee === 'exactly_once',
    changelogEnds: durability?.checkpoints.get('checkpoint')?.changelogEnds,
  });
  const q = new RunningQuery({
    id: queryId,
    statementText: text,
    logical,
    physical,
    sources: planned.sources,
    sink,
    topology,
    stores,
    durability,
    tasks,
    rebuildTopology: () => buildTopology(physical, context),
    taps,
    onRestored: () => view?.invalidate(),
    maxTaskIdleMs: maxTaskIdleMs(Object.fromEntries(e.properties)),
    wake: () => e.wake(),
  });
  const reset = (e.properties.get('auto.offset.reset') ?? e.properties.get('ksql.streams.auto.offset.reset') ?? 'latest').toLowerCase();
  // A query reading from the end starts where the sources ended when it was created, on every
  // server of the service and after restarts alike: the command records those positions.
  const recorded = e.properties.get(START_POSITIONS);
  await q.init(e.log, reset === 'earliest', recorded !== undefined ? (JSON.parse(recorded) as number[][]) : undefined);
  if (recorded === undefined && reset !== 'earliest') e.recordWithCommand(START_POSITIONS, JSON.stringify(q.sourcePositions()));
  // A new query may have input waiting already (e.g. auto.offset.reset=earliest): the registry has it run soon.
  e.queries.add(q);
}

export async function insertValues(e: StatementContext, s: InsertValues): Promise<StatementResult> {
  const target = e.catalog.getSource(s.target);
  if (!target) {
    // InsertValuesExecutor's wording, with its hint when only the quoting is wrong.
    const shown = /^[A-Z_][A-Z0-9_]*$/.test(s.target) ? s.target : `\`${s.target}\``;
    const hint = e.catalog.getSource(s.target.toUpperCase())
      ? `\nDid you mean ${s.target.toUpperCase()}? Hint: try removing double quotes from the source name.`
      : '';
    throw new PlanError(`Cannot insert values into an unknown stream/table: ${shown}${hint}`, s.pos);
  }
  if (target.isSource) throw new PlanError(`Cannot insert values into read-only ${target.sourceType.toLowerCase()}: ${target.name}`, s.pos);
  if (target.window) throw new PlanError('Cannot insert values into windowed stream/table!', s.pos);
  const all = [...target.schema.key, ...target.schema.value];
  if (s.columns && s.columns.length !== s.values.length) {
    // ksqlDB refuses this while preparing the statement, before looking at the target.
    throw new PlanError(`Failed to prepare statement: Expected number columns and values to match: ${s.columns.length}, ${s.values.length}`);
  }
  for (const v of s.values) {
    walk(v, (x) => {
      if (x.kind === 'ColumnRef' && x.source !== undefined)
        throw new PlanError(`Failed to prepare statement: '${x.source}' is not a valid stream/table name or alias.`);
    });
  }
  const columns = s.columns ?? [...target.schema.key, ...target.schema.value.filter((c) => c.namespace === 'VALUE')].map((c) => c.name);
  if (columns.length !== s.values.length) {
    throw new PlanError(`Expected a value for each column. Expected Columns: [${columns.join(', ')}]. Got ${s.values.length} values`, s.pos);
  }
  const headerCols = columns.filter((c) => all.find((x) => x.name === c)?.namespace === 'HEADER');
  if (headerCols.length > 0) throw new PlanError(`Cannot insert into HEADER columns: ${headerCols.join(', ')}`, s.pos);
  const typer = new ExpressionTyper({ columns: [], types: e.catalog.types });
  const byName = new Map<string, unknown>();
  let rowtime: number | undefined;
  columns.forEach((name, i) => {
    const expr = s.values[i]!;
    let type: SqlType;
    if (name === 'ROWTIME') type = T.BIGINT;
    else if (name === 'ROWPARTITION' || name === 'ROWOFFSET') throw new PlanError(`Inserting into column \`${name}\` is not allowed.`);
    else {
      const col = all.find((c) => c.name === name);
      if (!col) throw new PlanError(`Column name ${name} does not exist.`, expr.pos);
      type = col.type;
    }
    const typed = typer.coerceValue(typer.type(expr), type, expr.pos);
    let v: unknown;
    try {
      v = compile(typed)([], []);
    } catch (e) {
      throw new PlanError(`Failed to insert values into '${target.name}'. ${(e as Error).message}`, expr.pos);
    }
    if (name === 'ROWTIME') rowtime = v as number;
    else byName.set(name, v);
  });
  const missingKeys = target.schema.key.filter((c) => !byName.has(c.name)).map((c) => c.name);
  if (target.sourceType === 'TABLE' && missingKeys.length > 0) {
    throw new PlanError(
      `Failed to insert values into '${target.name}'. Value for primary key column(s) ${missingKeys.join(', ')} is required for tables`,
      s.pos,
    );
  }
  const key = target.schema.key.map((c) => byName.get(c.name) ?? null);
  const value = serializedValueColumns(target.schema).map((c) => byName.get(c.name) ?? null);
  if (target.timestampColumn && rowtime === undefined) {
    const tv = byName.get(target.timestampColumn);
    if (typeof tv === 'number') rowtime = tv;
  }
  await writeRow(target, key, value, rowtime ?? Date.now(), e.log, e.registry);
  return { kind: 'Message', statementText: s.text, message: '' };
}

/** INSERT INTO: widens result columns to the sink's types (ksqlDB's implicit casts). */
export function castToSink(planned: PlannedQuery, target: DataSource): PlannedQuery {
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
