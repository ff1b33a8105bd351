import type { Log } from '../log/log.js';
import { partitionRuns } from '../log/log.js';
import type { PendingRecord } from '../operators/sink.js';
import type { PartitionTasks } from './partition-tasks.js';

/**
 * Where the records one step of a query produced for its sink go, and how that
 * output survives a restart: appended to the log with its ends checkpointed
 * ({@link LogSinkWriter}), or committed in Kafka partition `task`'s transaction
 * ({@link TransactionalSinkWriter}); later a connector's. A query's execution
 * owns one and calls it once per step that produced anything (batch-wise).
 *
 * Invariant: what the writer saw before the last checkpoint is durable; what it
 * saw after is undone by `recover` with that checkpoint's ends (or never
 * visible, in a transaction that did not commit).
 */
export interface SinkWriter {
  /**
   * Writes `records` in order and empties the array (it is the topology's
   * queue). `task`: the partition task they came from (the partition read, or
   * 0 for a query read as one merged task).
   */
  write(log: Log, records: PendingRecord[], task: number): Promise<void>;
  /** Where the output written so far ends, as the checkpoint saves it (a fresh object). */
  ends(): Record<string, number>;
  /** Resuming from a checkpoint with `ends`: undoes writes past them and continues from them. */
  recover(log: Log, ends: Readonly<Record<string, number>>): Promise<void>;
  /**
   * Marks where each partition of `topic` ends now, for partitions without a
   * mark yet, so that the next checkpoint covers them before anything is
   * written there: a crash before the query's first checkpoint, or before its
   * first write to a partition, is then undone too. Only for a sink this
   * query alone writes. Resolves true when it added a mark.
   */
  track(log: Log, topic: string): Promise<boolean>;
}

/**
 * Embedded mode: appends each run of records of one topic partition to the log
 * and keeps the end offset of every sink partition it wrote (key
 * `topic\u0000partition`), which the checkpoint saves with state and positions;
 * on restart, sink records past those ends (written after the last checkpoint)
 * are truncated.
 */
export class LogSinkWriter implements SinkWriter {
  private readonly sinkEnds: Record<string, number> = {};

  async write(log: Log, records: PendingRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Append runs of the same topic/partition together, keeping overall order.
    for (const run of partitionRuns(records.splice(0, records.length))) {
      const first = await log.append(run.topic, run.partition, run.records);
      this.sinkEnds[`${run.topic}\u0000${run.partition}`] = first + run.records.length;
    }
  }

  ends(): Record<string, number> {
    return { ...this.sinkEnds };
  }

  async recover(log: Log, ends: Readonly<Record<string, number>>): Promise<void> {
    for (const [k, end] of Object.entries(ends)) {
      const [topic, partition] = k.split('\u0000') as [string, string];
      if (log.truncate && (await log.topic(topic))) await log.truncate(topic, Number(partition), end);
      this.sinkEnds[k] = end;
    }
  }

  async track(log: Log, topic: string): Promise<boolean> {
    const partitions = (await log.topic(topic))?.partitions ?? 0;
    let added = false;
    for (let p = 0; p < partitions; p++) {
      const k = `${topic}\u0000${p}`;
      if (this.sinkEnds[k] !== undefined) continue;
      this.sinkEnds[k] = await log.endOffset(topic, p);
      added = true;
    }
    return added;
  }
}

/**
 * Kafka mode: commits a step's records (sink and repartition topics) through
 * the query's partition tasks, with the state the step changed and the
 * positions of task `task`'s inputs after it, as one transaction under
 * exactly-once. Kafka keeps what it was given: there are no ends to save and
 * nothing to undo. Throws `PartitionLostError` when another server owns the
 * partition now.
 */
export class TransactionalSinkWriter implements SinkWriter {
  constructor(
    private readonly tasks: PartitionTasks,
    /** Where task `p`'s inputs stand (per input), committed with its output. */
    private readonly positionsOf: (p: number) => readonly number[],
  ) {}

  write(_log: Log, records: PendingRecord[], task: number): Promise<void> {
    return this.tasks.commit(task, records.splice(0), this.positionsOf(task));
  }

  ends(): Record<string, number> {
    return {};
  }

  recover(): Promise<void> {
    return Promise.resolve();
  }

  track(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
