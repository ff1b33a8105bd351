import type { FetchedBatch, KafkaClient, KafkaConsumer } from './kafka-client.js';
import type { LogRecord } from './log.js';

/** Records of one partition fetched ahead of the readers, at most this many kept per partition. */
const MAX_CACHED = 100_000;

/**
 * The fetched records of one partition: a window of consecutive Kafka records
 * (offsets ascending, not necessarily dense: compaction and transaction markers
 * leave gaps) and the offset the consumer fetches next.
 */
class PartitionWindow {
  records: LogRecord[] = [];
  /** Offset the consumer is positioned at: every record below it and at or above `start` is in `records`. */
  next = -1;
  /** First offset the window covers (records may begin later because of gaps). */
  start = -1;
  paused = false;
  /** The partition's end offset as last heard (a fetch's high watermark, or asked at a seek). */
  high = -1;
  /** Reads waiting for records to arrive. */
  private waiters: (() => void)[] = [];

  /** Resolves when {@link wake} is called (records arrived or the reader closes), or after `ms`. */
  waitForRecords(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  wake(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** How long a read waits for records it knows exist (below the high watermark) before answering empty. */
const ARRIVAL_WAIT_MS = 10_000;

/**
 * Reads one Kafka topic for {@link KafkaLog.read}: a {@link KafkaConsumer} in a group of
 * its own (offsets are never committed; positions are the engine's) fetches each
 * partition ahead into a bounded window, and `read` serves offsets from it. A read
 * outside the window seeks the consumer there. As with the embedded log, an empty
 * answer means the reader is at the end: a read below the partition's known end
 * (high watermark) waits for those records to arrive. Fetching pauses while a
 * partition's window is full and resumes as readers move on; the log's append
 * listeners hear when records arrive.
 */
export class TopicReader {
  private readonly windows: PartitionWindow[] = [];
  private readonly consumer: KafkaConsumer;
  private started: Promise<void> | undefined;
  private closed = false;

  constructor(
    client: KafkaClient,
    readonly topic: string,
    groupId: string,
    /** Called when records arrive, so readers waiting for them try again. */
    private readonly onRecords: (topic: string) => void,
    /** The partition's current end offset, asked of the cluster. */
    private readonly endOffset: (partition: number) => Promise<number>,
  ) {
    this.consumer = client.consumer(groupId);
  }

  /** Up to `max` records of `partition` from `offset` on; empty while they are being fetched. */
  async read(partition: number, offset: number, max: number): Promise<readonly LogRecord[]> {
    await this.start();
    let w = this.windows[partition];
    if (w === undefined) {
      w = new PartitionWindow();
      this.windows[partition] = w;
    }
    if (w.next < 0 || offset < w.start || offset > w.next) {
      // Not in the window: fetch from there.
      w.records = [];
      w.start = offset;
      w.next = offset;
      this.consumer.seek(partition, offset);
      this.resume(partition, w);
      w.high = Math.max(w.high, await this.endOffset(partition));
    }
    const deadline = Date.now() + ARRIVAL_WAIT_MS;
    for (;;) {
      const got = this.take(partition, w, offset, max);
      // Empty with the window past `offset`: only markers or aborted records lie between, nothing to wait for.
      if (got.length > 0 || offset >= w.high || offset < w.next || this.closed || Date.now() >= deadline) return got;
      await w.waitForRecords(deadline - Date.now());
    }
  }

  /**
   * The partition's end is at least `end` (this process wrote up to it, outside any
   * transaction): a read below it waits for those records instead of answering empty
   * with an end heard before (as after the process was paused while others wrote).
   */
  heard(partition: number, end: number): void {
    const w = this.windows[partition];
    if (w !== undefined && end > w.high) w.high = end;
  }

  /**
   * The offset the consumer fetches next in `partition`: every record below it
   * that a read can return has arrived (offsets between are markers, aborted or
   * compacted away). -1 before the partition was read.
   */
  fetchedUpTo(partition: number): number {
    return this.windows[partition]?.next ?? -1;
  }

  /** The window's records from `offset` on (dropping those before it: the window slides). */
  private take(partition: number, w: PartitionWindow, offset: number, max: number): LogRecord[] {
    const recs = w.records;
    let lo = 0;
    let hi = recs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (recs[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) {
      recs.splice(0, lo);
      w.start = offset;
    }
    if (w.paused && recs.length < MAX_CACHED / 2) this.resume(partition, w);
    return recs.length <= max ? recs.slice() : recs.slice(0, max);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.windows) w?.wake();
    if (this.started) {
      await this.started.catch(() => undefined);
      await this.consumer.close();
    }
  }

  private start(): Promise<void> {
    this.started ??= this.consumer.run(this.topic, {
      onBatch: (b) => this.onBatch(b),
      // After a (re)join, e.g. when the consumer restarted because the cluster was away, fetch
      // every partition from where its window ends instead of from the beginning.
      onJoin: () => {
        for (let p = 0; p < this.windows.length; p++) {
          const w = this.windows[p];
          if (w !== undefined && w.next >= 0) this.consumer.seek(p, w.next);
        }
      },
    });
    return this.started;
  }

  private onBatch(batch: FetchedBatch): void {
    if (this.closed) return;
    const w = this.windows[batch.partition];
    // A partition no reader asked for yet, or fetched from a position it was moved away from: ignore.
    if (w === undefined || w.next < 0) return;
    const recs = batch.records;
    let added = 0;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i]!;
      if (r.offset < w.next) continue;
      w.records.push(r);
      w.next = r.offset + 1;
      added++;
    }
    // Past the batch's last entry (e.g. a transaction marker, or a batch of only markers or aborted
    // records) the next fetch position is after it: a read there must not wait for records that never come.
    if (batch.lastOffset >= 0 && batch.lastOffset + 1 > w.next) w.next = batch.lastOffset + 1;
    if (batch.highWatermark >= 0) w.high = Math.max(w.high, batch.highWatermark);
    w.wake();
    if (w.records.length >= MAX_CACHED && !w.paused) {
      w.paused = true;
      this.consumer.pause(batch.partition);
    }
    if (added > 0) this.onRecords(this.topic);
  }

  private resume(partition: number, w: PartitionWindow): void {
    if (!w.paused) return;
    w.paused = false;
    this.consumer.resume(partition);
  }
}
