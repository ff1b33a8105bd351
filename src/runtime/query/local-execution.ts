import type { Log } from '../log/log.js';
import type { QueryExecution } from './execution.js';
import type { Checkpoint, CheckpointMarks } from './query-setup.js';
import type { SinkWriter } from './sink-writer.js';
import type { TopologyRunner } from './topology-runner.js';

/**
 * Embedded mode: this process reads every partition of every input. A query
 * with one source steps its partitions one after the other, each step
 * written and checkpointed on its own, its position committed every batch of
 * records and when caught up (the checkpoint holds the positions; a commit is a
 * file replaced, costly at thousands of steps); one with several reads them
 * all as one task merged by event time. The saved local state is the only
 * copy, so it is checked against the committed positions on start.
 *
 * Without a writer (a transient query, rows go to the client) positions stay
 * in memory only: nothing is checkpointed or committed.
 */
export class LocalExecution implements QueryExecution {
  /** Every partition is this process's: none is acquired or released. */
  readonly active: ReadonlySet<number> = new Set();
  /** Records read per partition of the single source since its position was last committed. */
  private readonly sinceCommit: number[] = [];

  constructor(
    private readonly runner: TopologyRunner,
    private readonly writer: SinkWriter | undefined,
    /** The sink topic when this query is its only writer (CREATE … AS SELECT): its every partition is checkpointed from the start. */
    private readonly ownSinkTopic?: string,
  ) {}

  /**
   * Why the query's saved state cannot be trusted, or undefined when it can: its
   * checkpoint is gone (state/ deleted or cut) although positions were committed
   * (a commit always follows a checkpoint), or it is behind a committed position
   * (the state store lost its later writes).
   */
  async stateLost(log: Log, cp: Checkpoint | undefined): Promise<string | undefined> {
    const r = this.runner;
    for (let i = 0; i < r.inputCount; i++) {
      const topic = r.inputTopic(i);
      const n = (await log.topic(topic))?.partitions ?? 0;
      for (let p = 0; p < n; p++) {
        const committed = await log.committed(r.group(i), topic, p);
        if (committed === undefined) continue;
        if (!cp) return `its state checkpoint is missing but it had committed position ${committed} in topic '${topic}' partition ${p}`;
        if (cp.positions.length !== r.inputCount) return undefined; // an upgraded plan: positions come from the commits
        const at = cp.positions[i]?.[p] ?? 0;
        if (at < committed) return `its state checkpoint is at position ${at} in topic '${topic}' partition ${p} but it had committed ${committed}`;
      }
    }
    return undefined;
  }

  async recover(log: Log, cp: Checkpoint): Promise<void> {
    await this.writer?.recover(log, cp.sinkEnds);
  }

  /** Persistent queries see their tables again (a transient query reads from where auto.offset.reset says, as ksqlDB's do). */
  async resumed(log: Log): Promise<void> {
    if (!this.runner.durability) return;
    // A first start (or a partition never written) gets its sink ends checkpointed before any
    // output, so a crash before the first regular checkpoint is undone, not output twice.
    if (this.writer && this.ownSinkTopic !== undefined && (await this.writer.track(log, this.ownSinkTopic))) await this.runner.checkpoint(this);
    await this.runner.replayTables(log, undefined);
  }

  marks(): CheckpointMarks {
    return { sinkEnds: this.writer?.ends() ?? {} };
  }

  async step(log: Log): Promise<boolean> {
    const r = this.runner;
    if (r.sources.length > 1) {
      const merged = (r.merged[0] ??= r.mergedTask(undefined));
      if (!(await r.runMerged(log, merged))) return false;
      if (this.writer === undefined) return true;
      r.countOutput();
      await this.writer.write(log, r.topology.pending, 0);
      await r.checkpoint(this);
      for (let i = 0; i < r.sources.length; i++) {
        const pos = r.positions[i]!;
        for (let p = 0; p < pos.length; p++) await log.commit(r.group(i), r.sources[i]!.topic, p, pos[p]!);
      }
      return true;
    }
    let progressed = false;
    const pos = r.positions[0]!;
    for (let p = 0; p < pos.length; p++) {
      const from = pos[p]!;
      const max = r.stepSize(0);
      if (!(await r.readInput(log, 0, p, max))) {
        if ((this.sinceCommit[p] ?? 0) > 0) await this.commit(log, p);
        continue;
      }
      progressed = true;
      if (this.writer === undefined) continue;
      r.countOutput();
      await this.writer.write(log, r.topology.pending, p);
      await r.checkpoint(this);
      const read = pos[p]! - from;
      this.sinceCommit[p] = (this.sinceCommit[p] ?? 0) + read;
      if (read < max || this.sinceCommit[p]! >= r.batch) await this.commit(log, p);
    }
    return progressed;
  }

  /** Commits the single source's position in partition `p` (after a checkpoint that holds it). */
  private async commit(log: Log, p: number): Promise<void> {
    const r = this.runner;
    await log.commit(r.group(0), r.sources[0]!.topic, p, r.positions[0]![p]!);
    this.sinceCommit[p] = 0;
  }
}
