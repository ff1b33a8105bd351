import type { FormatSpec } from '../common/formats.js';
import type { LogicalSchema } from './schema.js';
import type { WindowType } from '../common/windows.js';

/** How a windowed source's keys are windowed. `sizeMs` is known for time windows. */
export interface WindowInfo {
  readonly type: WindowType;
  readonly sizeMs?: number;
}

/**
 * A stream or table in the metastore. Invariants: `schema` names are unique;
 * `topic` exists in the log while the source exists; a TABLE has at least one key
 * column unless created by an aggregation without GROUP BY columns (never).
 */
export interface DataSource {
  readonly name: string;
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly schema: LogicalSchema;
  readonly topic: string;
  readonly keyFormat: FormatSpec;
  readonly valueFormat: FormatSpec;
  /** Value column whose value is the event time, instead of the record timestamp. */
  readonly timestampColumn?: string;
  /** Java-style pattern to parse a STRING timestamp column. */
  readonly timestampFormat?: string;
  /** Set when the key is windowed (a windowed aggregation's output, or WINDOW_TYPE). */
  readonly window?: WindowInfo;
  /** CREATE SOURCE: read-only. */
  readonly isSource: boolean;
  /** The statement that created the source. */
  readonly sqlText: string;
  /** Id of the persistent query that writes it (CSAS/CTAS), if any. */
  readonly writerQueryId?: string;
}
