import { ExecutionError } from '../../common/errors.js';

/**
 * A function refused its arguments while processing a row: ksqlDB's
 * KsqlFunctionException. The expression evaluating the call yields null (or,
 * for table-function arguments, the record is dropped) and the message is what
 * the processing log reports.
 */
export class FunctionArgumentError extends ExecutionError {}

/**
 * The most elements, rows, characters or bytes one call may build from a size
 * argument: 2^20, the ~1M output rows ksqlDB's CUBE_EXPLODE cap of 20 columns
 * allows. Larger requests would hold the query for seconds or exhaust memory on
 * a single row, so they fail with a {@link FunctionArgumentError} instead.
 */
export const MAX_GENERATED_SIZE = 1 << 20;

/**
 * Throws when `size` (what the call would build) is over {@link MAX_GENERATED_SIZE}:
 * `"<fn> <what> (<size>) exceeds the maximum of 1048576."`.
 */
export function checkGeneratedSize(fn: string, what: string, size: number): void {
  if (size > MAX_GENERATED_SIZE) {
    throw new FunctionArgumentError(`${fn} ${what} (${size}) exceeds the maximum of ${MAX_GENERATED_SIZE}.`);
  }
}
