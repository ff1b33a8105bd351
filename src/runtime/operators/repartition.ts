import type { Evaluator } from '../expr/compile.js';
import type { LogRecord } from '../log/log.js';
import { partitionFor } from '../log/murmur2.js';
import { NO_HEADERS } from '../log/segment.js';
import { decodeValue, encodeValue } from '../state/level-store.js';
import type { KeyValueStore } from '../state/store.js';
import type { PendingRecord } from './sink.js';
import type { Operator, OperatorContext, Rec } from './record.js';

/**
 * Kafka mode, the write half of a repartition (ksqlDB's `…-GroupBy-repartition`
 * topic): an aggregation grouped by other columns than its source's key gets
 * its input through an internal topic keyed by the group key, so all records of
 * one group land in one partition, whichever server processes it. Each record
 * is queued for partition `murmur2(group key bytes) mod n`; its value holds the
 * source key and row (tagged JSON, so decimals, bytes and maps survive) and
 * where it came from: source partition, offset, and its index among the records
 * that offset produced (a table function makes several). Its timestamp is the
 * record's.
 */
export class RepartitionSinkOperator implements Operator {
  /** Lambda variable slots of the grouping expressions. */
  private readonly vars: unknown[] = [];
  private lastPartition = -1;
  private lastOffset = -1;
  private index = 0;

  constructor(
    private readonly groupBy: readonly Evaluator[],
    private readonly topic: string,
    private readonly partitions: number,
    private readonly out: PendingRecord[],
  ) {}

  process(rec: Rec): void {
    if (rec.row === null) return; // streams have no tombstones to move
    const group: unknown[] = new Array(this.groupBy.length);
    try {
      for (let i = 0; i < this.groupBy.length; i++) group[i] = this.groupBy[i]!(rec.row, this.vars);
    } catch {
      // The aggregation reports a grouping it cannot compute; such a record goes to one partition to be reported there.
      group.fill(null);
    }
    if (rec.partition === this.lastPartition && rec.offset === this.lastOffset) this.index++;
    else {
      this.lastPartition = rec.partition;
      this.lastOffset = rec.offset;
      this.index = 0;
    }
    const key = Buffer.from(encodeValue(group));
    const partition = this.partitions === 1 ? 0 : partitionFor(key, this.partitions);
    const value: Moved = [rec.key, rec.row, rec.partition, rec.offset, this.index];
    this.out.push({ topic: this.topic, partition, record: { key, value: Buffer.from(encodeValue(value)), timestamp: rec.ts } });
  }
}

/** A repartition record's value: source key, row, source partition, source offset, index within that offset. */
type Moved = [unknown[] | null, unknown[] | null, number, number, number];

/**
 * The read half of a repartition: turns the internal topic's records back into
 * the rows the aggregation expects, with the partition of the repartition topic
 * (a task's partition) as their partition. It drops records it has passed
 * before: a source partition reprocessed after a crash (at least once) writes
 * its records again, and they would be counted twice. Per (task partition, source
 * partition) it keeps the last (offset, index) passed in a store, so the
 * position travels with the aggregation's state through the changelog.
 */
export class RepartitionSourceOperator {
  constructor(
    readonly topic: string,
    private readonly next: Operator,
    private readonly seen: KeyValueStore<[number, number]>,
    private readonly ctx: OperatorContext,
  ) {}

  processBatch(records: readonly LogRecord[], partition: number): void {
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      let moved: Moved;
      try {
        moved = decodeValue(r.value!.toString('utf8')) as Moved;
      } catch (e) {
        this.ctx.log.error({
          queryId: this.ctx.queryId,
          message: `Failed to read a record of the repartition topic: ${(e as Error).message}`,
          topic: this.topic,
          partition,
          offset: r.offset,
        });
        continue;
      }
      const [key, row, from, offset, index] = moved;
      const k = `${partition}/${from}`;
      const last = this.seen.get(k);
      if (last !== undefined && (offset < last[0] || (offset === last[0] && index <= last[1]))) continue; // written again by a retry
      this.seen.put(k, [offset, index]);
      this.next.process({ key, row, ts: r.timestamp, window: null, partition, offset: r.offset, headers: NO_HEADERS });
    }
  }
}
