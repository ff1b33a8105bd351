import type { Log, LogRecord } from '../log/log.js';
import type { Rec } from '../operators/record.js';
import type { SourceOperator } from '../operators/source.js';

/**
 * How long a task waits for an input that has no record while others have some
 * (Kafka Streams' `max.task.idle.ms`, whose default ksqlDB keeps): 0 = go on
 * without an input only once it is known to be at its end (a read answered
 * empty); more = wait up to that many milliseconds for it to get a record first;
 * -1 = never wait.
 */
export type MaxTaskIdleMs = number;

/**
 * The records of one input partition read ahead of processing, in offset order.
 * Only the head is decoded (just in time, so decoded rows die young instead of
 * a whole batch of them outliving the allocator's nursery).
 */
class InputQueue {
  private raw: readonly LogRecord[] = [];
  /** Index in `raw` of the next record to decode. */
  private next = 0;
  /** The decoded head; undefined when every record read is processed. */
  head: Rec | undefined;

  /** `readTo`: the offset after the last log record read into the queue (decoded or skipped). */
  constructor(public readTo: number) {}

  /** Takes a batch read from the log (the queue is empty). */
  load(raw: readonly LogRecord[], op: SourceOperator, partition: number): void {
    this.raw = raw;
    this.next = 0;
    this.readTo = raw[raw.length - 1]!.offset + 1;
    this.advance(op, partition);
  }

  /** Drops the head and decodes the next record that is not skipped. */
  advance(op: SourceOperator, partition: number): void {
    this.head = undefined;
    const raw = this.raw;
    while (this.head === undefined && this.next < raw.length) this.head = op.decode(raw[this.next++]!, partition);
    if (this.head === undefined) this.raw = [];
  }

  /** Where the input's position stands once every record before the head is processed. */
  position(): number {
    return this.head !== undefined ? this.head.offset : this.readTo;
  }
}

/** One partition of a source feeding a task: where it is read from and the operator its records enter. */
export interface TaskInput {
  /** Index of the source in the query (its row in the positions). */
  readonly source: number;
  readonly partition: number;
  readonly topic: string;
  readonly op: SourceOperator;
}

/** What one {@link TaskInputs.run} did. */
export interface TaskRun {
  /** Records passed to the operators. */
  readonly processed: number;
  /** Milliseconds until an input the task is idling for stops being waited for; undefined = not idling. */
  readonly idleFor?: number;
}

/**
 * The inputs of one task (in Kafka mode partition p of every source of a query;
 * embedded, every partition of every source), processed in event-time order as Kafka Streams' `PartitionGroup` does: among
 * the inputs with records read ahead, the record with the lowest timestamp goes
 * next (on a tie, tables before streams, then the earlier source), so a join
 * over data already in its topics sees each side as it was at each record's
 * time, whatever order the records were written in or read. Records of one input
 * keep their offset order. An input without records is waited for (it is read
 * again) until a read answers empty, i.e. it is at its end; then the others go on
 * without it, unless `max.task.idle.ms` asks to wait longer.
 *
 * Records are read in batches and passed on in runs: the lowest input's records
 * up to the next input's head time go through in one synchronous loop.
 * Positions advance only over records passed on, so a checkpoint taken between
 * runs is exact and records read ahead are simply read again after a restart.
 */
export class TaskInputs {
  private readonly queues: (InputQueue | undefined)[];
  /** When the task started waiting for an empty input (wall clock, ms). */
  private idleSince: number | undefined;

  constructor(
    private readonly inputs: readonly TaskInput[],
    private readonly batch: number,
  ) {
    this.queues = inputs.map(() => undefined);
  }

  /** Drops the records read ahead (after positions were moved underneath, e.g. a restore). */
  reset(): void {
    this.queues.fill(undefined);
    this.idleSince = undefined;
  }

  /**
   * Processes up to `max` records in event-time order, moving `positions[source][partition]`
   * of each input past what it processed.
   */
  async run(log: Log, positions: number[][], max: number, idleMs: MaxTaskIdleMs): Promise<TaskRun> {
    const n = this.inputs.length;
    let processed = 0;
    while (processed < max) {
      let available = 0;
      let starved = false;
      for (let i = 0; i < n; i++) {
        const input = this.inputs[i]!;
        const p = input.partition;
        let q = this.queues[i];
        if (q === undefined) {
          q = new InputQueue(positions[input.source]![p]!);
          this.queues[i] = q;
        }
        while (q.head === undefined) {
          const raw = await log.read(input.topic, p, q.readTo, this.batch);
          if (raw.length === 0) break; // at its end
          q.load(raw, input.op, p);
          if (q.head === undefined) positions[input.source]![p] = q.readTo; // every record skipped: move past them
        }
        if (q.head === undefined) starved = true;
        else available++;
      }
      if (available === 0) break;
      if (starved && idleMs > 0) {
        const now = Date.now();
        this.idleSince ??= now;
        const left = this.idleSince + idleMs - now;
        if (left > 0) return { processed, idleFor: left };
      } else if (!starved) this.idleSince = undefined;
      processed += this.runLowest(positions, max - processed);
    }
    return { processed };
  }

  /**
   * Passes on the records of the input whose head is earliest, up to the next
   * input's head time (or `max`); returns how many.
   */
  private runLowest(positions: number[][], max: number): number {
    const n = this.inputs.length;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (this.queues[i]?.head === undefined) continue;
      if (best < 0 || this.before(i, best)) best = i;
    }
    const q = this.queues[best]!;
    const input = this.inputs[best]!;
    const op = input.op;
    // The earliest other head: records of `best` go while they still come before it.
    let other = -1;
    for (let j = 0; j < n; j++) {
      if (j === best || this.queues[j]?.head === undefined) continue;
      if (other < 0 || this.before(j, other)) other = j;
    }
    const limit = other < 0 ? Infinity : this.queues[other]!.head!.ts;
    const inclusive = other < 0 || this.rank(best) < this.rank(other);
    let count = 0;
    for (let rec = q.head; rec !== undefined && count < max; rec = q.head) {
      if (rec.ts > limit || (rec.ts === limit && !inclusive)) break;
      q.advance(op, input.partition);
      count++;
      op.emit(rec);
    }
    positions[input.source]![input.partition] = q.position();
    return count;
  }

  /** Whether input i's head record goes before input j's. */
  private before(i: number, j: number): boolean {
    const ta = this.queues[i]!.head!.ts;
    const tb = this.queues[j]!.head!.ts;
    return ta < tb || (ta === tb && this.rank(i) < this.rank(j));
  }

  /** Order among inputs whose heads have the same time: tables first, then as listed (by source, then partition). */
  private rank(i: number): number {
    return (this.inputs[i]!.op.isTable ? 0 : this.inputs.length) + i;
  }
}

/** `max.task.idle.ms` as set for a query (plain or `ksql.streams.`-prefixed); 0 when unset or not a number. */
export function maxTaskIdleMs(properties: Readonly<Record<string, string>>): MaxTaskIdleMs {
  const text = properties['max.task.idle.ms'] ?? properties['ksql.streams.max.task.idle.ms'];
  const ms = text === undefined ? 0 : Number(text.trim());
  return Number.isFinite(ms) ? Math.max(-1, Math.trunc(ms)) : 0;
}
