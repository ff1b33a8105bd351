/**
 * How `sluice migrations` reports: ksql-migrations' messages, info lines on
 * stdout and warnings and errors on stderr, one message a line.
 */

/** A failure the command reports with its message and exit code 1. */
export class MigrationsError extends Error {}

/** Where a migrations command writes its messages. */
export interface MigrationsLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The log of the `sluice migrations` process: stdout and stderr. */
export const consoleLog: MigrationsLog = {
  info: (m) => process.stdout.write(`${m}\n`),
  warn: (m) => process.stderr.write(`WARNING: ${m}\n`),
  error: (m) => process.stderr.write(`ERROR: ${m}\n`),
};
