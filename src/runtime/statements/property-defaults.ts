/**
 * Every ksqlDB property Sluice knows, with what it does with it: honoured (with
 * its default), accepted with no effect, or refused with the reason. SET,
 * `streamsProperties`, ALTER SYSTEM and the server's configuration check names
 * against this one table; SHOW PROPERTIES lists its defaults; docs/properties.md
 * is this table written out for users.
 */
import { PlanError } from '../../common/errors.js';
import { DEFAULT_MAX_PARTITIONS } from '../log/memory-log.js';

/** What Sluice does with a ksqlDB property. */
export type PropertyStatus = 'honoured' | 'accepted' | 'refused';

/** One ksqlDB property in {@link KSQL_PROPERTIES}. */
export interface KsqlProperty {
  readonly status: PropertyStatus;
  /** The value used when unset: SHOW PROPERTIES lists it. */
  readonly default?: string;
  /** The values Sluice honours; any other value is refused (`note` says why). */
  readonly only?: readonly string[];
  /** Set in the server's configuration only: SET and `streamsProperties` get ksqlDB's "Cannot override property". */
  readonly serverOnly?: boolean;
  /** What it does, or why it has no effect or is refused. */
  readonly note: string;
}

const honoured = (def: string | undefined, note: string, more: Partial<KsqlProperty> = {}): KsqlProperty => ({
  status: 'honoured',
  ...(def === undefined ? {} : { default: def }),
  note,
  ...more,
});
const accepted = (note: string): KsqlProperty => ({ status: 'accepted', note });
const refused = (note: string, more: Partial<KsqlProperty> = {}): KsqlProperty => ({ status: 'refused', note, ...more });
/** A switch Sluice has in one position only: that value is honoured, the other refused. */
const fixed = (value: string, note: string): KsqlProperty => ({ status: 'honoured', default: value, only: [value], note });

/** ksqlDB's documented server and session properties (and those its tests set), by name. */
export const KSQL_PROPERTIES: ReadonlyMap<string, KsqlProperty> = new Map<string, KsqlProperty>([
  ['listeners', honoured(undefined, 'address and port of the REST API (--host/--port win)', { serverOnly: true })],
  ['ksql.advertised.listener', honoured(undefined, 'URL other servers of the service use to reach this one (read at start)')],
  ['ksql.internal.listener', refused('Sluice has one listener; set ksql.advertised.listener instead', { serverOnly: true })],
  ['bootstrap.servers', honoured(undefined, 'Kafka mode brokers (--bootstrap-servers wins)', { serverOnly: true })],
  ['ksql.streams.bootstrap.servers', honoured(undefined, 'as bootstrap.servers', { serverOnly: true })],
  ['ksql.service.id', honoured('default_', 'service id: command topic, consumer groups', { serverOnly: true })],
  ['ksql.extension.dir', honoured(undefined, 'directory of JavaScript user-defined functions (--ext-dir wins)', { serverOnly: true })],
  ['ksql.schema.registry.url', honoured(undefined, 'an external Schema Registry instead of the embedded one', { serverOnly: true })],
  ['ksql.query.persistent.active.limit', honoured(undefined, 'most persistent queries running at once (no limit when unset)', { serverOnly: true })],
  ['ksql.max.push.queries', honoured('100', 'most push queries running at once (read at start)')],
  ['ksql.query.pull.table.scan.enabled', honoured('true', 'false: pull queries must look up keys')],
  ['ksql.query.push.v2.enabled', honoured('false', 'scalable push queries')],
  ['ksql.query.push.v2.registry.installed', accepted('every persistent query can be tapped by scalable push queries')],
  ['ksql.new.query.planner.enabled', honoured('false', 'true: keyless projections in persistent queries')],
  ['ksql.persistence.default.format.key', honoured('KAFKA', 'KEY_FORMAT when a statement gives none')],
  ['ksql.persistence.default.format.value', honoured('', 'VALUE_FORMAT when a statement gives none')],
  ['ksql.persistence.wrap.single.values', honoured('', 'WRAP_SINGLE_VALUE when a statement gives none')],
  ['ksql.output.topic.name.prefix', honoured('', 'prefix of generated sink topic names')],
  ['ksql.assert.topic.default.timeout.ms', honoured('1000', 'ASSERT TOPIC timeout when none is given')],
  ['ksql.assert.schema.default.timeout.ms', honoured('1000', 'ASSERT SCHEMA timeout when none is given')],
  ['ksql.logging.processing.stream.name', honoured('KSQL_PROCESSING_LOG', 'name of the processing-log stream (read at start)')],
  ['ksql.logging.processing.topic.name', honoured('sluice_processing_log', 'topic of the processing-log stream (read at start)')],
  ['ksql.logging.processing.topic.auto.create', fixed('true', 'the processing-log topic is always created')],
  ['ksql.logging.processing.stream.auto.create', fixed('true', 'the processing-log stream is always created')],
  ['ksql.heartbeat.send.interval.ms', honoured('500', 'Kafka mode: heartbeat interval (read at start)')],
  ['ksql.heartbeat.window.ms', honoured('3000', 'Kafka mode: how long a silent server counts as alive (read at start)')],
  ['ksql.heartbeat.enable', fixed('true', 'Kafka mode servers always send heartbeats')],
  ['ksql.functions.collect_list.limit', honoured(undefined, 'most entries COLLECT_LIST keeps')],
  ['ksql.functions.collect_set.limit', honoured(undefined, 'most entries COLLECT_SET keeps')],
  ['ksql.functions.substring.legacy.args', fixed('false', 'only the current SUBSTRING arguments exist')],
  ['ksql.windowed.session.key.legacy', fixed('false', 'only the current session window key format exists')],
  ['ksql.fail.on.deserialization.error', fixed('false', 'a bad record goes to the processing log and processing goes on')],
  ['ksql.pull.queries.enable', fixed('true', 'pull queries cannot be switched off')],
  ['ksql.query.pull.interpreter.enabled', fixed('true', 'Sluice has one expression evaluator')],
  ['ksql.source.table.materialization.enabled', fixed('true', 'SOURCE tables are always materialized')],
  ['ksql.headers.columns.enabled', fixed('true', 'HEADER columns are always allowed')],
  ['ksql.variable.substitution.enable', fixed('true', 'DEFINE variables are always substituted')],
  ['ksql.create.or.replace.enabled', fixed('true', 'CREATE OR REPLACE is always available')],
  ['ksql.streams.auto.offset.reset', honoured('latest', "where new queries start reading ('earliest' or 'latest')")],
  ['ksql.streams.processing.guarantee', honoured('at_least_once', 'exactly_once_v2: Kafka mode writes a batch in one transaction')],
  ['ksql.streams.max.task.idle.ms', honoured('0', 'how long a join waits for its other input')],
  ['ksql.streams.commit.interval.ms', accepted('commonly sent by clients; Sluice commits (and flushes record caches) after every batch')],
  [
    'ksql.streams.cache.max.bytes.buffering',
    honoured('10000000', "bytes of each aggregation's record cache: updates to a key between commits (each batch) collapse to the latest; 0 = every update"),
  ],
  ['ksql.streams.num.stream.threads', accepted('common in server configs; Sluice runs queries on one event loop')],
  ['ksql.sink.partitions', accepted('removed from ksqlDB; PARTITIONS in WITH decides')],
  ['ksql.sink.replicas', accepted('removed from ksqlDB; REPLICAS in WITH decides')],
  ['ksql.streams.state.dir', refused('state lives in --data-dir', { serverOnly: true })],
  ['ksql.streams.num.standby.replicas', refused('Sluice keeps no standby replicas')],
  ['ksql.streams.producer.compression.type', refused('compression is not configurable')],
  ['compression.type', refused('compression is not configurable')],
  ['ksql.persistent.prefix', refused('Sluice names query consumer groups itself', { serverOnly: true })],
  ['ksql.internal.topic.replicas', refused('not configurable', { serverOnly: true })],
  [
    'ksql.connect.url',
    honoured(undefined, 'the Kafka Connect cluster connector statements go to (read at start); unset: connectors built into Sluice', {
      serverOnly: true,
    }),
  ],
  ['ksql.connect.worker.config', refused('Sluice has no Kafka Connect integration')],
  ['ksql.fail.on.production.error', refused('not configurable')],
  ['ksql.heartbeat.check.interval.ms', refused('not configurable; ksql.heartbeat.window.ms decides')],
  ['ksql.heartbeat.missed.threshold.ms', refused('not configurable; ksql.heartbeat.window.ms decides')],
  ['ksql.heartbeat.discover.interval.ms', refused('not configurable')],
  ['ksql.heartbeat.thread.pool.size', refused('Sluice has no thread pools')],
  ['ksql.lag.reporting.enable', refused('not configurable')],
  ['ksql.logging.processing.topic.partitions', refused('not configurable')],
  ['ksql.logging.processing.topic.replication.factor', refused('not configurable')],
  ['ksql.logging.processing.rows.include', refused('not configurable')],
  ['ksql.logging.server.rate.limited.response.codes', refused('not configurable; see --log-level')],
  ['ksql.logging.server.rate.limited.request.paths', refused('not configurable; see --log-level')],
  ['ksql.metrics.tags.custom', refused('not configurable; see /metrics')],
  ['ksql.properties.overrides.denylist', refused('not configurable')],
  ['ksql.queries.file', refused('headless mode is not supported')],
  ['ksql.query.pull.enable.standby.reads', refused('Sluice keeps no standby replicas')],
  ['ksql.query.pull.max.allowed.offset.lag', refused('pull queries do not check lag')],
  ['ksql.query.pull.max.qps', refused('pull queries are not rate limited')],
  ['ksql.query.pull.max.concurrent.requests', refused('pull queries are not rate limited')],
  ['ksql.idle.connection.timeout.seconds', refused('set sluice.server.idle.timeout.ms instead')],
  ['ksql.hidden.topics', refused('not configurable', { serverOnly: true })],
  ['ksql.readonly.topics', refused('topics cannot be made read-only', { serverOnly: true })],
  ['ksql.shared.runtime.enabled', refused('Sluice has no Kafka Streams runtimes to share', { serverOnly: true })],
]);

/** Sluice's own properties SHOW PROPERTIES lists with their default. */
const SLUICE_DEFAULTS: readonly (readonly [string, string])[] = [['sluice.embedded.max.partitions', String(DEFAULT_MAX_PARTITIONS)]];

/** Property name → the value the engine uses when it is not set ('' = none): what SHOW PROPERTIES lists unset. */
export const PROPERTY_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ...[...KSQL_PROPERTIES].filter(([, p]) => p.default !== undefined).map(([n, p]) => [n, p.default!] as const),
  ...SLUICE_DEFAULTS,
]);

/** Kafka Streams properties users may set without the `ksql.streams.` prefix. */
const STREAMS_PROPERTIES: ReadonlySet<string> = new Set([
  'auto.offset.reset',
  'processing.guarantee',
  'max.task.idle.ms',
  'cache.max.bytes.buffering',
  'commit.interval.ms',
  'num.stream.threads',
  'num.standby.replicas',
  'state.dir',
]);

/** The name SHOW PROPERTIES lists a property under: streams properties get their `ksql.streams.` prefix. */
export function listedName(name: string): string {
  return STREAMS_PROPERTIES.has(name) ? `ksql.streams.${name}` : name;
}

/** The table's entry for a name as users write it (streams properties with or without their prefix). */
export function ksqlProperty(name: string): KsqlProperty | undefined {
  return KSQL_PROPERTIES.get(name) ?? KSQL_PROPERTIES.get(listedName(name));
}

/**
 * Why a property cannot be used with this value (with any value, when none is
 * given), or undefined when it can.
 * Names outside ksqlDB's `ksql.` namespace (Kafka client and streams settings,
 * `sluice.*`) pass, as ksqlDB passes client settings through; an unknown
 * `ksql.` name is refused with ksqlDB's message.
 */
export function propertyProblem(name: string, value?: string): string | undefined {
  const p = ksqlProperty(name);
  if (p === undefined) {
    const known = !name.startsWith('ksql.') || name.startsWith('ksql.streams.');
    return known ? undefined : `Not recognizable as ksql, streams, consumer, or producer property: '${name}'`;
  }
  if (value === undefined) return p.status === 'refused' ? `Property '${name}' is not supported by Sluice: ${p.note}.` : undefined;
  if ((name === 'auto.offset.reset' || name === 'ksql.streams.auto.offset.reset') && value.toLowerCase() === 'none') {
    return "'none' is not valid for this property within KSQL";
  }
  if (p.status === 'refused') return `Property '${name}' is not supported by Sluice: ${p.note}.`;
  if (p.only !== undefined && !p.only.includes(value.toLowerCase())) {
    return `Property '${name}' can only be '${p.only.join("' or '")}' in Sluice: ${p.note}.`;
  }
  return undefined;
}

/**
 * Checks a property a client sets for its session or request (SET,
 * `streamsProperties`): as ksqlDB's LocalPropertyValidator, server-only ones
 * cannot be overridden; refused and unknown ones fail naming the property.
 */
export function checkSessionProperty(name: string, value: string): void {
  if (ksqlProperty(name)?.serverOnly) throw new PlanError(`Cannot override property '${name}'`);
  const problem = propertyProblem(name, value);
  if (problem !== undefined) throw new PlanError(problem);
}

/** {@link KSQL_PROPERTIES} as the markdown table docs/properties.md holds (a test keeps the two equal). */
export function propertiesMarkdownTable(): string {
  const status = (p: KsqlProperty): string => {
    if (p.status === 'accepted') return 'accepted, no effect';
    if (p.status === 'refused') return 'refused';
    const def = p.default === undefined || p.default === '' ? '' : ` (default \`${p.default}\`)`;
    return p.only !== undefined ? `honoured only as \`${p.only.join('`, `')}\`` : `honoured${def}`;
  };
  const rows = [...KSQL_PROPERTIES]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, p]) => `| \`${name}\` | ${status(p)}${p.serverOnly ? ', server config only' : ''} | ${p.note} |`);
  return ['| Property | Status | Note |', '| --- | --- | --- |', ...rows, ''].join('\n');
}
