import type { Log } from '../log/log.js';
import type { QueryExecution } from './execution.js';
import { PartitionLostError, type PartitionTasks } from './partition-tasks.js';
import type { Checkpoint, CheckpointMarks } from './query-setup.js';
import { TransactionalSinkWriter, type SinkWriter } from './sink-writer.js';
import type { TopologyRunner } from './topology-runner.js';

/**
 * Kafka mode: task `p` is partition `p` of every input, and this server steps
 * only the tasks its {@link PartitionTasks} say it owns. A partition newly
 * owned is restored first (from its changelog); each batch commits through
 * the tasks (changelog, sink and positions, one transaction under
 * exactly-once) before the local checkpoint. The sources of a task are merged
 * by event time; an internal (repartition) topic feeds a later stage of its own.
 */
export class PartitionedExecution implements QueryExecution {
  /** Partitions this server is processing now (acquired and not released). */
  readonly active = new Set<number>();
  private readonly writer: SinkWriter;

  constructor(
    private readonly runner: TopologyRunner,
    private readonly tasks: PartitionTasks,
    /** Whether the query still runs (it may be terminated while a step awaits). */
    private readonly running: () => boolean,
  ) {
    this.writer = new TransactionalSinkWriter(tasks, (p) => runner.positions.map((x) => x[p] ?? 0));
  }

  /** The local state is a cache of the changelogs, restored from them per partition on acquire. */
  stateLost(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  recover(log: Log, cp: Checkpoint): Promise<void> {
    return this.writer.recover(log, cp.sinkEnds);
  }

  /** Nothing before the first step: each partition replays its tables when acquired. */
  resumed(): Promise<void> {
    return Promise.resolve();
  }

  marks(): CheckpointMarks {
    return { sinkEnds: this.writer.ends(), changelogEnds: this.tasks.changelogEnds() };
  }

  /** One round over the partitions this server owns. */
  async step(log: Log): Promise<boolean> {
    const r = this.runner;
    const tasks = this.tasks;
    let progressed = false;
    const count = r.taskCount;
    for (let p = 0; p < count; p++) {
      if (!this.running()) break; // terminated meanwhile (its topics may be gone)
      if (!tasks.owns(p)) {
        if (this.active.delete(p)) {
          r.merged[p]?.reset();
          await tasks.release(p);
        }
        continue;
      }
      if (!this.active.has(p)) await this.acquire(log, p);
      const merged = r.sources.length > 1 ? (r.merged[p] ??= r.mergedTask(p)) : undefined;
      const n = r.sources.length;
      // Units of work: the merged sources (one unit, -1) or each source alone, then each internal topic.
      for (let i = merged ? -1 : 0; i < r.inputCount; i++) {
        if (merged && i >= 0 && i < n) continue;
        if (i >= 0 && p >= r.positions[i]!.length) continue;
        const before = r.positions.map((x) => x[p] ?? 0);
        if (i < 0) {
          if (!(await r.runMerged(log, merged!))) continue;
        } else if (!(await r.readInput(log, i, p))) continue;
        progressed = true;
        try {
          r.countOutput();
          await this.writer.write(log, r.topology.pending, p);
        } catch (e) {
          if (!(e instanceof PartitionLostError)) throw e;
          await this.lost(p, before);
          break;
        }
        await r.checkpoint(this);
      }
    }
    return progressed;
  }

  /**
   * Another server owns `p` now: undoes what the batch did to the state (the new
   * owner redoes it) and to the positions (`before` it), and restores `p` from
   * the changelog if it comes back.
   */
  private async lost(p: number, before: readonly number[]): Promise<void> {
    const r = this.runner;
    for (const s of r.stores) await s.revertDirty?.();
    before.forEach((offset, k) => {
      const at = r.positions[k];
      if (at && p < at.length) at[p] = offset;
    });
    r.merged[p]?.reset();
    this.active.delete(p);
    await this.tasks.release(p);
    r.restart();
    r.restored();
  }

  /** Restores partition `p` from the changelog and continues from the positions it records. */
  private async acquire(log: Log, p: number): Promise<void> {
    const r = this.runner;
    const restored = await this.tasks.acquire(p);
    r.merged[p]?.reset();
    if (restored)
      restored.forEach((offset, i) => {
        const pos = r.positions[i];
        if (pos && p < pos.length) pos[p] = offset;
      });
    this.active.add(p);
    // Operators index their stores when built: give them fresh ones over the restored state.
    // Fresh operators hold no table rows for any partition; otherwise only p's are missing.
    if (r.stores.length > 0) r.restart();
    await r.replayTables(log, r.stores.length > 0 ? [...this.active] : [p]);
    r.restored();
    await r.checkpoint(this);
  }
}
