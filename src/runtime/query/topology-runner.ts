import type { DataSource } from '../../planner/data-source.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import type { Log } from '../log/log.js';
import type { KeyValueStore } from '../state/store.js';
import { QueryStats } from './query-stats.js';
import type { CheckpointMarks, Durability, RunningQuerySetup } from './query-setup.js';
import { TaskInputs, type MaxTaskIdleMs, type TaskInput } from './task-inputs.js';
import { flushCaches, type Topology } from './topology.js';

/**
 * How many records one poll reads from a partition at most. Larger batches write each hot
 * key once per batch and amortise the checkpoint (state batch, offsets file):
 * 20000 vs 2000 doubled tumbling-count throughput in the benchmark.
 */
const BATCH = 20000;

/**
 * Outputs an embedded step aims to hold (sink records and record-cache entries
 * emitted at its end; see {@link TopologyRunner.stepSize}). They live until the
 * step ends: past a few thousand they outlast a scavenge of Node's young
 * generation, get copied, then promoted to the old generation.
 */
const STEP_OUTPUTS = 2000;

/** Fewest records an embedded step reads, so the per-step checkpoint stays a small share. */
const MIN_STEP = 2000;

/** Consumer group of a query's i-th input (distinct when a query reads one topic twice). */
export function consumerGroup(queryId: string, i: number): string {
  return i === 0 ? queryId : `${queryId}#${i}`;
}

/**
 * What both ways of executing a query share: its operators, where each input is
 * read (per partition), the read-ahead of multi-source tasks, and the
 * checkpoint of state and positions. The execution strategies
 * (`LocalExecution`, `PartitionedExecution`) decide which inputs a step reads
 * and how its output is made durable; this class only does what they ask.
 *
 * Invariant: `positions` has a row per input (sources, then internal topics)
 * once the query is initialised, each with an entry per partition of that input.
 */
export class TopologyRunner {
  readonly id: string;
  readonly physical: PhysicalPlan;
  /** Every source the query reads, in the order of `topology.sources`. */
  readonly sources: readonly DataSource[];
  readonly stores: readonly KeyValueStore<unknown>[];
  readonly durability: Durability | undefined;
  /** Records read per partition and step. */
  readonly batch: number;
  /** Read positions per input (sources, then internal topics), per partition. */
  positions: number[][] = [];
  /** The operators; replaced by {@link restart}. */
  topology: Topology;
  /**
   * A query with several sources: their records read ahead, merged by time, per task. Kafka
   * mode indexes it by partition (a task each); embedded mode uses entry 0, its one task.
   */
  merged: (TaskInputs | undefined)[] = [];
  /** Records in and out, counted per batch. */
  readonly stats = new QueryStats();
  private readonly rebuildTopology: (() => Topology) | undefined;
  private readonly onRestored: (() => void) | undefined;
  private readonly maxTaskIdleMs: MaxTaskIdleMs;
  private readonly wake: (() => void) | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Outputs per record read in the last step, per input (for {@link stepSize}). */
  private readonly outputRatio: number[] = [];

  constructor(setup: RunningQuerySetup) {
    this.id = setup.id;
    this.physical = setup.physical;
    this.sources = setup.sources;
    this.topology = setup.topology;
    this.stores = setup.stores ?? [];
    this.durability = setup.durability;
    this.rebuildTopology = setup.rebuildTopology;
    this.onRestored = setup.onRestored;
    this.maxTaskIdleMs = setup.maxTaskIdleMs ?? 0;
    this.wake = setup.wake;
    this.batch = setup.batchSize ?? BATCH;
  }

  /** Number of tasks: the most partitions of any input (task p = partition p of each). */
  get taskCount(): number {
    let n = 0;
    for (const pos of this.positions) n = Math.max(n, pos.length);
    return n;
  }

  /** Sources, then the internal topics the query reads (a repartition topic). */
  get inputCount(): number {
    return this.sources.length + this.topology.internal.length;
  }

  /** Topic of input `i` (a source's, or an internal topic's after them). */
  inputTopic(i: number): string {
    const n = this.sources.length;
    return i < n ? this.sources[i]!.topic : this.topology.internal[i - n]!.topic;
  }

  group(i: number): string {
    return consumerGroup(this.id, i);
  }

  /**
   * Records an embedded step reads from input `i`: as many as yield about
   * {@link STEP_OUTPUTS} outputs at the last step's outputs per record, within
   * [{@link MIN_STEP}, batch]. A projection (an output per record) or a count
   * over new keys takes small steps, whose rows die young; a count whose record
   * cache folds many updates into few outputs keeps whole batches. Kafka mode
   * reads whole batches (its step is a transaction).
   */
  stepSize(i: number): number {
    const min = Math.min(MIN_STEP, this.batch);
    const ratio = this.outputRatio[i];
    if (ratio === undefined) return min;
    return ratio * this.batch <= STEP_OUTPUTS ? this.batch : Math.max(min, Math.floor(STEP_OUTPUTS / ratio));
  }

  /**
   * Reads up to `max` records (default one batch) of input `i`'s partition `p` from its
   * position, pushes them through the operators and moves the position past them;
   * resolves whether there was any record.
   */
  async readInput(log: Log, i: number, p: number, max = this.batch): Promise<boolean> {
    const pos = this.positions[i]!;
    const records = await log.read(this.inputTopic(i), p, pos[p]!, max);
    if (records.length === 0) return false;
    const n = this.sources.length;
    if (i < n) this.stats.recordsIn.add(records.length);
    const before = this.topology.pending.length;
    (i < n ? this.topology.sources[i]! : this.topology.internal[i - n]!).processBatch(records, p);
    // A batch is a commit point: the record caches emit (synchronously, so no reader sees a batch half out).
    flushCaches(this.topology);
    this.outputRatio[i] = (this.topology.pending.length - before) / records.length;
    pos[p] = records[records.length - 1]!.offset + 1;
    return true;
  }

  /** The sources' partitions as one task merged by event time: all of them, or partition `p` of each. */
  mergedTask(p: number | undefined): TaskInputs {
    const inputs: TaskInput[] = [];
    for (let i = 0; i < this.sources.length; i++) {
      const count = this.positions[i]!.length;
      for (let q = 0; q < count; q++) {
        if (p === undefined || p === q) inputs.push({ source: i, partition: q, topic: this.sources[i]!.topic, op: this.topology.sources[i]! });
      }
    }
    return new TaskInputs(inputs, this.batch);
  }

  /** Runs a merged task for up to one batch; resolves whether it processed anything. */
  async runMerged(log: Log, t: TaskInputs): Promise<boolean> {
    const run = await t.run(log, this.positions, this.batch, this.maxTaskIdleMs);
    flushCaches(this.topology);
    if (run.idleFor !== undefined && this.wake && this.idleTimer === undefined) {
      // Waiting for an input to get records: look again when the wait ends even if nothing arrives.
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        this.wake?.();
      }, run.idleFor + 1);
      this.idleTimer.unref?.();
    }
    this.stats.recordsIn.add(run.processed);
    return run.processed > 0;
  }

  /** Counts the records of `topology.pending` bound for the sink (not a repartition topic), before a writer takes them. */
  countOutput(): void {
    const pending = this.topology.pending;
    if (pending.length === 0) return;
    const internal = this.topology.internal;
    let n = pending.length;
    if (internal.length > 0) {
      for (let k = 0; k < pending.length; k++) {
        const topic = pending[k]!.topic;
        for (let j = 0; j < internal.length; j++) if (internal[j]!.topic === topic) n--;
      }
    }
    this.stats.recordsOut.add(n);
  }

  /**
   * Joins keep the rows of their table sides in memory, not in stores: when the
   * query resumes past the start of a table source (after a restart, or on a
   * partition taken over from another server), that table's records before the
   * resume position are read again through the operators, output discarded, so
   * joins see the table as it was. Only where replaying cannot change saved
   * state: table rows joined by stream-table joins emit nothing, other table
   * consumers (table-table and foreign-key joins, table aggregations) only in
   * queries without stores. `partitions` undefined = all.
   */
  async replayTables(log: Log, partitions: readonly number[] | undefined): Promise<void> {
    if (!this.keepsTablesInMemory) return;
    const tableEmits = this.physical.steps.some((s) => s.kind === 'TableTableJoin' || s.kind === 'ForeignKeyTableTableJoin' || s.kind === 'TableAggregate');
    if (tableEmits && this.stores.length > 0) return;
    for (let i = 0; i < this.sources.length; i++) {
      if (this.sources[i]!.sourceType !== 'TABLE') continue;
      const pos = this.positions[i]!;
      for (let p = 0; p < pos.length; p++) {
        if (partitions && !partitions.includes(p)) continue;
        for (let offset = 0; offset < pos[p]!; ) {
          const records = await log.read(this.sources[i]!.topic, p, offset, Math.min(BATCH, pos[p]! - offset));
          if (records.length === 0) break;
          const upto = records.findIndex((r) => r.offset >= pos[p]!);
          this.topology.sources[i]!.processBatch(upto < 0 ? records : records.slice(0, upto), p);
          flushCaches(this.topology);
          this.topology.pending.length = 0;
          if (upto >= 0) break;
          offset = records[records.length - 1]!.offset + 1;
        }
      }
    }
  }

  /** The query holds table rows in operator memory (joins, tables tracking their previous rows). */
  private get keepsTablesInMemory(): boolean {
    return this.physical.steps.some(
      (s) => s.kind === 'StreamTableJoin' || s.kind === 'TableTableJoin' || s.kind === 'ForeignKeyTableTableJoin' || (s.kind === 'TableSource' && s.trackOld),
    );
  }

  /** Rebuilds the operators over the stores (their in-memory indexes and caches start again). */
  restart(): void {
    this.topology.pending.length = 0;
    if (this.rebuildTopology && this.stores.length > 0) {
      this.topology = this.rebuildTopology();
      this.merged = []; // read-ahead queues hold the old operators
    }
  }

  /** Tells the query's owner its state was restored or rebuilt (e.g. the pull-query view must be refilled). */
  restored(): void {
    this.onRestored?.();
  }

  /**
   * Commits state, positions and `from`'s marks together (one store batch when
   * durable; the marks are only asked for then).
   */
  async checkpoint(from: { marks(): CheckpointMarks }): Promise<void> {
    if (this.durability) {
      const { sinkEnds, changelogEnds } = from.marks();
      this.durability.checkpoints.put('checkpoint', {
        positions: this.positions.map((p) => [...p]),
        sinkEnds,
        ...(changelogEnds ? { changelogEnds: [...changelogEnds] } : {}),
      });
      await this.durability.flush();
      return;
    }
    for (const store of this.stores) await store.flush();
  }
}
