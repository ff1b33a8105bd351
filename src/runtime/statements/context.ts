/**
 * What statement handlers may use: the port the engine implements for them.
 * Handlers never see the engine itself, so what a statement can do is stated here.
 */
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { Statement } from '../../parser/ast/index.js';
import type { Catalog } from '../../planner/catalog.js';
import type { DataSource } from '../../planner/data-source.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import type { ClusteredQuery } from '../cluster/cluster.js';
import type { ConnectorService } from '../connectors/connector.js';
import type { Log } from '../log/log.js';
import type { MaterializedTable } from '../operators/materialized-table.js';
import type { PartitionTasks } from '../query/partition-tasks.js';
import type { Durability, RunningQuery } from '../query/running-query.js';
import type { TopologyContext } from '../query/topology.js';
import type { KeyValueStore } from '../state/store.js';
import type { StatementResult } from './statement-result.js';

/** The persistent queries of an engine, as statements start, list and stop them. */
export interface QueryRegistry {
  get(id: string): RunningQuery | undefined;
  /** Every running persistent query, in start order. */
  values(): IterableIterator<RunningQuery>;
  /** Registers a started query; an engine that runs its queries itself runs it soon. */
  add(q: RunningQuery): void;
  /** Stops a persistent query (TERMINATE, DROP, CREATE OR REPLACE): it runs no more here. */
  remove(id: string): void;
  /** A fresh query id: `<prefix>_<SINK>_<n>`, or `<prefix>_<n>` without a sink. */
  nextId(prefix: string, sink?: string): string;
}

/** Where queries keep their state. */
export interface StoreProvider {
  /** Store `name` of query `queryId`; the same name gives the same data. */
  open(queryId: string, name: string): KeyValueStore<unknown>;
  /** Durable stores: the query's checkpoint store and the flush writing all state at once; undefined in memory. */
  durability(queryId: string): Durability | undefined;
}

/** How many tasks a new persistent query runs as, and its repartition topic if it needs one. */
export interface TaskLayout {
  readonly taskCount: number;
  readonly repartition?: TopologyContext['repartition'];
}

/**
 * The part of the engine's execution backend a persistent query is started
 * with: embedded (every partition runs here, as one task) or Kafka mode (a
 * task per partition, shared with the service's other servers).
 */
export interface QueryBackend {
  readonly stores: StoreProvider;
  /** Whether queries keep stream time per partition (Kafka mode: a partition's task may move between servers). */
  readonly partitionedTime: boolean;
  /**
   * The tasks of a new query: one over every partition (embedded), or one per
   * partition of its widest source (Kafka mode), creating the repartition topic
   * when its aggregation groups by other columns than the source key.
   */
  layout(queryId: string, physical: PhysicalPlan, sources: readonly DataSource[]): Promise<TaskLayout>;
  /** Kafka mode: the query's tasks, shared with the other servers; undefined when every partition runs here. */
  tasksFor(q: ClusteredQuery): Promise<PartitionTasks | undefined>;
}

/** What statement handlers get from the engine executing them. */
export interface StatementContext {
  readonly catalog: Catalog;
  readonly log: Log;
  readonly registry: SchemaRegistry;
  /** Session properties, with the request's overrides while it runs (SET/UNSET change them). */
  readonly properties: Map<string, string>;
  /** The server's own properties: its configuration and ALTER SYSTEM's, without session overrides. */
  readonly serverProperties: ReadonlyMap<string, string>;
  /** Session variables (DEFINE/UNDEFINE change them). */
  readonly variables: Map<string, string>;
  /** Materialized views of tables written by persistent queries, by table name. */
  readonly views: Map<string, MaterializedTable>;
  readonly logger: ProcessingLogger;
  readonly queries: QueryRegistry;
  readonly backend: QueryBackend;
  /** Where connector statements go: a Kafka Connect cluster or the built-in connectors. */
  readonly connectors: ConnectorService;
  /** Create a source's missing topic (1 partition) instead of rejecting the statement (the test runner). */
  readonly autoCreateTopics: boolean;
  /** Every query writes every record to partition 0 of its sink (the test runner; see `EngineOptions`). */
  readonly sinkToPartitionZero: boolean;
  /** Whether the statement being executed is a recorded one replayed, not a client's request. */
  replaying(): boolean;
  /** Adds a property to the command record of the statement being executed, which its replays see. */
  recordWithCommand(name: string, value: string): void;
  /**
   * ALTER SYSTEM: sets a server-wide property that outlives the request (a
   * request's SET does not), for every later statement and query.
   */
  setSystemProperty(name: string, value: string): void;
  /** Asks for the queries to be stepped again soon. */
  wake(): void;
}

/** One statement kind's handler, and whether accepted statements of the kind go to the command log. */
export interface Handler<K extends Statement['kind']> {
  /** Recorded in the command log and replayed on start. */
  readonly logged: boolean | ((ctx: StatementContext) => boolean);
  run(ctx: StatementContext, s: Extract<Statement, { kind: K }>): StatementResult | Promise<StatementResult>;
}
