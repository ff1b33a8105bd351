import { describe, it } from 'vitest';

/**
 * `describe` for a suite that needs something a checkout or machine may lack
 * (the built `dist/` that `npm test` makes before running vitest; a tool such as
 * openssl or `script`): runs it when `available`;
 * otherwise skips it, except under `CI=true`, where the suite fails with what is
 * missing instead of passing by not running (as the Kafka suite does).
 */
export function describeIf(available: boolean, what: string): (name: string, fn: () => void) => void {
  if (available) return (name, fn) => describe(name, fn);
  if (process.env.CI === 'true') {
    return (name) =>
      describe(name, () => {
        it(`needs ${what}`, () => {
          throw new Error(`${what} is missing; under CI=true a suite that cannot run fails`);
        });
      });
  }
  return (name, fn) => describe.skip(name, fn);
}

/** `it` for one test that needs something a machine may lack: the same rule as {@link describeIf}. */
export function itIf(available: boolean, what: string): (name: string, fn: () => Promise<void> | void, timeoutMs?: number) => void {
  if (available) return (name, fn, timeoutMs) => it(name, fn, timeoutMs);
  if (process.env.CI === 'true') {
    return (name) =>
      it(`${name} (needs ${what})`, () => {
        throw new Error(`${what} is missing; under CI=true a test that cannot run fails`);
      });
  }
  return (name, fn, timeoutMs) => it.skip(name, fn, timeoutMs);
}

/** What the process suites need: `npm test` builds it (`tsc` and the bundle) before vitest. */
export const DIST = 'the built dist/ (npm run build)';
