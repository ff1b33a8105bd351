/**
 * Runs one built-in source task: polls it and appends what it produced to the
 * connector's topic, with the task's position after the batch stored in the
 * same append, as a header on the last record appended to each partition. On
 * start the position is recovered by scanning the tail of the topic's
 * partitions for this connector's newest header, so a crash at any point
 * neither loses nor repeats records: what reached the log carries its own
 * position. Records with a null key go to partition 0; keyed records to their
 * key's partition (Kafka's murmur2 partitioner). A batch spread over several
 * partitions that a crash cut short is undone (truncated) where the log allows
 * it and nothing was appended after it; otherwise it is polled again
 * (at-least-once for that batch). So is an append torn inside one partition
 * (the log cut off its last records, the header among them): the first record
 * of every append of several records carries a {@link BATCH_HEADER} that says
 * how many follow.
 */
import type { Log, NewRecord } from '../log/log.js';
import { partitionFor } from '../log/murmur2.js';
import type { SourceRecord, SourceTask } from './builtin-plugin.js';
import { ensureTopic } from './ensure-topic.js';
import { type ErrorPolicy, failureTrace, withRetries } from './error-handling.js';
import { RunnerSignal } from './runner-signal.js';
import type { ConnectorRunner, TaskState } from './runner-status.js';

/** The header carrying a source connector's position (a JSON {@link PositionMark}). */
export const POSITION_HEADER = '__sluice.connector.position';

/** The header on the first record of an append of several (a JSON {@link BatchStart}): finds appends torn by a crash. */
export const BATCH_HEADER = '__sluice.connector.batch';

/** What a {@link BATCH_HEADER} holds. */
export interface BatchStart {
  readonly connector: string;
  readonly seq: number;
  /** The records of the append, this one included. */
  readonly count: number;
}

/** How long a source that had nothing new waits before polling again (Connect's FileStreamSource waits 1 s). */
export const SOURCE_IDLE_WAIT_MS = 200;

/** Records read at once while scanning a partition's tail for the last position. */
const SCAN_CHUNK = 500;

/** What a source's position header holds. */
export interface PositionMark {
  readonly connector: string;
  /** The batch's number: batches of one connector are numbered 1, 2, … */
  readonly seq: number;
  /** The task's position after the batch, and before it. */
  readonly position: string | undefined;
  readonly from: string | undefined;
  /** The partitions the batch was appended to, and how many of its records went to this one. */
  readonly partitions: readonly number[];
  readonly count: number;
}

/** A source connector's topic: `topic` (FileStream) or `kafka.topic` (datagen); undefined when neither is set. */
export function sourceTopic(config: Readonly<Record<string, string>>): string | undefined {
  const t = (config['topic'] ?? config['kafka.topic'] ?? '').trim();
  return t === '' ? undefined : t;
}

/** What a {@link SourceRunner} needs. */
export interface SourceRunnerOptions {
  readonly connector: string;
  readonly topic: string;
  readonly task: SourceTask;
  readonly log: Log;
  readonly policy: ErrorPolicy;
  /** Most records asked of one poll. */
  readonly batchSize: number;
}

/** The loop of one source task (see the file comment). */
export class SourceRunner implements ConnectorRunner {
  private readonly signal = new RunnerSignal();
  private current: TaskState = { state: 'RUNNING' };
  private loop: Promise<void> | undefined;

  constructor(private readonly o: SourceRunnerOptions) {}

  get topic(): string {
    return this.o.topic;
  }

  get state(): TaskState {
    return this.current;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.signal.stop();
    await this.loop;
    if (this.current.state === 'RUNNING') this.current = { state: 'UNASSIGNED' };
  }

  private async run(): Promise<void> {
    const { log, task, topic, policy } = this.o;
    try {
      await ensureTopic(log, topic);
      const partitions = (await log.topic(topic))!.partitions;
      let { position, seq } = await recoverPosition(log, topic, partitions, this.o.connector);
      while (!this.signal.isStopped) {
        const from = position;
        const batch = await withRetries(policy, this.signal, () => task.poll(from, this.o.batchSize));
        if (this.signal.isStopped) return;
        if (batch.records.length === 0) {
          await this.signal.wait(SOURCE_IDLE_WAIT_MS);
          continue;
        }
        seq++;
        await this.append(batch.records, partitions, { connector: this.o.connector, seq, position: batch.position, from, partitions: [], count: 0 });
        position = batch.position;
      }
    } catch (e) {
      this.current = { state: 'FAILED', trace: failureTrace('WorkerSourceTask stopped on an unrecoverable exception.', e as Error) };
    } finally {
      await task.close().catch(() => undefined);
    }
  }

  /** Appends one batch, one append per partition, each ending with the position header. */
  private async append(records: readonly SourceRecord[], partitions: number, mark: PositionMark): Promise<void> {
    const byPartition = new Map<number, NewRecord[]>();
    const now = Date.now();
    for (const r of records) {
      const p = r.key === null || partitions === 1 ? 0 : partitionFor(r.key, partitions);
      let run = byPartition.get(p);
      if (run === undefined) byPartition.set(p, (run = []));
      run.push({ key: r.key, value: r.value, timestamp: r.timestamp ?? now });
    }
    const used = [...byPartition.keys()].sort((a, b) => a - b);
    for (const p of used) {
      const run = byPartition.get(p)!;
      const last = run[run.length - 1]!;
      const header = { ...mark, partitions: used, count: run.length };
      run[run.length - 1] = { ...last, headers: [{ key: POSITION_HEADER, value: Buffer.from(JSON.stringify(header), 'utf8') }] };
      if (run.length > 1) {
        const start: BatchStart = { connector: mark.connector, seq: mark.seq, count: run.length };
        run[0] = { ...run[0]!, headers: [{ key: BATCH_HEADER, value: Buffer.from(JSON.stringify(start), 'utf8') }] };
      }
      await this.o.log.append(this.o.topic, p, run);
    }
  }
}

/**
 * This connector's newest position header in one partition, and the offset of
 * its record. An append of this connector whose start is found before its end
 * (torn by a crash) is cut off first when the log can and it is the tail.
 */
async function lastMark(log: Log, topic: string, partition: number, connector: string): Promise<{ mark: PositionMark; offset: number } | undefined> {
  let end = await log.endOffset(topic, partition);
  const tail = end;
  while (end > 0) {
    const start = Math.max(0, end - SCAN_CHUNK);
    const records = await log.read(topic, partition, start, end - start);
    for (let i = records.length - 1; i >= 0; i--) {
      const headers = records[i]!.headers;
      if (headers === undefined) continue;
      for (const h of headers) {
        if (h.value === null) continue;
        if (h.key === POSITION_HEADER) {
          const mark = parseJson<PositionMark>(h.value);
          if (mark?.connector === connector && typeof mark.seq === 'number' && Array.isArray(mark.partitions)) return { mark, offset: records[i]!.offset };
        } else if (h.key === BATCH_HEADER) {
          const torn = parseJson<BatchStart>(h.value);
          const offset = records[i]!.offset;
          if (torn?.connector === connector && log.truncate !== undefined && tail - offset < torn.count) await log.truncate(topic, partition, offset);
        }
      }
    }
    if (records.length === 0) break;
    end = records[0]!.offset;
  }
  return undefined;
}

function parseJson<T>(bytes: Buffer): T | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Where a source connector resumes: the position of its newest batch that
 * reached every partition it was bound for. A newer batch cut short is undone
 * where it can be (see the file comment) and polled again from before it.
 */
export async function recoverPosition(
  log: Log,
  topic: string,
  partitions: number,
  connector: string,
): Promise<{ readonly position: string | undefined; readonly seq: number }> {
  const found = new Map<number, { mark: PositionMark; offset: number }>();
  for (let p = 0; p < partitions; p++) {
    const m = await lastMark(log, topic, p, connector);
    if (m !== undefined) found.set(p, m);
  }
  let newest: PositionMark | undefined;
  for (const { mark } of found.values()) if (newest === undefined || mark.seq > newest.seq) newest = mark;
  if (newest === undefined) return { position: undefined, seq: 0 };
  const seq = newest.seq;
  if (newest.partitions.every((p) => found.get(p)?.mark.seq === seq)) return { position: newest.position, seq };
  for (const p of newest.partitions) {
    const m = found.get(p);
    if (m === undefined || m.mark.seq !== seq || log.truncate === undefined) continue;
    if ((await log.endOffset(topic, p)) === m.offset + 1) await log.truncate(topic, p, m.offset + 1 - m.mark.count);
  }
  return { position: newest.from, seq };
}
