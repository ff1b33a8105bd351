import type { DataSource } from '../../planner/data-source.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import { ExecutionError } from '../../common/errors.js';
import { warn } from '../../common/warn.js';
import type { Log } from '../log/log.js';
import { partitionRuns } from '../log/log.js';
import type { KeyValueStore } from '../state/store.js';
import { PartitionLostError, type PartitionTasks } from './partition-tasks.js';
import { TaskInputs, type MaxTaskIdleMs, type TaskInput } from './task-inputs.js';
import type { Topology } from './topology.js';

/**
 * How many records one poll reads from a partition. Larger batches write each hot
 * key once per batch and amortise the checkpoint (state batch, offsets file):
 * 20000 vs 2000 doubled tumbling-count throughput in the benchmark.
 */
const BATCH = 20000;

export type QueryState = 'RUNNING' | 'ERROR' | 'TERMINATED';

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

/** How a query persists its progress; absent = positions only in the log's committed offsets. */
export interface Durability {
  readonly checkpoints: KeyValueStore<Checkpoint>;
  /** Writes every dirty store entry (state and checkpoint) in one atomic batch. */
  flush(): Promise<void>;
}

/** What a {@link RunningQuery} is built from. */
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
}

/**
 * A persistent query bound to its topology: reads its source topic from its
 * positions, pushes batches through the operators synchronously, appends what
 * the sink produced, and commits positions.
 */
export class RunningQuery {
  state: QueryState = 'RUNNING';
  error: string | undefined;
  /** Read positions per source (same order as `sources`), per partition. */
  private positions: number[][] = [];
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
  private topology: Topology;
  private readonly durability: Durability | undefined;
  private readonly rebuildTopology: (() => Topology) | undefined;
  private readonly onRestored: (() => void) | undefined;
  private readonly maxTaskIdleMs: MaxTaskIdleMs;
  private readonly wake: (() => void) | undefined;
  private readonly batch: number;
  /**
   * A query with several sources: their records read ahead, merged by time, per task. Kafka
   * mode indexes it by partition (a task each); embedded mode uses entry 0, its one task.
   */
  private merged: (TaskInputs | undefined)[] = [];
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(setup: RunningQuerySetup) {
    this.id = setup.id;
    this.statementText = setup.statementText;
    this.logical = setup.logical;
    this.physical = setup.physical;
    this.sources = setup.sources;
    this.sink = setup.sink;
    this.topology = setup.topology;
    this.stores = setup.stores ?? [];
    this.durability = setup.durability;
    this.tasks = setup.tasks;
    this.rebuildTopology = setup.rebuildTopology;
    this.onRestored = setup.onRestored;
    this.maxTaskIdleMs = setup.maxTaskIdleMs ?? 0;
    this.wake = setup.wake;
    this.batch = setup.batchSize ?? BATCH;
  }

  /** Kafka mode: partitions this server is processing now (acquired and not released). */
  readonly active = new Set<number>();

  /** End offset of every sink partition written, as `topic\u0000partition`. */
  private readonly sinkEnds: Record<string, number> = {};

  /** Number of tasks: the most partitions of any input (task p = partition p of each). */
  get taskCount(): number {
    let n = 0;
    for (const pos of this.positions) n = Math.max(n, pos.length);
    return n;
  }

  /** Whether an aggregation's input goes through a repartition topic (grouped by the group key's hash). */
  get repartitioned(): boolean {
    return this.topology.internal.length > 0;
  }

  /** Where each source is read from now, per partition (what a new query records as its start). */
  sourcePositions(): number[][] {
    return this.positions.slice(0, this.sources.length).map((p) => [...p]);
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

  /** Read position of source `i` in partition `p` (undefined before init or past its partitions). */
  position(i: number, p: number): number | undefined {
    return this.positions[i]?.[p];
  }

  /** The first (left-most) source. */
  get source(): DataSource {
    return this.sources[0]!;
  }

  /** Consumer group of a query's i-th source (distinct when a query reads one topic twice). */
  static groupName(queryId: string, i: number): string {
    return i === 0 ? queryId : `${queryId}#${i}`;
  }

  private group(i: number): string {
    return RunningQuery.groupName(this.id, i);
  }

  /**
   * Sets where reading starts: the checkpoint, else committed positions, else
   * `startAt` (per source and partition, as recorded when the query was created),
   * else the beginning or the end.
   */
  async init(log: Log, fromBeginning: boolean, startAt?: readonly (readonly number[])[]): Promise<void> {
    this.merged = [];
    const cp = this.durability?.checkpoints.get('checkpoint');
    const lost = this.durability && this.stores.length > 0 ? await this.stateLost(log, cp) : undefined;
    if (lost !== undefined) {
      await this.rebuild(log, lost, fromBeginning, startAt);
      return;
    }
    if (cp && cp.positions.length === this.inputCount) {
      // Undo sink writes the crashed run had not committed, then resume where it had.
      for (const [k, end] of Object.entries(cp.sinkEnds)) {
        const [topic, partition] = k.split('\u0000') as [string, string];
        if (log.truncate && (await log.topic(topic))) await log.truncate(topic, Number(partition), end);
        this.sinkEnds[k] = end;
      }
      this.positions = cp.positions.map((p) => [...p]);
      await this.clampPositions(log);
      if (!this.tasks) await this.replayTables(log, undefined);
      return;
    }
    this.positions = [];
    for (let i = 0; i < this.inputCount; i++) {
      const topic = this.inputTopic(i);
      const n = (await log.topic(topic))?.partitions ?? 1;
      const pos: number[] = [];
      for (let p = 0; p < n; p++) {
        const committed = await log.committed(this.group(i), topic, p);
        // An internal topic holds only what this query wrote into it: always from its beginning.
        pos.push(committed ?? startAt?.[i]?.[p] ?? (fromBeginning || i >= this.sources.length ? 0 : await log.endOffset(topic, p)));
      }
      this.positions.push(pos);
    }
    if (!this.tasks) await this.replayTables(log, undefined);
  }

  /**
   * Why the query's saved state cannot be trusted, or undefined when it can: its
   * checkpoint is gone (state/ deleted or cut) although positions were committed
   * (a commit always follows a checkpoint), or it is behind a committed position
   * (the state store lost its later writes). Embedded mode only (Kafka mode
   * restores from changelogs).
   */
  private async stateLost(log: Log, cp: Checkpoint | undefined): Promise<string | undefined> {
    if (this.tasks) return undefined;
    for (let i = 0; i < this.inputCount; i++) {
      const topic = this.inputTopic(i);
      const n = (await log.topic(topic))?.partitions ?? 0;
      for (let p = 0; p < n; p++) {
        const committed = await log.committed(this.group(i), topic, p);
        if (committed === undefined) continue;
        if (!cp) return `its state checkpoint is missing but it had committed position ${committed} in topic '${topic}' partition ${p}`;
        if (cp.positions.length !== this.inputCount) return undefined; // an upgraded plan: positions come from the commits
        const at = cp.positions[i]?.[p] ?? 0;
        if (at < committed) return `its state checkpoint is at position ${at} in topic '${topic}' partition ${p} but it had committed ${committed}`;
      }
    }
    return undefined;
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
      throw new ExecutionError(`The state of query ${this.id} is lost or damaged (${why}) and it started at the end of its sources, so it cannot be rebuilt from the log; drop and re-create it.`);
    }
    for (const store of this.stores) {
      for (const key of [...store.entries()].map((e) => e[0])) store.delete(key);
    }
    this.positions = [];
    for (let i = 0; i < this.inputCount; i++) {
      const topic = this.inputTopic(i);
      const n = (await log.topic(topic))?.partitions ?? 1;
      const pos: number[] = [];
      for (let p = 0; p < n; p++) pos.push(i >= this.sources.length ? await log.endOffset(topic, p) : (startAt?.[i]?.[p] ?? 0));
      this.positions.push(pos);
    }
    warn(`The state of query ${this.id} is lost or damaged (${why}): rebuilding it from the log, from positions ${JSON.stringify(this.positions)}`);
    this.restart();
    this.onRestored?.();
    await this.checkpoint();
    if (!this.tasks) await this.replayTables(log, undefined);
  }

  /** Moves checkpointed positions past the end of their partition (after a log repair) back to it. */
  private async clampPositions(log: Log): Promise<void> {
    for (let i = 0; i < this.positions.length; i++) {
      const topic = this.inputTopic(i);
      const pos = this.positions[i]!;
      for (let p = 0; p < pos.length; p++) {
        const info = await log.topic(topic);
        if (!info || p >= info.partitions) continue;
        const end = await log.endOffset(topic, p);
        if (pos[p]! <= end) continue;
        warn(`query ${this.id} had checkpointed position ${pos[p]} in topic '${topic}' partition ${p}, which now ends at ${end} (the log was cut or repaired): it continues from ${end}`);
        pos[p] = end;
      }
    }
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
  private async replayTables(log: Log, partitions: readonly number[] | undefined): Promise<void> {
    // Persistent queries only: a transient query reads from where auto.offset.reset says, as ksqlDB's do.
    if ((!this.durability && !this.tasks) || !this.keepsTablesInMemory) return;
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
          this.topology.pending.length = 0;
          if (upto >= 0) break;
          offset = records[records.length - 1]!.offset + 1;
        }
      }
    }
  }

  /** The query holds table rows in operator memory (joins, tables tracking their previous rows). */
  private get keepsTablesInMemory(): boolean {
    return this.physical.steps.some((s) => s.kind === 'StreamTableJoin' || s.kind === 'TableTableJoin' || s.kind === 'ForeignKeyTableTableJoin' || (s.kind === 'TableSource' && s.trackOld));
  }

  /**
   * One round over all sources and partitions; resolves true if any record was
   * processed. A query with several sources reads them as one task, every
   * partition of every source merged by event time (one process holds them all).
   */
  async step(log: Log): Promise<boolean> {
    if (this.state !== 'RUNNING') return false;
    if (this.tasks) return this.stepTasks(log, this.tasks);
    if (this.sources.length > 1) {
      const merged = (this.merged[0] ??= this.mergedTask(undefined));
      if (!(await this.runMerged(log, merged))) return false;
      if (this.sink === undefined) return true; // transient queries keep their positions in memory only
      await this.flushPending(log);
      await this.checkpoint();
      for (let i = 0; i < this.sources.length; i++) {
        const pos = this.positions[i]!;
        for (let p = 0; p < pos.length; p++) await log.commit(this.group(i), this.sources[i]!.topic, p, pos[p]!);
      }
      return true;
    }
    let progressed = false;
    const topic = this.sources[0]!.topic;
    const pos = this.positions[0]!;
    const op = this.topology.sources[0]!;
    for (let p = 0; p < pos.length; p++) {
      const records = await log.read(topic, p, pos[p]!, this.batch);
      if (records.length === 0) continue;
      progressed = true;
      op.processBatch(records, p);
      pos[p] = records[records.length - 1]!.offset + 1;
      if (this.sink === undefined) continue;
      await this.flushPending(log);
      await this.checkpoint();
      await log.commit(this.group(0), topic, p, pos[p]!);
    }
    return progressed;
  }

  /** The sources' partitions as one task merged by event time: all of them, or partition `p` of each. */
  private mergedTask(p: number | undefined): TaskInputs {
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
  private async runMerged(log: Log, t: TaskInputs): Promise<boolean> {
    const run = await t.run(log, this.positions, this.batch, this.maxTaskIdleMs);
    if (run.idleFor !== undefined && this.wake && this.idleTimer === undefined) {
      // Waiting for an input to get records: look again when the wait ends even if nothing arrives.
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        this.wake?.();
      }, run.idleFor + 1);
      this.idleTimer.unref?.();
    }
    return run.processed > 0;
  }

  /**
   * Kafka mode: one round over the partitions this server owns. A partition newly
   * owned is restored first; each batch commits through the tasks (changelog, sink
   * and positions) before the local checkpoint. The sources of a task are merged
   * by event time; an internal (repartition) topic feeds a later stage of its own.
   */
  private async stepTasks(log: Log, tasks: PartitionTasks): Promise<boolean> {
    let progressed = false;
    const count = this.taskCount;
    for (let p = 0; p < count; p++) {
      if (this.state !== 'RUNNING') break; // terminated meanwhile (its topics may be gone)
      if (!tasks.owns(p)) {
        if (this.active.delete(p)) {
          this.merged[p]?.reset();
          await tasks.release(p);
        }
        continue;
      }
      if (!this.active.has(p)) await this.acquire(log, tasks, p);
      const merged = this.sources.length > 1 ? (this.merged[p] ??= this.mergedTask(p)) : undefined;
      const n = this.sources.length;
      // Units of work: the merged sources (one unit, -1) or each source alone, then each internal topic.
      for (let i = merged ? -1 : 0; i < this.inputCount; i++) {
        if (merged && i >= 0 && i < n) continue;
        if (i >= 0 && p >= this.positions[i]!.length) continue;
        const before = this.positions.map((x) => x[p] ?? 0);
        if (i < 0) {
          if (!(await this.runMerged(log, merged!))) continue;
        } else {
          const pos = this.positions[i]!;
          const records = await log.read(this.inputTopic(i), p, pos[p]!, this.batch);
          if (records.length === 0) continue;
          (i < n ? this.topology.sources[i]! : this.topology.internal[i - n]!).processBatch(records, p);
          pos[p] = records[records.length - 1]!.offset + 1;
        }
        progressed = true;
        const pending = this.topology.pending.splice(0);
        try {
          await tasks.commit(p, pending, this.positions.map((x) => x[p] ?? 0));
        } catch (e) {
          if (!(e instanceof PartitionLostError)) throw e;
          // Another server owns p now: undo what this batch did to the state (the new owner redoes
          // it), and restore p from the changelog if it comes back.
          for (const s of this.stores) await s.revertDirty?.();
          before.forEach((offset, k) => {
            const at = this.positions[k];
            if (at && p < at.length) at[p] = offset;
          });
          this.merged[p]?.reset();
          this.active.delete(p);
          await tasks.release(p);
          this.restart();
          this.onRestored?.();
          break;
        }
        await this.checkpoint();
      }
    }
    return progressed;
  }

  /** Restores partition `p` from the changelog and continues from the positions it records. */
  private async acquire(log: Log, tasks: PartitionTasks, p: number): Promise<void> {
    const restored = await tasks.acquire(p);
    this.merged[p]?.reset();
    if (restored) restored.forEach((offset, i) => {
      const pos = this.positions[i];
      if (pos && p < pos.length) pos[p] = offset;
    });
    this.active.add(p);
    // Operators index their stores when built: give them fresh ones over the restored state.
    // Fresh operators hold no table rows for any partition; otherwise only p's are missing.
    if (this.stores.length > 0) this.restart();
    await this.replayTables(log, this.stores.length > 0 ? [...this.active] : [p]);
    this.onRestored?.();
    await this.checkpoint();
  }

  /** Rebuilds the operators over the stores (their in-memory indexes and caches start again). */
  private restart(): void {
    this.topology.pending.length = 0;
    if (this.rebuildTopology && this.stores.length > 0) {
      this.topology = this.rebuildTopology();
      this.merged = []; // read-ahead queues hold the old operators
    }
  }

  /** Commits state, positions and sink ends together (one store batch when durable). */
  private async checkpoint(): Promise<void> {
    if (this.durability) {
      const changelogEnds = this.tasks?.changelogEnds();
      this.durability.checkpoints.put('checkpoint', { positions: this.positions.map((p) => [...p]), sinkEnds: { ...this.sinkEnds }, ...(changelogEnds ? { changelogEnds: [...changelogEnds] } : {}) });
      await this.durability.flush();
      return;
    }
    for (const store of this.stores) await store.flush();
  }

  private async flushPending(log: Log): Promise<void> {
    const pending = this.topology.pending;
    if (pending.length === 0) return;
    // Append runs of the same topic/partition together, keeping overall order.
    for (const run of partitionRuns(pending.splice(0, pending.length))) {
      const first = await log.append(run.topic, run.partition, run.records);
      this.sinkEnds[`${run.topic}\u0000${run.partition}`] = first + run.records.length;
    }
  }
}
