import type { EngineEvents } from '../../common/engine-events.js';
import type { QueryMetrics } from '../../runtime/query/query-stats.js';
import type { Log, RecordHeader } from '../../runtime/log/log.js';
import type { ProcessingLogEntry } from '../../common/processing-log.js';
import type { StatementResult } from '../../runtime/statements/statement-result.js';
import type { RequestOptions, TransientQuery } from '../../runtime/query/transient-query.js';
import type { PreparedStatement } from '../../runtime/engine/prepare.js';

/** A persistent query as the server needs to see it (SHOW QUERIES, /clusterStatus). */
export interface PersistentQueryView {
  readonly id: string;
  readonly statementText: string;
  readonly state: string;
}

/** Writes parsed JSON rows into one stream or table; see the engine's `JsonRowInserter`. */
export interface RowInserter {
  /** One line of JSON as the target's reader parses it; undefined when it is not a JSON object. */
  parse(text: string): Record<string, unknown> | undefined;
  /** Appends the rows that fit (one append per partition run); resolves with each row's error or undefined once appended. */
  insert(rows: readonly Readonly<Record<string, unknown>>[]): Promise<readonly (Error | undefined)[]>;
}

/** One record for {@link ServerEngine.produce}. */
export interface ProduceRecord {
  readonly key?: unknown;
  readonly value: unknown;
  readonly partition?: number;
  /** Event time in epoch ms; default: now. */
  readonly timestamp?: number;
  readonly headers?: readonly RecordHeader[];
}

/**
 * What the REST server needs from the engine: the contract of
 * `src/runtime/engine/engine.ts`'s `Engine`. The server is written against this port
 * so that it can be tested and started independently of how the engine is
 * built.
 */
export interface ServerEngine {
  execute(sql: string, opts?: RequestOptions): Promise<StatementResult[]>;
  /** Executes one statement the server prepared (split, substituted, parsed) already. */
  executePrepared(statement: PreparedStatement, opts?: RequestOptions): Promise<StatementResult>;
  /** Starts a transient query (SELECT or PRINT) the server prepared already. */
  startPrepared(statement: PreparedStatement, opts?: RequestOptions): Promise<TransientQuery>;
  /**
   * Whether the statement would run as a scalable push query: ksqlDB bounds
   * only ordinary push queries by `ksql.max.push.queries`.
   */
  isScalablePush?(statement: PreparedStatement, opts?: RequestOptions): boolean;
  insert(target: string, row: Record<string, unknown>): Promise<void>;
  /** Writes JSON rows into a stream or table a batch at a time (throws for an unknown target). */
  inserter(target: string): RowInserter;
  produce(topic: string, records: readonly ProduceRecord[]): Promise<readonly { partition: number; offset: number }[]>;
  close(): Promise<void>;
  readonly commandSequenceNumber: number;
  readonly queries: ReadonlyMap<string, PersistentQueryView>;
  readonly processingLog: readonly ProcessingLogEntry[];
  /** Kafka mode: every server of the service, as `/clusterStatus`'s `clusterStatus` (undefined: a single embedded server). */
  clusterStatus?(): Record<string, unknown> | undefined;
  readonly log: Log;
  /** Adds a listener of engine events (statements, query starts and stops); returns how to remove it. */
  subscribe?(listener: EngineEvents): () => void;
  /** Every persistent query's counters, lag and state size, for `/metrics`. */
  queryMetrics?(): Promise<readonly QueryMetrics[]>;
}
