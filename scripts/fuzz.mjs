#!/usr/bin/env node
/**
 * Longer statement-fuzzing runs than the one in `npm test`:
 *   node scripts/fuzz.mjs [--seed N] [--count N] [--url http://host:port]
 * Without --url it starts `bin/sluice.js server` on port 0 over a fresh data
 * directory (build first). Prints the figures and every finding; exits 1 when
 * there is a 5xx, a non-ksqlDB error body, or a request without an answer.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SETUP, corpusFromTests, generate, runFuzz } from './fuzz-statements.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '13' },
    count: { type: 'string', default: '2000' },
    url: { type: 'string' },
    timeout: { type: 'string', default: '30000' },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);

let url = values.url;
let child;
let dir;
let stderr = '';
if (!url) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-fuzz-'));
  child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'sluice.js'), 'server', '--port', '0', '--data-dir', path.join(dir, 'data'), '--no-schema-registry'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr.on('data', (c) => (stderr += c.toString()));
  url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
}
const started = Date.now();
const statements = [...SETUP, ...generate(seed, count, corpusFromTests(path.join(root, 'test')))];
const { figures, findings } = await runFuzz(url, statements, {
  timeoutMs: Number(values.timeout),
  onFinding: (f) =>
    console.log(`${f.kind} ${f.endpoint}: ${f.detail}\n  statement: ${f.sql.length > 300 ? `${f.sql.slice(0, 300)}... (${f.sql.length} chars)` : f.sql}`),
});
console.log(
  `seed ${seed}, ${statements.length} statements, ${figures.tried} requests in ${((Date.now() - started) / 1000).toFixed(1)} s: ${figures.ok} ok, ${figures.cleanErrors} clean errors, ${figures.serverErrors} 5xx, ${figures.badShape} bad error shapes, ${figures.hangs} hangs`,
);
if (child) {
  child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(findings.length > 0 ? 1 : 0);
