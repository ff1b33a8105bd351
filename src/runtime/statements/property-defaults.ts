/**
 * The properties SHOW PROPERTIES lists even when nobody set them: every
 * ksqlDB property Sluice's engine reads, with the value it uses when unset.
 * Streams properties are named as ksqlDB lists them (`ksql.streams.` prefix).
 */
import { DEFAULT_MAX_PARTITIONS } from '../log/memory-log.js';

/** Property name → the value the engine uses when it is not set ('' = none). */
export const PROPERTY_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['ksql.streams.auto.offset.reset', 'latest'],
  ['ksql.streams.processing.guarantee', 'at_least_once'],
  ['ksql.streams.max.task.idle.ms', '0'],
  ['ksql.service.id', 'default_'],
  ['ksql.persistent.prefix', 'query_'],
  ['ksql.output.topic.name.prefix', ''],
  ['ksql.persistence.default.format.key', 'KAFKA'],
  ['ksql.persistence.default.format.value', ''],
  ['ksql.persistence.wrap.single.values', ''],
  ['ksql.new.query.planner.enabled', 'false'],
  ['ksql.max.push.queries', '100'],
  ['ksql.assert.topic.default.timeout.ms', '1000'],
  ['ksql.assert.schema.default.timeout.ms', '1000'],
  ['ksql.logging.processing.stream.name', 'KSQL_PROCESSING_LOG'],
  ['ksql.logging.processing.topic.name', 'sluice_processing_log'],
  ['ksql.heartbeat.send.interval.ms', '500'],
  ['ksql.heartbeat.window.ms', '3000'],
  ['sluice.embedded.max.partitions', String(DEFAULT_MAX_PARTITIONS)],
]);

/** Kafka Streams properties users may set without the `ksql.streams.` prefix. */
const STREAMS_PROPERTIES: ReadonlySet<string> = new Set([
  'auto.offset.reset',
  'processing.guarantee',
  'max.task.idle.ms',
  'cache.max.bytes.buffering',
  'commit.interval.ms',
  'num.stream.threads',
]);

/** The name SHOW PROPERTIES lists a property under: streams properties get their `ksql.streams.` prefix. */
export function listedName(name: string): string {
  return STREAMS_PROPERTIES.has(name) ? `ksql.streams.${name}` : name;
}
