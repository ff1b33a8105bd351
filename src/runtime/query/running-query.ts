import type { DataSource } from '../../planner/data-source.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import type { Log } from '../log/log.js';
import type { KeyValueStore } from '../state/store.js';
import type { Topology } from './topology.js';

/** How many records one poll reads from a partition. */
const BATCH = 2000;

export type QueryState = 'RUNNING' | 'ERROR' | 'TERMINATED';

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

  constructor(
    readonly id: string,
    readonly statementText: string,
    readonly logical: LogicalPlan,
    readonly physical: PhysicalPlan,
    /** Every source the query reads, in the order of `topology.sources`. */
    readonly sources: readonly DataSource[],
    readonly sink: DataSource | undefined,
    private readonly topology: Topology,
    readonly stores: readonly KeyValueStore<unknown>[],
  ) {}

  /** The first (left-most) source. */
  get source(): DataSource {
    return this.sources[0]!;
  }

  /** Consumer group of the i-th source (distinct when a query reads one topic twice). */
  private group(i: number): string {
    return i === 0 ? this.id : `${this.id}#${i}`;
  }

  /** Sets where reading starts: committed positions, else beginning or end. */
  async init(log: Log, fromBeginning: boolean): Promise<void> {
    this.positions = [];
    for (let i = 0; i < this.sources.length; i++) {
      const topic = this.sources[i]!.topic;
      const n = (await log.topic(topic))?.partitions ?? 1;
      const pos: number[] = [];
      for (let p = 0; p < n; p++) {
        const committed = await log.committed(this.group(i), topic, p);
        pos.push(committed ?? (fromBeginning ? 0 : await log.endOffset(topic, p)));
      }
      this.positions.push(pos);
    }
  }

  /** One round over all sources and partitions; resolves true if any record was processed. */
  async step(log: Log): Promise<boolean> {
    if (this.state !== 'RUNNING') return false;
    let progressed = false;
    for (let i = 0; i < this.sources.length; i++) {
      const topic = this.sources[i]!.topic;
      const pos = this.positions[i]!;
      const op = this.topology.sources[i]!;
      for (let p = 0; p < pos.length; p++) {
        const records = await log.read(topic, p, pos[p]!, BATCH);
        if (records.length === 0) continue;
        progressed = true;
        op.processBatch(records, p);
        pos[p] = records[records.length - 1]!.offset + 1;
        await this.flushPending(log);
        // State before positions: after a crash, state is never behind the committed position.
        for (const store of this.stores) await store.flush();
        await log.commit(this.group(i), topic, p, pos[p]!);
      }
    }
    return progressed;
  }

  private async flushPending(log: Log): Promise<void> {
    const pending = this.topology.pending;
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    // Append runs of the same topic/partition together, keeping overall order.
    let i = 0;
    while (i < batch.length) {
      const { topic, partition } = batch[i]!;
      let j = i + 1;
      while (j < batch.length && batch[j]!.topic === topic && batch[j]!.partition === partition) j++;
      await log.append(topic, partition, batch.slice(i, j).map((x) => x.record));
      i = j;
    }
  }
}
