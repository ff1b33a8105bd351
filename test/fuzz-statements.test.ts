import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SETUP, corpusFromTests, generate, runFuzz } from '../scripts/fuzz-statements.mjs';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { DIST, describeIf } from './helpers/describe-if.js';

/**
 * Issue 13: a bounded statement fuzz against the real server process. A few
 * hundred statements, mutated from this project's tests or built to hit every
 * limit, with a fixed seed: none may answer 5xx, answer an error outside
 * ksqlDB's shape, or go unanswered. Longer runs: `node scripts/fuzz.mjs --seed N --count N`.
 */
const SEED = 13;
const COUNT = 300;

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describeIf(BUNDLE_BUILT, DIST)('statement fuzz (real server)', () => {
  it(`answers ${COUNT} fuzzed statements (seed ${SEED}) with no 5xx, no foreign error shape and no hang`, async () => {
    server = await startServerProcess();
    const statements = [...SETUP, ...generate(SEED, COUNT, corpusFromTests(path.dirname(new URL(import.meta.url).pathname)))];
    const { figures, findings } = await runFuzz(server.url, statements, { timeoutMs: 20_000 });
    console.log(
      `fuzz seed ${SEED}: ${figures.tried} requests, ${figures.ok} ok, ${figures.cleanErrors} clean errors, ${figures.serverErrors} 5xx, ${figures.badShape} bad shapes, ${figures.hangs} hangs`,
    );
    const shown = findings.map((f) => `${f.kind} ${f.endpoint} ${f.detail}\n  ${f.sql.slice(0, 200)}`);
    expect(shown).toEqual([]);
    expect(figures.tried).toBeGreaterThanOrEqual(COUNT);
    expect(figures.serverErrors + figures.badShape + figures.hangs).toBe(0);
    // The server is still up and answering after the run.
    expect((await fetch(`${server.url}/info`, { signal: AbortSignal.timeout(20_000) })).status).toBe(200);
  }, 120_000);
});
