import type { DataSource } from '../../planner/data-source.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import type { KeyValueStore } from '../state/store.js';
import type { PartitionTasks } from './partition-tasks.js';
import type { MaxTaskIdleMs } from './task-inputs.js';
import type { Topology } from './topology.js';
import type { OutputTaps } from '../operators/output-taps.js';

/**
 * What a query has durably processed: its read positions and, for embedded logs,
 * the end offset of every sink partition it wrote. Saved in the same atomic
 * state-store batch as the query's state, so state, positions and sink output
 * commit together; on restart, sink writes past `sinkEnds` are truncated.
 */
export interface Checkpoint {
  readonly positions: number[][];
  readonly sinkEnds: Record<string, number>;
  /** Kafka mode: per partition, the changelog offset the local state includes (restores start there). */
  readonly changelogEnds?: readonly number[];
}

/** What a checkpoint saves besides the positions: the sink writer's ends and, in Kafka mode, the changelog's. */
export type CheckpointMarks = Omit<Checkpoint, 'positions'>;

/** How a query persists its progress; absent = positions only in the log's committed offsets. */
export interface Durability {
  readonly checkpoints: KeyValueStore<Checkpoint>;
  /** Writes every dirty store entry (state and checkpoint) in one atomic batch. */
  flush(): Promise<void>;
}

/**
 * What a `RunningQuery` is built from. Whether `tasks` is present picks how the
 * query executes (Kafka partition tasks, or one embedded process), once, when
 * the query is built.
 */
export interface RunningQuerySetup {
  readonly id: string;
  readonly statementText: string;
  readonly logical: LogicalPlan;
  readonly physical: PhysicalPlan;
  /** Every source the query reads, in the order of `topology.sources`. */
  readonly sources: readonly DataSource[];
  /** Undefined for a transient query (rows go to the client). */
  readonly sink?: DataSource;
  readonly topology: Topology;
  readonly stores?: readonly KeyValueStore<unknown>[];
  readonly durability?: Durability;
  /** Kafka mode: the partitions this server processes, restores and transactional commits. */
  readonly tasks?: PartitionTasks;
  /** Builds fresh operators over the same stores (after a restore changed them underneath). */
  readonly rebuildTopology?: () => Topology;
  /** Called after state was restored from a changelog (e.g. the pull-query view must be refilled). */
  readonly onRestored?: () => void;
  /** `max.task.idle.ms` (see {@link MaxTaskIdleMs}); default 0. */
  readonly maxTaskIdleMs?: MaxTaskIdleMs;
  /** Asks for the query to be stepped again (when a wait for an idle input ends). */
  readonly wake?: () => void;
  /**
   * Records read per partition and step; default 20000. A push query takes
   * fewer, so a client that lags is noticed (and its query paused) before one
   * step has queued much more than its buffer bound.
   */
  readonly batchSize?: number;
  /** Persistent queries: the scalable push queries reading its output as its sink writes it. */
  readonly taps?: OutputTaps;
}
