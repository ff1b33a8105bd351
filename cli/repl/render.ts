/**
 * Renders `/ksql` entities as the ksql CLI shows them in TABULAR output:
 * a Message table for commands, listings for SHOW/LIST, the DESCRIBE
 * (sources, connectors) and EXPLAIN reports. Unknown entities fall back to pretty JSON.
 */
import type { Entity } from './client.js';
import { cellText, labelled, listing } from './table.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : cellText(v));
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** A field schema (`{type, fields, memberSchema}`) as ksql prints it: `VARCHAR(STRING)`, `ARRAY<INTEGER>`, `STRUCT<A INTEGER>`. */
export function schemaText(schema: unknown): string {
  const s = (schema ?? {}) as Json;
  const type = str(s['type']);
  switch (type) {
    case 'STRING':
      return 'VARCHAR(STRING)';
    case 'ARRAY':
      return `ARRAY<${schemaText(s['memberSchema'])}>`;
    case 'MAP':
      return `MAP<STRING, ${schemaText(s['memberSchema'])}>`;
    case 'STRUCT':
      return `STRUCT<${arr(s['fields'])
        .map((f) => `${str(f['name'])} ${schemaText(f['schema'])}`)
        .join(', ')}>`;
    default:
      return type;
  }
}

function fieldsTable(fields: readonly Json[], width?: number): string {
  const rows = fields.map((f) => {
    const t = f['type'] === 'KEY' ? '  (key)' : f['type'] === 'HEADER' ? '  (header)' : '';
    return [str(f['name']), schemaText(f['schema']) + t];
  });
  return listing(['Field', 'Type'], rows, width);
}

function queryLines(title: string, queries: readonly Json[]): string {
  const body = queries.map((q) => `${str(q['id'])} (${str(q['state'])}) : ${str(q['queryString']).replace(/\s+/g, ' ')};`);
  return [title, '-'.repeat(title.length), ...body].join('\n');
}

function describeSource(d: Json, width?: number): string {
  const extended = d['extended'] === true;
  const head: [string, string][] = [['Name', str(d['name'])]];
  if (extended) {
    head.push(['Type', str(d['type'])]);
    head.push(['Timestamp field', str(d['timestamp']) || 'Not set - using <ROWTIME>']);
    head.push(['Key format', str(d['keyFormat'])]);
    head.push(['Value format', str(d['valueFormat'])]);
    head.push(['Kafka topic', `${str(d['topic'])} (partitions: ${str(d['partitions'])}, replication: ${str(d['replication'])})`]);
    if (d['windowType']) head.push(['Window type', str(d['windowType'])]);
    head.push(['Statement', str(d['statement'])]);
  }
  const parts = extended ? [labelled(head), '', fieldsTable(arr(d['fields']), width)] : [labelled(head), fieldsTable(arr(d['fields']), width)];
  if (!extended) {
    parts.push('For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;');
    return parts.join('\n');
  }
  const type = str(d['type']);
  parts.push('');
  parts.push(queryLines(`Queries that read from this ${type}`, arr(d['readQueries'])));
  parts.push('');
  parts.push(queryLines(`Queries that write from this ${type}`, arr(d['writeQueries'])));
  parts.push('');
  parts.push('For query topology and execution plan please run: EXPLAIN <QueryId>');
  return parts.join('\n');
}

function explain(d: Json, width?: number): string {
  const parts: string[] = [];
  const head: [string, string][] = [];
  if (str(d['id'])) head.push(['ID', str(d['id'])]);
  head.push(['Query Type', str(d['queryType'])]);
  head.push(['SQL', str(d['statementText'])]);
  if (d['state']) head.push(['State', str(d['state'])]);
  parts.push(labelled(head));
  const fields = arr(d['fields']);
  if (fields.length > 0) parts.push('', fieldsTable(fields, width));
  const sources = arr(d['sources']) as unknown as string[];
  const sinks = arr(d['sinks']) as unknown as string[];
  if (sources.length > 0) parts.push('', 'Sources that this query reads from: ', '-----------------------------------', ...sources);
  if (sinks.length > 0) parts.push('', 'Sinks that this query writes to: ', '-----------------------------------', ...sinks);
  const plan = str(d['executionPlan']);
  if (plan) parts.push('', 'Execution plan', '--------------', plan);
  return parts.join('\n');
}

function describeFunction(e: Json): string {
  const head: [string, string][] = [
    ['Name', str(e['name'])],
    ['Author', str(e['author'])],
    ['Overview', str(e['description'])],
    ['Type', str(e['type'])],
    ['Variations', ''],
  ];
  const variations = arr(e['functions']).map((f) => {
    const args = arr(f['arguments'])
      .map((a) => `${str(a['name'])} ${str(a['type'])}${a['isVariadic'] ? '...' : ''}`)
      .join(', ');
    const lines: [string, string][] = [[`\tVariation`, `${str(e['name'])}(${args})`]];
    if (str(f['returnType'])) lines.push([`\tReturns`, str(f['returnType'])]);
    if (str(f['description']) && f['description'] !== e['description']) lines.push([`\tDescription`, str(f['description'])]);
    return labelled(lines);
  });
  return [labelled(head), ...variations].join('\n\n');
}

/** DESCRIBE CONNECTOR as ksql's Console prints it: the status lines, then tasks, sources and topics tables. */
function describeConnector(e: Json, width?: number): string {
  const status = (e['status'] ?? {}) as Json;
  const connector = (status['connector'] ?? {}) as Json;
  const head: [string, string][] = [
    ['Name', str(status['name'])],
    ['Class', str(e['connectorClass'])],
    ['Type', str(status['type'])],
    ['State', str(connector['state'])],
    ['WorkerId', str(connector['worker_id'])],
  ];
  if (str(connector['trace'])) head.push(['Trace', str(connector['trace'])]);
  const parts = [labelled(head)];
  const tasks = arr(status['tasks']);
  if (tasks.length > 0) {
    const rows = tasks.map((t) => [str(t['id']), str(t['state']), str(t['trace'])]);
    parts.push('', listing(['Task ID', 'State', 'Error Trace'], rows, width));
  }
  const sources = arr(e['sources']);
  if (sources.length > 0) {
    const rows = sources.map((s) => [str(s['name']), str(s['topic']), str(s['type'])]);
    parts.push('', listing(['KSQL Source Name', 'Kafka Topic', 'Type'], rows, width));
  }
  const topics = arr(e['topics']) as unknown as string[];
  if (topics.length > 0) {
    parts.push(
      '',
      listing(
        ['Related Topics'],
        topics.map((t) => [str(t)]),
        width,
      ),
    );
  }
  return parts.join('\n');
}

/** Renders one entity for TABULAR output. `width` is the terminal width (undefined: no fitting). */
export function renderEntity(e: Entity, width?: number): string {
  switch (e['@type']) {
    case 'currentStatus': {
      const status = (e['commandStatus'] ?? {}) as Json;
      return listing(['Message'], [[str(status['message'])]], width);
    }
    case 'streams':
      return listing(
        ['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        arr(e['streams']).map((s) => [str(s['name']), str(s['topic']), str(s['keyFormat']), str(s['valueFormat']), str(s['isWindowed'])]),
        width,
      );
    case 'tables':
      return listing(
        ['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        arr(e['tables']).map((s) => [str(s['name']), str(s['topic']), str(s['keyFormat']), str(s['valueFormat']), str(s['isWindowed'])]),
        width,
      );
    case 'queries':
      return `${listing(
        ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
        arr(e['queries']).map((q) => [
          str(q['id']),
          str(q['queryType']),
          Object.entries((q['statusCount'] ?? {}) as Json)
            .map(([k, v]) => `${k}:${str(v)}`)
            .join(' '),
          arr(q['sinks']).join(', '),
          arr(q['sinkKafkaTopics']).join(', '),
          `${str(q['queryString']).replace(/\s+/g, ' ')};`,
        ]),
        width,
      )}\nFor detailed information on a Query run: EXPLAIN <Query ID>;`;
    case 'kafka_topics':
      return listing(
        ['Kafka Topic', 'Partitions', 'Partition Replicas'],
        arr(e['topics']).map((t) => [str(t['name']), String(arr(t['replicaInfo']).length), arr(t['replicaInfo']).join(' ')]),
        width,
      );
    case 'kafka_topics_extended':
      return listing(
        ['Kafka Topic', 'Partitions', 'Partition Replicas', 'Consumers', 'ConsumerGroups'],
        arr(e['topics']).map((t) => [
          str(t['name']),
          String(arr(t['replicaInfo']).length),
          arr(t['replicaInfo']).join(' '),
          str(t['consumerCount']),
          str(t['consumerGroupCount']),
        ]),
        width,
      );
    case 'properties': {
      const overwritten = new Set(arr(e['overwrittenProperties']) as unknown as string[]);
      return listing(
        ['Property', 'Scope', 'Effective Value'],
        arr(e['properties']).map((p) => [`'${str(p['name'])}'`, str(p['scope']), str(p['value']) + (overwritten.has(str(p['name'])) ? ' (session)' : '')]),
        width,
      );
    }
    case 'function_names':
      return `${listing(
        ['Function Name', 'Category'],
        arr(e['functions']).map((f) => [str(f['name']), str(f['category'])]),
        width,
      )}\nFor detailed information on a function run: DESCRIBE FUNCTION <Function Name>;`;
    case 'describe_function':
      return describeFunction(e);
    case 'type_list':
      return listing(
        ['Type Name', 'Schema'],
        Object.entries((e['types'] ?? {}) as Json).map(([name, s]) => [name, schemaText(s)]),
        width,
      );
    case 'variables':
      return listing(
        ['Variable Name', 'Value'],
        arr(e['variables']).map((v) => [str(v['name']), str(v['value'])]),
        width,
      );
    case 'sourceDescription':
      return describeSource((e['sourceDescription'] ?? {}) as Json, width);
    case 'source_descriptions':
      return arr(e['sourceDescriptions'])
        .map((d) => describeSource(d, width))
        .join('\n\n');
    case 'queryDescription':
      return explain((e['queryDescription'] ?? {}) as Json, width);
    case 'query_descriptions':
      return arr(e['queryDescriptions'])
        .map((d) => explain(d, width))
        .join('\n\n');
    case 'connector_info':
      return listing(['Message'], [[`Created connector ${str(((e['info'] ?? {}) as Json)['name'])}`]], width);
    case 'drop_connector':
      return listing(['Message'], [[`Dropped connector "${str(e['connectorName'])}"`]], width);
    case 'warning_entity':
      return listing(['Message'], [[str(e['message'])]], width);
    case 'connector_list':
      return listing(
        ['Connector Name', 'Type', 'Class', 'Status'],
        arr(e['connectors']).map((c) => [str(c['name']), (str(c['type']) || 'unknown').toUpperCase(), str(c['className']), str(c['state'])]),
        width,
      );
    case 'connector_plugins_list':
      return listing(
        ['Class', 'Type', 'Version'],
        arr(e['connectorsPlugins']).map((p) => [str(p['className']), (str(p['type']) || 'unknown').toUpperCase(), str(p['version'])]),
        width,
      );
    case 'connector_description':
      return describeConnector(e, width);
    default:
      return JSON.stringify(e, null, 2);
  }
}

/** Warnings attached to an entity, one `WARNING: …` line each. */
export function entityWarnings(e: Entity): string[] {
  return arr(e['warnings']).map((w) => `WARNING: ${str(w['message'])}`);
}
