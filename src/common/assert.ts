import { InternalError } from './errors.js';

/** Marks a branch the type checker proves unreachable; ends every exhaustive `switch`. */
export function assertNever(x: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(x)}`);
}
