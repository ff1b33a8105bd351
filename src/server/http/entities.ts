import { maskedStatement, type Statement } from '../../parser/index.js';
import type { ConnectorState, ConnectorStatus } from '../../runtime/connectors/connector.js';
import type { DataSource } from '../../planner/data-source.js';
import type { QueryInfo, QueryTask, StatementResult } from '../../runtime/statements/statement-result.js';
import { fieldInfo, schemaInfo, type SchemaInfoJson } from './schema-info.js';

/** One element of `/ksql`'s response array: ksqlDB's `KsqlEntity` JSON, discriminated by `@type`. */
export type KsqlEntity = { readonly '@type': string; readonly statementText: string; readonly warnings: readonly { message: string }[] } & Record<
  string,
  unknown
>;

/** What mapping needs besides the result itself. */
export interface EntityContext {
  /** Sequence number of the command just executed. */
  readonly commandSequenceNumber: number;
  /** Partition count of a topic (undefined when it does not exist). */
  readonly partitions: (topic: string) => Promise<number | undefined>;
}

/**
 * ksqlDB's command id for a statement that changes the metastore
 * (`stream/PAGEVIEWS/create`, `terminate/CSAS_X_0/execute`), or undefined for
 * statements that are not commands.
 */
export function commandId(stmt: Statement): string | undefined {
  switch (stmt.kind) {
    case 'CreateSource':
    case 'CreateAsSelect':
      return `${stmt.sourceType.toLowerCase()}/${stmt.name}/create`;
    case 'InsertInto':
      return `stream/${stmt.target}/create`;
    case 'DropSource':
      return `${stmt.sourceType.toLowerCase()}/${stmt.name}/drop`;
    case 'Terminate':
      return `terminate/${stmt.queryId ?? 'ALL'}/execute`;
    case 'CreateType':
      return `type/${stmt.name.toUpperCase()}/create`;
    case 'DropType':
      return `type/${stmt.name.toUpperCase()}/drop`;
    default:
      return undefined;
  }
}

/** Statements ksqlDB executes on `/ksql` without returning an entity. */
export function returnsNoEntity(stmt: Statement): boolean {
  return stmt.kind === 'InsertValues' || stmt.kind === 'SetProperty' || stmt.kind === 'UnsetProperty' || stmt.kind === 'Define' || stmt.kind === 'Undefine';
}

function entity(type: string, statementText: string, body: Record<string, unknown>, warnings: readonly string[] = []): KsqlEntity {
  return { '@type': type, statementText, ...body, warnings: warnings.map((message) => ({ message })) };
}

/**
 * A statement as responses echo it (`statementText`, errors): as written
 * (trimmed, with its `;`), or masked where it may carry secrets (see
 * `maskedStatement`: a CREATE … CONNECTOR's property values).
 */
export function shownStatement(stmt: Statement, shown: string): string {
  const masked = maskedStatement(stmt);
  return masked === undefined ? shown : `${masked};`;
}

/** A connector or task state as ksqlDB's `ConnectorStateInfo` writes it: `trace` only when there is one. */
function connectorState(s: ConnectorState): Record<string, unknown> {
  return { state: s.state, worker_id: s.worker_id, ...(s.trace ? { trace: s.trace } : {}) };
}

function connectorStatus(s: ConnectorStatus): Record<string, unknown> {
  return {
    name: s.name,
    connector: connectorState(s.connector),
    tasks: s.tasks.map((t) => ({ id: t.id, ...connectorState(t) })),
    type: s.type,
  };
}

/** ksqlDB's `RunningQuery` JSON (SHOW QUERIES, DESCRIBE read/write queries). */
export function runningQuery(q: QueryInfo): Record<string, unknown> {
  return {
    queryString: q.statementText,
    sinks: q.sink !== undefined ? [q.sink] : [],
    sinkKafkaTopics: q.sinkTopic !== undefined ? [q.sinkTopic] : [],
    id: q.id,
    statusCount: { [q.state]: 1 },
    queryType: 'PERSISTENT',
    state: q.state,
  };
}

function sourceInfo(s: DataSource): Record<string, unknown> {
  return {
    type: s.sourceType,
    name: s.name,
    topic: s.topic,
    keyFormat: s.keyFormat.format,
    valueFormat: s.valueFormat.format,
    isWindowed: s.window !== undefined,
  };
}

/** ksqlDB's `SourceDescription` JSON. */
export async function sourceDescription(
  s: DataSource,
  extended: boolean,
  readQueries: readonly QueryInfo[],
  writeQueries: readonly QueryInfo[],
  ctx: EntityContext,
  stats: { readonly statistics?: string; readonly errorStats?: string } = {},
): Promise<Record<string, unknown>> {
  const columns = [...s.schema.key, ...s.schema.value].filter((c) => c.namespace !== 'PSEUDO');
  return {
    name: s.name,
    windowType: s.window?.type ?? null,
    readQueries: readQueries.map(runningQuery),
    writeQueries: writeQueries.map(runningQuery),
    fields: columns.map(fieldInfo),
    type: s.sourceType,
    timestamp: s.timestampColumn ?? '',
    statistics: stats.statistics ?? '',
    errorStats: stats.errorStats ?? '',
    statisticsMap: {},
    errorStatsMap: {},
    extended,
    keyFormat: s.keyFormat.format,
    valueFormat: s.valueFormat.format,
    topic: s.topic,
    partitions: extended ? ((await ctx.partitions(s.topic)) ?? 0) : 0,
    replication: extended ? 1 : 0,
    statement: s.sqlText,
    queryOffsetSummaries: [],
    sourceConstraints: [],
  };
}

/** Splits `NAME(A, B) => RET` (the registry's signature text) into ksqlDB's `FunctionInfo`. */
function functionInfo(signature: string, description: string): Record<string, unknown> {
  const m = /^[^(]*\((.*)\)(?:\s*=>\s*(.*))?$/.exec(signature);
  const args = m?.[1]?.trim() ? splitTopLevel(m[1]) : [];
  return {
    arguments: args.map((a, i) => ({ name: `arg${i + 1}`, type: a.replace(/\.\.\.$/, ''), description: '', isVariadic: a.endsWith('...') })),
    returnType: m?.[2]?.trim() ?? '',
    description,
    argumentTypes: args,
  };
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Maps one statement's result to ksqlDB's entity JSON. Returns undefined for
 * statements ksqlDB answers with no entity (INSERT VALUES, SET, DEFINE …).
 */
export async function toEntity(result: StatementResult, stmt: Statement | undefined, ctx: EntityContext): Promise<KsqlEntity | undefined> {
  const text = result.statementText;
  switch (result.kind) {
    case 'Message': {
      if (stmt && returnsNoEntity(stmt)) return undefined;
      return entity('currentStatus', text, {
        commandId: (stmt && commandId(stmt)) ?? `statement/${text.trim().split(/\s+/)[0]?.toUpperCase() ?? ''}/execute`,
        commandStatus: { status: 'SUCCESS', message: result.message, queryId: result.queryId ?? null },
        commandSequenceNumber: ctx.commandSequenceNumber,
      });
    }
    case 'Sources': {
      if (result.extended) {
        const descriptions = await Promise.all(
          result.sources.map((s) => {
            const d = result.details?.get(s.name);
            return sourceDescription(s, true, d?.readQueries ?? [], d?.writeQueries ?? [], ctx, d);
          }),
        );
        return entity('source_descriptions', text, { sourceDescriptions: descriptions });
      }
      const key = result.sourceType === 'STREAM' ? 'streams' : 'tables';
      return entity(key, text, { [key]: result.sources.map(sourceInfo) });
    }
    case 'Queries':
      if (result.extended) {
        return entity('query_descriptions', text, {
          queryDescriptions: result.queries.map((q) =>
            queryDescription(q.id, q.statementText, q.sources, q.sink !== undefined ? [q.sink] : [], '', q.state, q.topology, q.tasks),
          ),
        });
      }
      return entity('queries', text, { queries: result.queries.map(runningQuery) });
    case 'SourceDescription':
      return entity('sourceDescription', text, {
        sourceDescription: await sourceDescription(result.source, result.extended, result.readQueries, result.writeQueries, ctx, result),
      });
    case 'Topics':
      if (result.extended) {
        return entity('kafka_topics_extended', text, {
          topics: result.topics.map((t) => ({
            name: t.name,
            replicaInfo: Array.from({ length: t.partitions }, () => 1),
            consumerCount: 0,
            consumerGroupCount: 0,
          })),
        });
      }
      return entity('kafka_topics', text, { topics: result.topics.map((t) => ({ name: t.name, replicaInfo: Array.from({ length: t.partitions }, () => 1) })) });
    case 'Properties':
      return entity('properties', text, {
        properties: Object.entries(result.properties).map(([name, value]) => ({ name, scope: 'KSQL', value })),
        overwrittenProperties: result.overwritten,
        defaultProperties: result.defaults,
      });
    case 'Functions':
      return entity('function_names', text, {
        functions: result.functions.map((f) => ({ name: f.name.toUpperCase(), type: f.type.toUpperCase(), category: f.category })),
      });
    case 'FunctionDescription':
      return entity('describe_function', text, {
        name: result.name.toUpperCase(),
        description: result.description,
        author: 'Confluent',
        version: '',
        path: 'internal',
        functions: result.signatures.map((s) => functionInfo(s, result.description)),
        type: result.type.toUpperCase(),
      });
    case 'Types': {
      const types: Record<string, SchemaInfoJson> = {};
      for (const [name, t] of result.types) types[name] = schemaInfo(t);
      return entity('type_list', text, { types });
    }
    case 'Variables':
      return entity('variables', text, { variables: [...result.variables].map(([name, value]) => ({ name, value })) });
    case 'Explain':
      return entity('queryDescription', text, {
        queryDescription: queryDescription(
          result.queryId ?? '',
          result.queryText ?? text,
          result.sources ?? [],
          result.sinks ?? [],
          result.text,
          result.state,
          result.topology,
          result.tasks,
        ),
      });
    case 'AssertTopic':
      return entity('assert_topic', text, { topicName: result.topic, exists: result.exists });
    case 'AssertSchema':
      return entity('assert_schema', text, { subject: result.subject ?? null, id: result.id ?? null, exists: result.exists });
    case 'ConnectorInfo': {
      const i = result.info;
      return entity('connector_info', text, { info: { name: i.name, config: i.config, tasks: i.tasks, type: i.type } });
    }
    case 'ConnectorList':
      return entity(
        'connector_list',
        text,
        {
          connectors: result.connectors.map((c) => ({
            name: c.name,
            type: c.type,
            ...(c.className !== undefined ? { className: c.className } : {}),
            ...(c.state !== undefined ? { state: c.state } : {}),
          })),
        },
        result.warnings,
      );
    case 'ConnectorDescription': {
      const d = result.description;
      return entity('connector_description', text, {
        connectorClass: d.connectorClass,
        status: connectorStatus(d.status),
        sources: await Promise.all(result.sources.map((s) => sourceDescription(s, false, [], [], ctx))),
        topics: d.topics,
      });
    }
    case 'DropConnector':
      return entity('drop_connector', text, { connectorName: result.name });
    case 'ConnectorPlugins':
      return entity('connector_plugins_list', text, {
        connectorsPlugins: result.plugins.map((p) => ({ className: p.className, type: p.type, version: p.version })),
      });
    case 'Warning':
      return entity('warning_entity', text, { message: result.message });
    default:
      return undefined;
  }
}

/** ksqlDB's `QueryDescription` JSON (EXPLAIN, SHOW QUERIES EXTENDED). */
function queryDescription(
  id: string,
  statementText: string,
  sources: readonly string[],
  sinks: readonly string[],
  plan: string,
  state?: string,
  topology?: string,
  tasks?: readonly QueryTask[],
): Record<string, unknown> {
  return {
    id,
    statementText,
    windowType: null,
    fields: [],
    sources,
    sinks,
    topology: topology ?? '',
    executionPlan: plan,
    overriddenProperties: {},
    ksqlHostQueryStatus: {},
    queryType: id === '' ? 'TRANSIENT' : 'PERSISTENT',
    queryErrors: [],
    // ksqlDB's StreamsTaskMetadata; like ksqlDB, offsets are not filled in here (see /lag and /metrics).
    tasksMetadata: (tasks ?? []).map((t) => ({
      taskId: t.taskId,
      topicPartitions: t.topicPartitions,
      endOffsets: {},
      committedOffsets: {},
      timeCurrentIdlingStarted: null,
    })),
    state: state ?? null,
  };
}
