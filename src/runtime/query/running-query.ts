import type { DataSource } from '../../planner/data-source.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import { ExecutionError } from '../../common/errors.js';
import { warn } from '../../common/warn.js';
import type { Log } from '../log/log.js';
import type { KeyValueStore } from '../state/store.js';
import type { OutputTaps } from '../operators/output-taps.js';
import type { QueryExecution } from './execution.js';
import { LocalExecution } from './local-execution.js';
import type { PartitionTasks } from './partition-tasks.js';
import { PartitionedExecution } from './partitioned-execution.js';
import type { RunningQuerySetup } from './query-setup.js';
import type { QueryStats } from './query-stats.js';
import { LogSinkWriter } from './sink-writer.js';
import { consumerGroup, TopologyRunner } from './topology-runner.js';

export type { Checkpoint, CheckpointMarks, Durability, RunningQuerySetup } from './query-setup.js';

/** `PAUSED`: kept with its state and positions, processing nothing until RESUME. */
export type QueryState = 'RUNNING' | 'PAUSED' | 'ERROR' | 'TERMINATED';

/**
 * A persistent (or transient) query bound to its topology: reads its sources
 * from its positions, pushes batches through the operators synchronously, hands
 * what the sink produced to its execution's sink writer, and commits positions.
 * How (one embedded process, or Kafka partition tasks) is its
 * {@link QueryExecution}, chosen once in the constructor.
 */
export class RunningQuery {
  state: QueryState = 'RUNNING';
  error: string | undefined;
  readonly id: string;
  readonly statementText: string;
  readonly logical: LogicalPlan;
  readonly physical: PhysicalPlan;
  /** Every source the query reads, in the order of `topology.sources`. */
  readonly sources: readonly DataSource[];
  readonly sink: DataSource | undefined;
  readonly stores: readonly KeyValueStore<unknown>[];
  /** Kafka mode: the partitions this server processes, restores and transactional commits. */
  readonly tasks: PartitionTasks | undefined;
  /** Persistent queries: scalable push queries tapping the output (ended when the query stops). */
  readonly taps: OutputTaps | undefined;
  private readonly runner: TopologyRunner;
  private readonly execution: QueryExecution;

  constructor(setup: RunningQuerySetup) {
    this.id = setup.id;
    this.statementText = setup.statementText;
    this.logical = setup.logical;
    this.physical = setup.physical;
    this.sources = setup.sources;
    this.sink = setup.sink;
    this.tasks = setup.tasks;
    this.taps = setup.taps;
    this.runner = new TopologyRunner(setup);
    this.stores = this.runner.stores;
    // The one place embedded and Kafka mode part; a transient query (no sink) writes nothing.
    this.execution = setup.tasks
      ? new PartitionedExecution(this.runner, setup.tasks, () => this.state === 'RUNNING')
      : new LocalExecution(
          this.runner,
          setup.sink === undefined ? undefined : new LogSinkWriter(),
          // INSERT INTO shares its sink with other writers, whose records a truncation must not touch.
          setup.sink !== undefined && setup.sink.writerQueryId === setup.id ? setup.sink.topic : undefined,
        );
  }

  /** Records in and out and processing errors, counted per batch. */
  get stats(): QueryStats {
    return this.runner.stats;
  }

  /** Kafka mode: partitions this server is processing now (acquired and not released). */
  get active(): ReadonlySet<number> {
    return this.execution.active;
  }

  /** Number of tasks: the most partitions of any input (task p = partition p of each). */
  get taskCount(): number {
    return this.runner.taskCount;
  }

  /** Whether an aggregation's input goes through a repartition topic (grouped by the group key's hash). */
  get repartitioned(): boolean {
    return this.runner.topology.internal.length > 0;
  }

  /** Where each source is read from now, per partition (what a new query records as its start). */
  sourcePositions(): number[][] {
    return this.runner.positions.slice(0, this.sources.length).map((p) => [...p]);
  }

  /** Sources, then the internal topics the query reads (a repartition topic). */
  get inputCount(): number {
    return this.runner.inputCount;
  }

  /** Topic of input `i` (a source's, or an internal topic's after them). */
  inputTopic(i: number): string {
    return this.runner.inputTopic(i);
  }

  /** Read position of source `i` in partition `p` (undefined before init or past its partitions). */
  position(i: number, p: number): number | undefined {
    return this.runner.positions[i]?.[p];
  }

  /** The first (left-most) source. */
  get source(): DataSource {
    return this.sources[0]!;
  }

  /** Consumer group of a query's i-th source (distinct when a query reads one topic twice). */
  static groupName(queryId: string, i: number): string {
    return consumerGroup(queryId, i);
  }

  /**
   * Sets where reading starts: the checkpoint, else committed positions, else
   * `startAt` (per source and partition, as recorded when the query was created),
   * else the beginning or the end.
   */
  async init(log: Log, fromBeginning: boolean, startAt?: readonly (readonly number[])[]): Promise<void> {
    const r = this.runner;
    r.merged = [];
    const cp = r.durability?.checkpoints.get('checkpoint');
    const lost = r.durability && this.stores.length > 0 ? await this.execution.stateLost(log, cp) : undefined;
    if (lost !== undefined) {
      await this.rebuild(log, lost, fromBeginning, startAt);
      return;
    }
    if (cp && cp.positions.length === this.inputCount) {
      // Undo sink writes the crashed run had not committed, then resume where it had.
      await this.execution.recover(log, cp);
      r.positions = cp.positions.map((p) => [...p]);
      await this.clampPositions(log);
      await this.execution.resumed(log);
      return;
    }
    r.positions = [];
    for (let i = 0; i < this.inputCount; i++) {
      const topic = this.inputTopic(i);
      const n = (await log.topic(topic))?.partitions ?? 1;
      const pos: number[] = [];
      for (let p = 0; p < n; p++) {
        const committed = await log.committed(r.group(i), topic, p);
        // An internal topic holds only what this query wrote into it: always from its beginning.
        pos.push(committed ?? startAt?.[i]?.[p] ?? (fromBeginning || i >= this.sources.length ? 0 : await log.endOffset(topic, p)));
      }
      r.positions.push(pos);
    }
    await this.execution.resumed(log);
  }

  /**
   * Empties the query's stores and reads its sources again from where it started
   * (its recorded start positions, or the beginning), so it never serves totals
   * of partial state. Internal topics are read from their current end: the
   * reprocessing writes their records again. Without a known start the query
   * fails rather than guess.
   */
  private async rebuild(log: Log, why: string, fromBeginning: boolean, startAt: readonly (readonly number[])[] | undefined): Promise<void> {
    if (startAt === undefined && !fromBeginning) {
      throw new ExecutionError(
        `The state of query ${this.id} is lost or damaged (${why}) and it started at the end of its sources, so it cannot be rebuilt from the log; drop and re-create it.`,
      );
    }
    const r = this.runner;
    for (const store of this.stores) {
      for (const key of [...store.entries()].map((e) => e[0])) store.delete(key);
    }
    r.positions = [];
    for (let i = 0; i < this.inputCount; i++) {
      const topic = this.inputTopic(i);
      const n = (await log.topic(topic))?.partitions ?? 1;
      const pos: number[] = [];
      for (let p = 0; p < n; p++) pos.push(i >= this.sources.length ? await log.endOffset(topic, p) : (startAt?.[i]?.[p] ?? 0));
      r.positions.push(pos);
    }
    warn(`The state of query ${this.id} is lost or damaged (${why}): rebuilding it from the log, from positions ${JSON.stringify(r.positions)}`);
    r.restart();
    r.restored();
    await r.checkpoint(this.execution);
    await this.execution.resumed(log);
  }

  /** Moves checkpointed positions past the end of their partition (after a log repair) back to it. */
  private async clampPositions(log: Log): Promise<void> {
    const positions = this.runner.positions;
    for (let i = 0; i < positions.length; i++) {
      const topic = this.inputTopic(i);
      const pos = positions[i]!;
      for (let p = 0; p < pos.length; p++) {
        const info = await log.topic(topic);
        if (!info || p >= info.partitions) continue;
        const end = await log.endOffset(topic, p);
        if (pos[p]! <= end) continue;
        warn(
          `query ${this.id} had checkpointed position ${pos[p]} in topic '${topic}' partition ${p}, which now ends at ${end} (the log was cut or repaired): it continues from ${end}`,
        );
        pos[p] = end;
      }
    }
  }

  /**
   * One round over the inputs (see the execution for which and how); resolves
   * true if any record was processed.
   */
  async step(log: Log): Promise<boolean> {
    if (this.state !== 'RUNNING') return false;
    return this.execution.step(log);
  }
}
