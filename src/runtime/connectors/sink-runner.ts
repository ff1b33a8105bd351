/**
 * Runs one built-in sink task: reads its topic's partitions from the task's own
 * positions (SinkTask.open) or the positions committed under
 * `_sluice-connector-<name>`, decodes batches with the source's serdes, hands
 * them to `put`, routes failures by `errors.tolerance` and the dead-letter
 * topic, then commits the positions after the batch. It waits on the log's
 * append notifications, never polling a quiet topic. Delivery is
 * at-least-once, exactly-once for tasks that keep their positions with their data.
 */
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { DataSource } from '../../planner/data-source.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import type { Log, LogRecord } from '../log/log.js';
import type { SinkFailure, SinkRow, SinkTask } from './builtin-plugin.js';
import { type ErrorPolicy, type FailureContext, failureTrace, withRetries, writeDeadLetters } from './error-handling.js';
import { RunnerSignal } from './runner-signal.js';
import type { ConnectorRunner, TaskState } from './runner-status.js';
import { SinkDecodeError, SinkRowDecoder } from './sink-decoder.js';

/** The consumer group a built-in sink commits its positions under. */
export function sinkGroup(connector: string): string {
  return `_sluice-connector-${connector}`;
}

/** What a {@link SinkRunner} needs. */
export interface SinkRunnerOptions {
  readonly connector: string;
  /** The plugin's class name (the dead-letter headers' `class.name` for put failures). */
  readonly className: string;
  readonly source: DataSource;
  readonly task: SinkTask;
  readonly log: Log;
  readonly registry: SchemaRegistry | undefined;
  readonly logger: ProcessingLogger;
  readonly policy: ErrorPolicy;
  /** Most records read from one partition and put at once. */
  readonly batchSize: number;
  /**
   * How long a caught-up runner waits before reading again even without an
   * append notification: set in Kafka mode, where other producers' records
   * raise none; undefined (wait for a notification) on embedded logs.
   */
  readonly idleWaitMs?: number;
}

/** A record that failed, with what the dead-letter topic needs. */
interface Failed {
  readonly record: LogRecord;
  readonly context: FailureContext;
}

/** The loop of one sink task (see the file comment). */
export class SinkRunner implements ConnectorRunner {
  private readonly signal = new RunnerSignal();
  private current: TaskState = { state: 'RUNNING' };
  private loop: Promise<void> | undefined;
  private readonly decoder: SinkRowDecoder;

  constructor(private readonly o: SinkRunnerOptions) {
    this.decoder = new SinkRowDecoder(o.source, o.registry);
  }

  get topic(): string {
    return this.o.source.topic;
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
    const { log, task } = this.o;
    const topic = this.topic;
    const unsubscribe = log.onAppend((t) => {
      if (t === topic) this.signal.wake();
    });
    try {
      const info = await log.topic(topic);
      if (info === undefined) throw new Error(`Topic ${topic} does not exist`);
      const opened = await task.open(info.partitions);
      const positions: number[] = [];
      for (let p = 0; p < info.partitions; p++) positions.push(opened?.get(p) ?? (await log.committed(sinkGroup(this.o.connector), topic, p)) ?? 0);
      while (!this.signal.isStopped) {
        let read = 0;
        for (let p = 0; p < positions.length && !this.signal.isStopped; p++) {
          const records = await log.read(topic, p, positions[p]!, this.o.batchSize);
          if (records.length === 0) continue;
          read += records.length;
          const next = await this.process(p, records);
          if (next === undefined) return;
          positions[p] = next;
        }
        if (read === 0) await this.signal.wait(this.o.idleWaitMs);
      }
    } catch (e) {
      this.fail(failureTrace('Exiting WorkerSinkTask due to unrecoverable exception.', e as Error));
    } finally {
      unsubscribe();
      await task.close().catch(() => undefined);
    }
  }

  /** Puts one partition's batch; the next position, or undefined when the task failed. */
  private async process(partition: number, records: readonly LogRecord[]): Promise<number | undefined> {
    const o = this.o;
    const rows: SinkRow[] = [];
    const failed: Failed[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      try {
        rows.push(this.decoder.decode(r, partition));
      } catch (e) {
        if (!(e instanceof SinkDecodeError)) throw e;
        o.logger.error({ queryId: o.connector, message: e.message, type: 'DESERIALIZATION_ERROR', topic: this.topic, partition, offset: r.offset });
        failed.push({ record: r, context: this.context(r, partition, e.stage, `sluice.serde.${formatOf(o.source, e.stage)}`, e.reason) });
        // The task fails at this record: only the rows before it are put.
        if (o.policy.tolerance === 'none') break;
      }
    }
    if (rows.length > 0) {
      let refused: readonly SinkFailure[];
      try {
        refused = await withRetries(o.policy, this.signal, () => o.task.put(rows));
      } catch (e) {
        if (o.policy.tolerance === 'none') {
          this.fail(failureTrace('Exiting WorkerSinkTask due to unrecoverable exception.', e as Error));
          return undefined;
        }
        refused = rows.map((row) => ({ row, error: e as Error }));
      }
      for (const f of refused) {
        const r = recordAt(records, f.row.offset);
        failed.push({ record: r, context: this.context(r, partition, 'TASK_PUT', o.className, f.error) });
      }
    }
    const last = records[records.length - 1]!.offset + 1;
    // Stopped mid-put (a sink gave up on a retry): leave the batch for the next start.
    if (failed.length > 0 && this.signal.isStopped) return undefined;
    if (failed.length === 0) {
      await o.log.commit(sinkGroup(o.connector), this.topic, partition, last);
      return last;
    }
    failed.sort((a, b) => a.record.offset - b.record.offset);
    await writeDeadLetters(
      o.log,
      o.policy,
      failed.map((f) => ({ key: f.record.key, value: f.record.value, timestamp: f.record.timestamp, context: f.context })),
    );
    if (o.policy.tolerance === 'none') {
      // Rows before the first failure are in the target: resume at the failed record.
      const first = failed[0]!;
      await o.log.commit(sinkGroup(o.connector), this.topic, partition, first.record.offset);
      this.fail(failureTrace('Tolerance exceeded in error handler', first.context.error));
      return undefined;
    }
    await o.log.commit(sinkGroup(o.connector), this.topic, partition, last);
    return last;
  }

  private context(r: LogRecord, partition: number, stage: FailureContext['stage'], className: string, error: Error): FailureContext {
    return { topic: this.topic, partition, offset: r.offset, connector: this.o.connector, stage, className, error };
  }

  private fail(trace: string): void {
    this.current = { state: 'FAILED', trace };
  }
}

/** The record at `offset` in a batch read in offset order. */
function recordAt(records: readonly LogRecord[], offset: number): LogRecord {
  const guess = records[offset - records[0]!.offset];
  if (guess?.offset === offset) return guess;
  const found = records.find((r) => r.offset === offset);
  if (found === undefined) throw new Error(`put returned a row at offset ${offset}, not in the batch`);
  return found;
}

function formatOf(source: DataSource, stage: 'KEY_CONVERTER' | 'VALUE_CONVERTER'): string {
  return stage === 'KEY_CONVERTER' ? source.keyFormat.format : source.valueFormat.format;
}
