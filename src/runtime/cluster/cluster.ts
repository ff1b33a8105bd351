import type { PhysicalPlan } from '../../planner/physical-plan.js';
import type { KeyValueStore } from '../state/store.js';
import type { PartitionTasks } from '../query/partition-tasks.js';
import type { Membership } from './membership.js';

/** What a Kafka-mode query gives {@link Cluster.tasksFor}. */
export interface ClusteredQuery {
  readonly queryId: string;
  readonly physical: PhysicalPlan;
  /** Per source: its topic and the consumer group name the query uses for it. */
  readonly sources: readonly { readonly topic: string; readonly group: string }[];
  readonly stores: readonly KeyValueStore<unknown>[];
  readonly partitions: number;
  readonly exactlyOnce: boolean;
  readonly changelogEnds?: readonly number[];
  /** The aggregation step whose input goes through a repartition topic, if any. */
  readonly repartitioned?: number;
}

/**
 * Kafka mode's view of the service: its live servers and the per-query
 * {@link PartitionTasks} (changelogs, partition ownership, transactions).
 */
export interface Cluster {
  readonly membership: Membership;
  tasksFor(q: ClusteredQuery): Promise<PartitionTasks>;
  /** Name of one of a query's internal topics: `_sluice_<service>_query_<queryId>-<suffix>`. */
  internalTopic(queryId: string, suffix: string): string;
  /** A query was terminated or dropped: deletes its internal topics (changelog, repartition), as ksqlDB does. */
  dropQuery(queryId: string): Promise<void>;
}
