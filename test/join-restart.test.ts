/**
 * Joins over data already in their topics, in a durable engine killed with
 * SIGKILL part-way through and restarted on the same data directory: the
 * output is exactly what one uninterrupted run over the same records gives,
 * which is what event-time order across the inputs gives.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Engine } from '../src/runtime/engine/engine.js';
import { MemoryLog } from '../src/runtime/log/memory-log.js';
// Plain JavaScript, shared with the child process.
import { inputsOf, preload, scenarios } from './fixtures/join-inputs.mjs';
import { DIST, describeIf } from './helpers/describe-if.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const built = fs.existsSync(path.join(here, '..', 'dist', 'src', 'runtime', 'engine', 'engine.js'));
const RECORDS = 45_000; // more than two batches of 20,000: the kill lands between checkpoints
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every record of the sink, partition by partition: `partition|key|value|timestamp`. */
async function sink(engine: Engine): Promise<string[]> {
  const out: string[] = [];
  const partitions = (await engine.log.topic('J'))?.partitions ?? 0;
  for (let p = 0; p < partitions; p++) {
    for (const r of await engine.log.read('J', p, 0, 10_000_000)) out.push(`${p}|${r.key?.toString('utf8')}|${r.value?.toString('utf8')}|${r.timestamp}`);
  }
  return out;
}

/** The output of one uninterrupted in-memory run over the same records. */
async function reference(name: string): Promise<string[]> {
  const log = new MemoryLog();
  const engine = new Engine({ log, properties: { 'auto.offset.reset': 'earliest' } });
  const s = scenarios[name]!;
  await engine.execute(s.ddl);
  await preload(log, inputsOf(name, RECORDS));
  await engine.execute(s.csas);
  await engine.pumpAll();
  const out = await sink(engine);
  await engine.close();
  return out;
}

/** Runs the replayer on `dataDir` until it prints its first checkpointed step, then kills it. */
async function runAndKill(dataDir: string, name: string): Promise<void> {
  const child = spawn(process.execPath, [path.join(here, 'fixtures', 'join-replayer.mjs'), dataDir, name, String(RECORDS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/step \d+\n/.test(stdout)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`replayer exited (${code}) before its first step: ${stderr}`)));
  });
  expect(await exited, stderr).toBeNull(); // killed, not finished on its own
  expect(stdout).not.toMatch(/done/);
}

describeIf(built, DIST)('joins over preloaded data survive SIGKILL mid-way', () => {
  for (const name of Object.keys(scenarios)) {
    it(`${name}: restarted after SIGKILL, the output equals one uninterrupted run`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-join-kill-'));
      dirs.push(dataDir);
      await runAndKill(dataDir, name);
      const engine = await Engine.open({ dataDir, autoPump: false });
      const before = (await sink(engine)).length;
      await engine.pumpAll();
      const after = await sink(engine);
      await engine.close();
      const expected = await reference(name);
      expect(expected.length).toBeGreaterThan(0);
      // Each topic was written whole before the next: only event-time order finds these matches.
      expect(expected.filter((r) => !r.includes('null')).length).toBeGreaterThan(0);
      expect(before).toBeLessThan(expected.length); // the kill came before the end
      expect(after).toEqual(expected);
    }, 120_000);
  }
});
