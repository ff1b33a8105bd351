import type { SqlType } from '../../common/types.js';
import type { DataSource } from '../../planner/data-source.js';
import type { ConnectorDescription, ConnectorInfo, ConnectorPlugin, ConnectorSummary } from '../connectors/connector.js';
import type { TopicInfo } from '../log/log.js';

/** A query as SHOW QUERIES / DESCRIBE list it. */
export interface QueryInfo {
  readonly id: string;
  readonly statementText: string;
  readonly sink?: string;
  readonly sinkTopic?: string;
  readonly sources: readonly string[];
  readonly state: string;
  /** Its topology as Kafka Streams describes one (SHOW QUERIES EXTENDED). */
  readonly topology?: string;
  /** Its tasks, as ksqlDB's `tasksMetadata`: one per partition (`0_<p>`), with the input partitions it reads. */
  readonly tasks?: readonly QueryTask[];
}

/** What `DESCRIBE … EXTENDED` adds to a source: the queries reading and writing it, and its statistics. */
export interface SourceDetails {
  readonly readQueries: readonly QueryInfo[];
  readonly writeQueries: readonly QueryInfo[];
  readonly statistics: string;
  readonly errorStats: string;
}

/** One task of a query (ksqlDB's `StreamsTaskMetadata`). */
export interface QueryTask {
  readonly taskId: string;
  readonly topicPartitions: readonly { readonly topic: string; readonly partition: number }[];
}

/**
 * What executing one statement produced. The REST layer maps each kind to
 * ksqlDB's entity JSON; the test runner only needs errors.
 */
export type StatementResult =
  | { readonly kind: 'Message'; readonly statementText: string; readonly message: string; readonly queryId?: string }
  | {
      readonly kind: 'Sources';
      readonly statementText: string;
      readonly sourceType: 'STREAM' | 'TABLE';
      readonly sources: readonly DataSource[];
      readonly extended: boolean;
      /** EXTENDED: per source name, its queries and runtime statistics (as DESCRIBE … EXTENDED gives them). */
      readonly details?: ReadonlyMap<string, SourceDetails>;
    }
  | { readonly kind: 'Queries'; readonly statementText: string; readonly queries: readonly QueryInfo[]; readonly extended: boolean }
  | {
      readonly kind: 'Properties';
      readonly statementText: string;
      readonly properties: Readonly<Record<string, string>>;
      /** Names whose value this session (SET, the request's properties) overrides. */
      readonly overwritten: readonly string[];
      /** Names whose value is Sluice's default (not set by the server or the session). */
      readonly defaults: readonly string[];
    }
  | {
      readonly kind: 'SourceDescription';
      readonly statementText: string;
      readonly source: DataSource;
      readonly extended: boolean;
      readonly readQueries: readonly QueryInfo[];
      readonly writeQueries: readonly QueryInfo[];
      /** ksqlDB's runtime statistics text for the source's topic (EXTENDED; empty before any record). */
      readonly statistics?: string;
      /** ksqlDB's error statistics text (EXTENDED; empty before any failure). */
      readonly errorStats?: string;
    }
  | { readonly kind: 'Topics'; readonly statementText: string; readonly topics: readonly TopicInfo[]; readonly extended: boolean }
  | { readonly kind: 'Functions'; readonly statementText: string; readonly functions: readonly { name: string; type: string; category: string }[] }
  | {
      readonly kind: 'FunctionDescription';
      readonly statementText: string;
      readonly name: string;
      readonly type: string;
      readonly description: string;
      readonly signatures: readonly string[];
    }
  | { readonly kind: 'Types'; readonly statementText: string; readonly types: ReadonlyMap<string, SqlType> }
  | { readonly kind: 'Variables'; readonly statementText: string; readonly variables: ReadonlyMap<string, string> }
  | {
      readonly kind: 'Explain';
      readonly statementText: string;
      readonly queryId?: string;
      /** The execution plan text. */
      readonly text: string;
      /** The explained query's own statement (not the EXPLAIN). */
      readonly queryText?: string;
      readonly sources?: readonly string[];
      readonly sinks?: readonly string[];
      readonly topology?: string;
      readonly tasks?: readonly QueryTask[];
      readonly state?: string;
    }
  /** ASSERT [NOT EXISTS] TOPIC held: `exists` is what was asserted. */
  | { readonly kind: 'AssertTopic'; readonly statementText: string; readonly topic: string; readonly exists: boolean }
  /** ASSERT [NOT EXISTS] SCHEMA held. */
  | { readonly kind: 'AssertSchema'; readonly statementText: string; readonly subject?: string; readonly id?: number; readonly exists: boolean }
  /** CREATE … CONNECTOR: the connector as created. */
  | { readonly kind: 'ConnectorInfo'; readonly statementText: string; readonly info: ConnectorInfo }
  /** SHOW [SOURCE|SINK] CONNECTORS, with a warning per connector that could not be described. */
  | { readonly kind: 'ConnectorList'; readonly statementText: string; readonly connectors: readonly ConnectorSummary[]; readonly warnings: readonly string[] }
  /** DESCRIBE CONNECTOR, with the streams and tables over the connector's topics. */
  | {
      readonly kind: 'ConnectorDescription';
      readonly statementText: string;
      readonly description: ConnectorDescription;
      readonly sources: readonly DataSource[];
    }
  | { readonly kind: 'DropConnector'; readonly statementText: string; readonly name: string }
  | { readonly kind: 'ConnectorPlugins'; readonly statementText: string; readonly plugins: readonly ConnectorPlugin[] }
  /** Nothing done, and why (ksqlDB's `warning_entity`: CREATE … IF NOT EXISTS found one, DROP … IF EXISTS found none). */
  | { readonly kind: 'Warning'; readonly statementText: string; readonly message: string };
