/**
 * What kind of failure an entry reports, as ksqlDB's processing-log `MESSAGE->TYPE`
 * (0 deserialization, 1 record processing, 2 production, 3 serialization).
 */
export type ProcessingLogErrorType = 'DESERIALIZATION_ERROR' | 'RECORD_PROCESSING_ERROR' | 'PRODUCTION_ERROR' | 'SERIALIZATION_ERROR';

/** An entry of the processing log: a record that could not be processed, and why. */
export interface ProcessingLogEntry {
  readonly queryId: string;
  readonly message: string;
  /** Absent: a record-processing error (an expression, a join or an aggregation failed on it). */
  readonly type?: ProcessingLogErrorType;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
}

/**
 * Where operators report records they skip or values they could not compute.
 * Implementations must not throw: a report never stops a query.
 */
export interface ProcessingLogger {
  error(entry: ProcessingLogEntry): void;
}
