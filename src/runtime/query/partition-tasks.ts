import { ExecutionError } from '../../common/errors.js';
import type { PendingRecord } from '../operators/sink.js';

/**
 * Kafka mode: how one persistent query shares its partitions with the other
 * servers of its service and makes each processed batch durable. A query's task
 * `p` is partition `p` of every source it reads (sources are co-partitioned), and
 * its state for those keys is changelog partition `p`.
 *
 * The query calls {@link owns} before every batch; the first batch of a partition
 * it did not process before is preceded by {@link acquire} (restore), and one it
 * stops processing by {@link release}. Invariant: `commit(p, …)` is only called
 * between `acquire(p)` and `release(p)`.
 */
export interface PartitionTasks {
  /** Whether this server is to process partition `p` now (false while another server still has it). */
  owns(p: number): boolean;
  /**
   * Restores partition `p`'s state from its changelog into the query's stores and
   * returns the positions (per source) the restored state is at, or undefined when
   * the changelog holds none for `p` (the query keeps its local or initial positions).
   */
  acquire(p: number): Promise<readonly number[] | undefined>;
  /** This server stopped processing `p` (another server owns it now, or the query stops). */
  release(p: number): Promise<void>;
  /**
   * Makes one processed batch of partition `p` durable: its sink records, the
   * state it changed and the positions after it (per source). With
   * `processing.guarantee=exactly_once_v2` all three are one Kafka transaction.
   * Throws {@link PartitionLostError} when another server took `p` over meanwhile.
   */
  commit(p: number, sink: readonly PendingRecord[], positions: readonly number[]): Promise<void>;
  /** The server partition `p` is assigned to: this one, or another with its REST endpoint (if it advertised one). */
  owner(p: number): { readonly self: boolean; readonly url: string | undefined } | undefined;
  /** Changelog offsets this server's local state of each partition is known to include (saved in the local checkpoint). */
  changelogEnds(): readonly number[];
  /** Stops producers and timers of this query. */
  close(): Promise<void>;
}

/** A partition's batch could not commit because another server owns the partition now (its producer was fenced). */
export class PartitionLostError extends ExecutionError {
  constructor(
    readonly partition: number,
    message: string,
  ) {
    super(message);
  }
}
