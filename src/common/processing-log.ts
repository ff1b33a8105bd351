/** An entry of the processing log: a record that could not be processed, and why. */
export interface ProcessingLogEntry {
  readonly queryId: string;
  readonly message: string;
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
