import type { Log } from '../log/log.js';
import type { Checkpoint, CheckpointMarks } from './query-setup.js';

/**
 * How a query's steps read their inputs and make what they did durable: one
 * embedded process reading every partition (`LocalExecution`), or Kafka
 * partition tasks shared with the other servers of the service
 * (`PartitionedExecution`). Chosen once, when the query is built; the query's
 * restore and step paths call it and never ask which one it is. Each owns the
 * {@link SinkWriter} its steps' output goes through.
 */
export interface QueryExecution {
  /** Partitions this server is processing now (acquired and not released); empty when it processes all. */
  readonly active: ReadonlySet<number>;
  /**
   * Why the query's saved local state cannot be trusted against its committed
   * positions, or undefined when it can (or when the state is restored from
   * elsewhere, a changelog).
   */
  stateLost(log: Log, cp: Checkpoint | undefined): Promise<string | undefined>;
  /** Resuming from checkpoint `cp`: undoes the sink writes the previous run had not committed. */
  recover(log: Log, cp: Checkpoint): Promise<void>;
  /** The positions are set (from a checkpoint, commits or the start): prepares the first step. */
  resumed(log: Log): Promise<void>;
  /** One round over the inputs; resolves true if any record was processed. */
  step(log: Log): Promise<boolean>;
  /** What the checkpoint saves besides the positions. */
  marks(): CheckpointMarks;
}
