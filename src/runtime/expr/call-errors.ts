import type { ProcessingLogger } from '../../common/processing-log.js';

/** Where the record being processed came from: what a processing-log entry names. */
export interface RecordOrigin {
  readonly partition: number;
  readonly offset: number;
}

/**
 * Where a query's compiled expressions report a function call that failed. The
 * call yields null and the query goes on, as in ksqlDB (its nested error
 * handling logs "Error processing <function>" with the record); nothing is
 * dropped without a processing-log entry. `at` is the record being processed:
 * the query's sources set it as they pass each record on (processing is
 * synchronous, so it is the record whose evaluation failed).
 */
export class CallErrors {
  at: RecordOrigin | undefined;

  constructor(
    private readonly log: ProcessingLogger,
    private readonly queryId: string,
  ) {}

  report(fn: string, e: unknown): void {
    const at = this.at;
    this.log.error({
      queryId: this.queryId,
      message: `Error processing ${fn}: ${e instanceof Error ? e.message : String(e)}`,
      ...(at ? { partition: at.partition, offset: at.offset } : {}),
    });
  }
}
