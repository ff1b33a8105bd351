/**
 * Writes an operator-facing warning to stderr (`sluice: warning: …`): damage
 * found and handled in the data directory (a torn tail cut off, state rebuilt).
 * The one home of this format; components take a `warn` option defaulting to it.
 */
export function warn(message: string): void {
  process.stderr.write(`sluice: warning: ${message}\n`);
}
