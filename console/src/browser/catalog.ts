import type { KsqlApi, KsqlEntity } from '../api.js';

/** A stream or table as SHOW STREAMS / SHOW TABLES list it. */
export interface SourceSummary {
  readonly name: string;
  readonly type: 'STREAM' | 'TABLE';
  readonly topic: string;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly isWindowed: boolean;
}

/** A topic as SHOW TOPICS lists it (`replicaInfo` has one entry per partition). */
export interface TopicSummary {
  readonly name: string;
  readonly replicaInfo: readonly number[];
}

/** A query as SHOW QUERIES lists it. */
export interface QuerySummary {
  readonly id: string;
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly state: string;
  readonly queryType: string;
}

/**
 * What the server has, as one refresh saw it. Each list is in display order:
 * the user's own things by name, then the system's (the processing log,
 * internal topics), which {@link isSystemSource} / {@link isSystemTopic} mark.
 */
export interface CatalogSnapshot {
  readonly streams: readonly SourceSummary[];
  readonly tables: readonly SourceSummary[];
  readonly topics: readonly TopicSummary[];
  readonly queries: readonly QuerySummary[];
  /** The processing log's topic (from its stream), when the server has one. */
  readonly processingLogTopic: string | undefined;
}

/** The processing log stream's name (ksqlDB's, which Sluice keeps). */
export const PROCESSING_LOG_STREAM = 'KSQL_PROCESSING_LOG';

/** Is this a source the system made (the processing log) rather than the user? */
export function isSystemSource(name: string): boolean {
  return name === PROCESSING_LOG_STREAM;
}

/** Is this topic the system's: the processing log's, or internal (`_…`, changelog and repartition topics)? */
export function isSystemTopic(name: string, processingLogTopic: string | undefined): boolean {
  return name === processingLogTopic || name.startsWith('_') || /-(changelog|repartition)$/.test(name);
}

/** Sorts user items by name first, system items (by `system`) last. */
function ordered<T extends { readonly name: string }>(items: readonly T[], system: (item: T) => boolean): T[] {
  return [...items].sort((a, b) => Number(system(a)) - Number(system(b)) || a.name.localeCompare(b.name));
}

/** The list property `key` of the entity of type `type` among `entities` (empty when absent). */
function listIn<T>(entities: readonly KsqlEntity[], type: string, key: string): T[] {
  const e = entities.find((x) => x['@type'] === type);
  const v = e?.[key];
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Asks the server for its streams, tables, topics and queries in one request. */
export async function loadCatalog(api: KsqlApi): Promise<CatalogSnapshot> {
  const entities = await api.ksql('SHOW STREAMS; SHOW TABLES; SHOW TOPICS; SHOW QUERIES;');
  const streams = listIn<SourceSummary>(entities, 'streams', 'streams');
  const processingLogTopic = streams.find((s) => isSystemSource(s.name))?.topic;
  return {
    streams: ordered(streams, (s) => isSystemSource(s.name)),
    tables: ordered(listIn<SourceSummary>(entities, 'tables', 'tables'), (s) => isSystemSource(s.name)),
    topics: ordered(listIn<TopicSummary>(entities, 'kafka_topics', 'topics'), (t) => isSystemTopic(t.name, processingLogTopic)),
    queries: [...listIn<QuerySummary>(entities, 'queries', 'queries')].sort(
      (a, b) => Number(a.queryType === 'PUSH') - Number(b.queryType === 'PUSH') || a.id.localeCompare(b.id),
    ),
    processingLogTopic,
  };
}
