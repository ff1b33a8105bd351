/**
 * The contract of a built-in connector: a plugin (class name, type, config
 * check) that makes tasks. The runners (`sink-runner.ts`, `source-runner.ts`,
 * started by `builtin/builtin-connectors.ts`) own reading and writing Sluice's
 * log, offsets, retries, `errors.tolerance` and the dead-letter topic; a
 * plugin only moves rows in or out of its system.
 */
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { DataSource } from '../../planner/data-source.js';
import type { RecordHeader } from '../log/log.js';

/** A built-in connector class, listed once in the registry. */
export interface BuiltinPlugin {
  /** The class name `SHOW CONNECTOR PLUGINS` lists and `connector.class` names (Kafka Connect's, where Sluice mirrors one). */
  readonly className: string;
  /** Other accepted `connector.class` values (Connect also accepts the simple name and the simple name without `Connector`). */
  readonly aliases: readonly string[];
  readonly type: 'source' | 'sink';
  readonly version: string;
  /**
   * Connect-worded problems with a config (e.g. `Missing required configuration
   * "topic" which has no default value.`); empty when it is valid.
   */
  validate(config: Readonly<Record<string, string>>): readonly string[];
  /** Sink plugins: a task writing the rows of the source (stream or table) read from `source.topic`. */
  createSink?(config: Readonly<Record<string, string>>, context: SinkContext): SinkTask;
  /** Source plugins: a task producing records for topic `config.topic` / `kafka.topic`. */
  createSource?(config: Readonly<Record<string, string>>, context: SourceContext): SourceTask;
}

/** What a sink task is given: the connector name and the Sluice source whose topic it reads (its schema and key columns). */
export interface SinkContext {
  readonly connector: string;
  readonly source: DataSource;
  readonly logger: ProcessingLogger;
}

/**
 * One record read from a sink's topic, decoded with its source's schema:
 * `key` holds the key columns' values in schema order (empty for a keyless
 * stream), `value` the value columns' values, or null for a tombstone (a
 * table's delete). Values use the runtime representation of common/types.ts.
 */
export interface SinkRow {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: readonly unknown[];
  readonly value: readonly unknown[] | null;
  readonly headers: readonly RecordHeader[];
}

/** A row a sink could not write, and why (routed by `errors.tolerance` and the dead-letter topic). */
export interface SinkFailure {
  readonly row: SinkRow;
  readonly error: Error;
}

/**
 * A running sink. The runner calls `open` once, then `put` with batches in
 * offset order per partition, never two at once.
 */
export interface SinkTask {
  /**
   * Where to resume, per partition: the next offset to read, when the sink
   * keeps its positions with its own data (PostgreSQL: in the same
   * transaction, so a crash neither loses nor repeats rows). Undefined: the
   * runner resumes from the positions it committed after the last `put`.
   */
  open(partitions: number): Promise<ReadonlyMap<number, number> | undefined>;
  /**
   * Writes a batch. On return every row not in the result is durable in the
   * target (and, for a sink that keeps positions, so is the position after the
   * batch). Returned rows are those the target refused one by one; throwing
   * means the whole batch failed (the runner retries it with backoff).
   */
  put(rows: readonly SinkRow[]): Promise<readonly SinkFailure[]>;
  close(): Promise<void>;
}

/** What a source task is given. */
export interface SourceContext {
  readonly connector: string;
  readonly logger: ProcessingLogger;
}

/** A record a source produced: raw key and value bytes (null key: the runner spreads records over partitions). */
export interface SourceRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Event time in epoch ms; default the time it was produced. */
  readonly timestamp?: number;
}

/**
 * A running source. `position` is opaque to the runner: it is stored with the
 * records appended to the log in the same append, so a restart resumes exactly
 * after the last record that reached the log.
 */
export interface SourceTask {
  /**
   * Up to `max` records after `position` (undefined: from the start) and the
   * position after them; `records` empty when there is nothing new yet (the
   * runner polls again later).
   */
  poll(position: string | undefined, max: number): Promise<{ readonly records: readonly SourceRecord[]; readonly position: string | undefined }>;
  close(): Promise<void>;
}
