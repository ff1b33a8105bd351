import type { ProcessingLogger } from '../../common/processing-log.js';
import type { RecordHeader } from '../log/log.js';

import type { WindowBounds } from '../../common/windows.js';

export type { WindowBounds };

/**
 * The unit operators pass to each other. `row` follows the emitting node's
 * RowSchema; null is a tombstone (tables only). `old` is the previous row of the
 * key when the emitting node is a table that tracks it (needed to retract
 * contributions in table aggregations); undefined = unknown.
 */
export interface Rec {
  /** Key column values; null for a record whose key bytes were null. */
  key: unknown[] | null;
  row: unknown[] | null;
  old?: unknown[] | null;
  ts: number;
  window: WindowBounds | null;
  partition: number;
  offset: number;
  headers: readonly RecordHeader[];
}

/** A push-based operator: records flow in through `process`, synchronously. */
export interface Operator {
  process(rec: Rec): void;
}

/**
 * What every operator of one query is built with, passed whole (last) rather
 * than as loose trailing parameters: the query's id, which each processing-log
 * entry names, and the processing log. State stores are not in it: the
 * topology opens each by a name that carries the step's index, and hands it to
 * the one operator that owns it.
 */
export interface OperatorContext {
  readonly queryId: string;
  readonly log: ProcessingLogger;
}
