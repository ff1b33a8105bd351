/**
 * Statements that inspect sources, functions and queries or stop queries:
 * SHOW, DESCRIBE, EXPLAIN, TERMINATE.
 */
import { redactProperties } from '../../common/secrets.js';
import { windowInfo } from '../../planner/sink-window.js';
import { assertNever } from '../../common/assert.js';
import { PlanError } from '../../common/errors.js';
import { listFunctions } from '../../functions/registry.js';
import type { Describe, DescribeFunction, Statement } from '../../parser/ast/index.js';
import type { DataSource } from '../../planner/data-source.js';
import { explainQuery } from '../../planner/explain.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import { toPhysical } from '../../planner/physical-plan.js';
import { planQuery } from '../../planner/query-planner.js';
import { formatStats, type NamedStat, type RateCounter } from '../query/query-stats.js';
import type { RunningQuery } from '../query/running-query.js';
import { describeTopology } from '../query/topology-description.js';
import type { QueryInfo, QueryTask, SourceDetails, StatementResult } from './statement-result.js';
import type { StatementContext } from './context.js';
import { listedName, PROPERTY_DEFAULTS } from './property-defaults.js';

/** DESCRIBE: a source with the queries reading and writing it. */
export function describe(e: StatementContext, s: Describe): StatementResult {
  const source = e.catalog.getSource(s.name);
  if (!source) throw new PlanError(`Source ${s.name} does not exist.`, s.pos);
  return {
    kind: 'SourceDescription',
    statementText: s.text,
    source,
    extended: s.extended,
    readQueries: queriesReading(e, source.name),
    writeQueries: queriesWriting(e, source.name),
    ...(s.extended ? sourceStatistics(e, source) : {}),
  };
}

/**
 * The runtime statistics of a source's topic as ksqlDB's `DESCRIBE … EXTENDED`
 * shows them: what the queries writing it produced (`messages-per-sec`,
 * `total-messages`), then what the queries reading it consumed
 * (`consumer-messages-per-sec`, `consumer-total-messages`), with the time of
 * the last message; and what those readers failed to process
 * (`consumer-failed-messages`, `consumer-failed-messages-per-sec`, `last-failed`).
 * A figure appears once something was counted, as ksqlDB's sensors do.
 */
function sourceStatistics(e: StatementContext, source: DataSource): { statistics: string; errorStats: string } {
  const now = Date.now();
  const writers = [...e.queries.values()].filter((q) => q.sink?.topic === source.topic);
  const readers = [...e.queries.values()].filter((q) => q.sources.some((x) => x.topic === source.topic));
  const stats: NamedStat[] = [];
  const sum = (qs: readonly RunningQuery[], pick: (q: RunningQuery) => RateCounter): { rate: number; total: number; last: number } => {
    let rate = 0;
    let total = 0;
    let last = 0;
    for (const q of qs) {
      const c = pick(q);
      rate += c.rate(now);
      total += c.total;
      last = Math.max(last, c.last);
    }
    return { rate, total, last };
  };
  const out = sum(writers, (q) => q.stats.recordsOut);
  if (out.total > 0) stats.push({ name: 'messages-per-sec', value: out.rate, last: out.last }, { name: 'total-messages', value: out.total, last: out.last });
  const inn = sum(readers, (q) => q.stats.recordsIn);
  if (inn.total > 0) {
    stats.push({ name: 'consumer-messages-per-sec', value: inn.rate, last: inn.last }, { name: 'consumer-total-messages', value: inn.total, last: inn.last });
  }
  const failed = sum(readers, (q) => q.stats.errors);
  const errors: NamedStat[] =
    failed.total > 0
      ? [
          { name: 'consumer-failed-messages', value: failed.total, last: failed.last },
          { name: 'consumer-failed-messages-per-sec', value: failed.rate, last: failed.last },
        ]
      : [];
  return { statistics: formatStats(stats, 'last-message'), errorStats: formatStats(errors, 'last-failed') };
}

/** DESCRIBE FUNCTION. */
export function describeFunction(s: DescribeFunction): StatementResult {
  const info = listFunctions().find((f) => f.name.toUpperCase() === s.name.toUpperCase());
  if (!info) throw new PlanError(`Can't find any functions with the name '${s.name}'`, s.pos);
  return { kind: 'FunctionDescription', statementText: s.text, name: info.name, type: info.type, description: info.description, signatures: info.signatures };
}

export function queriesReading(e: StatementContext, name: string): QueryInfo[] {
  return [...e.queries.values()].filter((q) => q.sources.some((x) => x.name === name)).map(queryInfo);
}

export function queriesWriting(e: StatementContext, name: string): QueryInfo[] {
  return [...e.queries.values()].filter((q) => q.sink?.name === name).map(queryInfo);
}

export function terminate(e: StatementContext, s: Extract<Statement, { kind: 'Terminate' }>): StatementResult {
  if (s.queryId === undefined) {
    for (const q of [...e.queries.values()]) e.queries.remove(q.id);
    return { kind: 'Message', statementText: s.text, message: 'All queries terminated.' };
  }
  const id = s.queryId.toUpperCase();
  const q = e.queries.get(id) ?? e.queries.get(s.queryId);
  if (!q) throw new PlanError(`Unknown queryId: ${s.queryId}`, s.pos);
  e.queries.remove(q.id);
  return { kind: 'Message', statementText: s.text, message: 'Query terminated.' };
}

export async function show(e: StatementContext, s: Extract<Statement, { kind: 'Show' }>): Promise<StatementResult> {
  switch (s.what) {
    case 'STREAMS':
    case 'TABLES': {
      const type = s.what === 'STREAMS' ? 'STREAM' : 'TABLE';
      const sources = e.catalog.allSources().filter((x) => x.sourceType === type);
      const details = s.extended
        ? new Map<string, SourceDetails>(
            sources.map((x) => [x.name, { readQueries: queriesReading(e, x.name), writeQueries: queriesWriting(e, x.name), ...sourceStatistics(e, x) }]),
          )
        : undefined;
      return { kind: 'Sources', statementText: s.text, sourceType: type, sources, extended: s.extended, ...(details ? { details } : {}) };
    }
    case 'QUERIES':
      return { kind: 'Queries', statementText: s.text, queries: [...e.queries.values()].map(queryInfo), extended: s.extended };
    case 'TOPICS':
      // As ksql.hidden.topics: internal topics (names starting with `_`) only with SHOW ALL TOPICS.
      return {
        kind: 'Topics',
        statementText: s.text,
        topics: (await e.log.listTopics()).filter((t) => s.all || !t.name.startsWith('_')),
        extended: s.extended,
      };
    case 'PROPERTIES':
      return listProperties(e, s.text);
    case 'FUNCTIONS':
      return { kind: 'Functions', statementText: s.text, functions: listFunctions().map((f) => ({ name: f.name, type: f.type, category: f.category })) };
    case 'TYPES':
      return { kind: 'Types', statementText: s.text, types: e.catalog.types };
    case 'VARIABLES':
      return { kind: 'Variables', statementText: s.text, variables: new Map(e.variables) };
    default:
      return assertNever(s.what, 'SHOW target');
  }
}

/**
 * SHOW PROPERTIES, as ksqlDB's ListPropertiesExecutor: every effective property
 * (the defaults, the server's configuration, then this session's overrides),
 * the names whose value this session overrides, and those still at their default.
 * Secret values (passwords, JAAS configs, tokens) are shown as [hidden], as ksqlDB does.
 */
function listProperties(e: StatementContext, statementText: string): StatementResult {
  const server = new Map<string, string>(PROPERTY_DEFAULTS);
  for (const [k, v] of e.serverProperties) server.set(listedName(k), v);
  const effective = new Map(server);
  for (const [k, v] of e.properties) effective.set(listedName(k), v);
  const names = [...effective.keys()].sort();
  return {
    kind: 'Properties',
    statementText,
    properties: redactProperties(Object.fromEntries(names.map((n) => [n, effective.get(n)!]))),
    overwritten: names.filter((n) => server.get(n) !== effective.get(n)),
    defaults: names.filter((n) => PROPERTY_DEFAULTS.get(n) === effective.get(n)),
  };
}

export function explain(e: StatementContext, s: Extract<Statement, { kind: 'Explain' }>): StatementResult {
  if (s.queryId !== undefined) {
    const q = e.queries.get(s.queryId.toUpperCase()) ?? e.queries.get(s.queryId);
    if (!q) throw new PlanError(`Query with id:${s.queryId} does not exist, use SHOW QUERIES to view the full set of running queries.`, s.pos);
    const info = queryInfo(q);
    return {
      kind: 'Explain',
      statementText: s.text,
      queryId: q.id,
      text: explainQuery(q.logical, q.physical),
      queryText: q.statementText,
      sources: info.sources,
      sinks: info.sink === undefined ? [] : [info.sink],
      topology: info.topology,
      ...(info.tasks ? { tasks: info.tasks } : {}),
      state: q.state,
    };
  }
  const inner = s.statement;
  if (!inner || (inner.kind !== 'CreateAsSelect' && inner.kind !== 'InsertInto' && inner.kind !== 'QueryStatement')) {
    throw new PlanError('EXPLAIN only supports queries: CREATE … AS SELECT, INSERT INTO … SELECT, and SELECT.', s.pos);
  }
  const name = inner.kind === 'CreateAsSelect' ? inner.name : inner.kind === 'InsertInto' ? inner.target : undefined;
  const planned = planQuery(inner.query, { catalog: e.catalog, sinkName: name, persistent: inner.kind !== 'QueryStatement' });
  const target = inner.kind === 'InsertInto' ? e.catalog.getSource(inner.target) : undefined;
  const sink: DataSource | undefined =
    inner.kind === 'CreateAsSelect'
      ? {
          ...planned.sources[0]!,
          name: inner.name,
          sourceType: inner.sourceType,
          schema: planned.output,
          topic: inner.name,
          sqlText: inner.text,
          window: windowInfo(planned),
          isSource: false,
          timestampColumn: undefined,
        }
      : target;
  const logical: LogicalPlan = sink ? { kind: 'Sink', input: planned.plan, target: sink, schema: planned.plan.schema } : planned.plan;
  const physical = toPhysical(logical);
  return {
    kind: 'Explain',
    statementText: s.text,
    text: explainQuery(logical, physical),
    queryText: inner.text,
    sources: planned.sources.map((x) => x.name),
    sinks: sink ? [sink.name] : [],
    topology: describeTopology(physical),
  };
}

export function queryInfo(q: RunningQuery): QueryInfo {
  const repartition = q.repartitioned ? q.inputTopic(q.sources.length) : undefined;
  return {
    id: q.id,
    statementText: q.statementText,
    sink: q.sink?.name,
    sinkTopic: q.sink?.topic,
    sources: q.sources.map((x) => x.name),
    state: q.state,
    topology: describeTopology(q.physical, repartition === undefined ? {} : { repartitionTopic: repartition }),
    tasks: queryTasks(q),
  };
}

/** A query's tasks: task `0_<p>` reads partition `p` of every source that has it (ksqlDB's ids for sub-topology 0). */
function queryTasks(q: RunningQuery): QueryTask[] {
  const tasks: QueryTask[] = [];
  for (let p = 0; p < q.taskCount; p++) {
    const topicPartitions: { topic: string; partition: number }[] = [];
    for (let i = 0; i < q.sources.length; i++) if (q.position(i, p) !== undefined) topicPartitions.push({ topic: q.inputTopic(i), partition: p });
    tasks.push({ taskId: `0_${p}`, topicPartitions });
  }
  return tasks;
}
