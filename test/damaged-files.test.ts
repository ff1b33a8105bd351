import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repairDataDir } from '../cli/repair-command.js';
import { DamagedDataError } from '../src/common/errors.js';
import { Engine } from '../src/runtime/engine/engine.js';
import { DIST, describeIf } from './helpers/describe-if.js';

/**
 * Issue 13, reproducers 3-5: damaged files in the data directory are detected
 * and reported (or rebuilt from the log), never silently cut. Real files are
 * damaged on disk between two `Engine.open`s; one test goes through the real
 * `sluice server` and `sluice repair` processes.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'sluice.js');
const built = fs.existsSync(path.join(root, 'dist', 'sluice.mjs'));
const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-damaged-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const SETUP = `
  CREATE STREAM clicks (id STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
  CREATE TABLE per_page AS SELECT page, COUNT(*) AS views FROM clicks GROUP BY page;`;

async function insertClicks(engine: Engine, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) await engine.insert('CLICKS', { ID: `c${i}`, PAGE: 'home' });
  await engine.pumpAll();
}

/** The latest VIEWS of page 'home' in the table's sink topic. */
async function views(engine: Engine): Promise<unknown> {
  const records = await engine.log.read('PER_PAGE', 0, 0, 1_000_000);
  const last = records[records.length - 1];
  return last?.value ? (JSON.parse(last.value.toString('utf8')) as Record<string, unknown>)['VIEWS'] : undefined;
}

/** A data directory with the count table over `n` clicks, closed cleanly. */
async function countedDir(n: number): Promise<string> {
  const dataDir = tempDir();
  const engine = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute(SETUP);
  await insertClicks(engine, 0, n);
  expect(await views(engine)).toBe(n);
  await engine.close();
  return dataDir;
}

function segment(dataDir: string, topicPrefix: string): string {
  const topics = path.join(dataDir, 'log', 'topics');
  const d = fs.readdirSync(topics).find((n) => n.startsWith(`${topicPrefix}-`))!;
  return path.join(topics, d, '0.seg');
}

/** Flips 16 bytes in the middle of a file. */
function flipMiddle(file: string): void {
  const bytes = fs.readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  for (let i = at; i < at + 16; i++) bytes[i] = bytes[i]! ^ 0xa5;
  fs.writeFileSync(file, bytes);
}

async function openError(dataDir: string): Promise<DamagedDataError> {
  const e = await Engine.open({ dataDir, autoPump: false }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DamagedDataError);
  return e as DamagedDataError;
}

describe('damaged data directory (issue 13)', () => {
  it('#3: a segment corrupted mid-file stops start-up; after repair no later insert is skipped', async () => {
    const dataDir = await countedDir(200);
    const seg = segment(dataDir, 'clicks');
    const size = fs.statSync(seg).size;
    flipMiddle(seg);

    const err = await openError(dataDir);
    expect(err.errorCode).toBe(50000);
    expect(err.path).toBe(seg);
    expect(err.message).toMatch(
      new RegExp(
        `^Log segment ${seg} is damaged at byte \\d+: topic 'clicks' partition 0 has (\\d+) intact records .*intact records follow at byte \\d+ of ${size}, so this is not a torn write\\. `,
      ),
    );
    expect(err.message).toContain(`committed positions past it: CTAS_PER_PAGE_`);
    expect(err.message).toContain(`Run 'sluice repair --data-dir ${dataDir}'`);
    expect(fs.statSync(seg).size).toBe(size); // nothing was cut

    const done = await repairDataDir(dataDir);
    const kept = Number(/kept (\d+) intact records/.exec(done.join('\n'))![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
    expect(fs.readdirSync(path.dirname(seg)).some((n) => n.startsWith('0.seg.damaged-'))).toBe(true);

    const engine = await Engine.open({ dataDir, autoPump: false });
    expect(await engine.log.endOffset('clicks', 0)).toBe(kept);
    await insertClicks(engine, 1000, 100);
    // The 200 counted before stay counted, and every one of the 100 new inserts is counted too.
    expect(await views(engine)).toBe(300);
    await engine.close();
  });

  it('#4: a bad line in the middle of commands.jsonl stops start-up; repair keeps the later statements', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false });
    await first.execute(`
      CREATE STREAM a (id STRING KEY, v INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);
      CREATE STREAM b (id STRING KEY, v INT) WITH (kafka_topic='b', value_format='JSON', partitions=1);
      CREATE STREAM c (id STRING KEY, v INT) WITH (kafka_topic='c', value_format='JSON', partitions=1);`);
    await first.close();
    const file = path.join(dataDir, 'commands.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 20) + '\u0000garbage';
    fs.writeFileSync(file, lines.join('\n'));

    const err = await openError(dataDir);
    expect(err.path).toBe(file);
    expect(err.message).toMatch(
      new RegExp(
        `^Command log ${file} is damaged at line 2 \\(.*JSON.*\\), with statements after it: start-up stops rather than drop them\\. Run 'sluice repair --data-dir ${dataDir}' to move the bad lines aside and keep the rest\\.$`,
      ),
    );
    const done = await repairDataDir(dataDir);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatch(new RegExp(`^${file} line 2 \\(.*\\): moved to ${file}\\.damaged-.*, later statements kept$`));

    const second = await Engine.open({ dataDir, autoPump: false });
    expect(second.catalog.getSource('A')).toBeDefined();
    expect(second.catalog.getSource('B')).toBeUndefined();
    expect(second.catalog.getSource('C')).toBeDefined();
    // The next statement gets a sequence number past every one recorded.
    await second.execute(`CREATE STREAM d (id STRING KEY, v INT) WITH (kafka_topic='d', value_format='JSON', partitions=1);`);
    await second.close();
    const seqs = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('#4: a torn last line of commands.jsonl (crash mid-append) is dropped with a warning', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false });
    await first.execute(`CREATE STREAM a (id STRING KEY, v INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);`);
    await first.close();
    const file = path.join(dataDir, 'commands.jsonl');
    fs.appendFileSync(file, '{"seq":1,"sql":"CREATE STR');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let second: Engine;
    let written: string[];
    try {
      second = await Engine.open({ dataDir, autoPump: false });
    } finally {
      written = stderr.mock.calls.map((c) => String(c[0]));
      stderr.mockRestore();
    }
    expect(written).toContainEqual(
      expect.stringMatching(new RegExp(`^sluice: warning: ${file} line 2 is a torn last statement \\(.*JSON.*\\): dropped, kept in ${file}\\.damaged-`)),
    );
    expect(second.catalog.getSource('A')).toBeDefined();
    await second.close();
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('#5: a deleted state directory is rebuilt from the log, not resumed with empty state', async () => {
    const dataDir = await countedDir(50);
    fs.rmSync(path.join(dataDir, 'state'), { recursive: true });
    const engine = await Engine.open({ dataDir, autoPump: false });
    await insertClicks(engine, 1000, 25);
    expect(await views(engine)).toBe(75);
    await engine.close();
  });

  it('#5: a state .log cut in half is detected and the state rebuilt from the log', async () => {
    const dataDir = tempDir();
    const first = await Engine.open({ dataDir, autoPump: false, properties: { 'auto.offset.reset': 'earliest' } });
    await first.execute(SETUP);
    await insertClicks(first, 0, 80); // one batch: its state and checkpoint are one LevelDB write
    await first.close();
    const state = path.join(dataDir, 'state');
    const logs = fs.readdirSync(state).filter((n) => n.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) fs.truncateSync(path.join(state, l), Math.floor(fs.statSync(path.join(state, l)).size / 2));
    const engine = await Engine.open({ dataDir, autoPump: false });
    await insertClicks(engine, 1000, 20);
    expect(await views(engine)).toBe(100);
    await engine.close();
  });

  it('#5: a state directory LevelDB cannot open stops start-up; repair moves it aside and the state is rebuilt', async () => {
    const dataDir = await countedDir(40);
    const state = path.join(dataDir, 'state');
    fs.writeFileSync(path.join(state, 'CURRENT'), 'MANIFEST-999999\n');
    const err = await openError(dataDir);
    expect(err.path).toBe(state);
    expect(err.message).toMatch(
      new RegExp(
        `^State directory ${state} cannot be read \\(.+\\)\\. Run 'sluice repair --data-dir ${dataDir}' to move it aside; queries then rebuild their state from the log\\.$`,
      ),
    );
    const done = await repairDataDir(dataDir);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatch(
      new RegExp(
        `^State directory ${state} cannot be read .* Moved it to ${state}\\.damaged-.*: stateful queries rebuild their state from the log at the next start\\.$`,
      ),
    );
    const engine = await Engine.open({ dataDir, autoPump: false });
    await insertClicks(engine, 1000, 10);
    expect(await views(engine)).toBe(50);
    await engine.close();
  });

  it('#5: a truncated log/offsets.json is moved aside with a warning and counting continues', async () => {
    const dataDir = await countedDir(30);
    const offsets = path.join(dataDir, 'log', 'offsets.json');
    fs.truncateSync(offsets, 5);
    const engine = await Engine.open({ dataDir, autoPump: false });
    await insertClicks(engine, 1000, 10);
    expect(await views(engine)).toBe(40);
    await engine.close();
    expect(fs.readdirSync(path.join(dataDir, 'log')).some((n) => n.startsWith('offsets.json.damaged-'))).toBe(true);
  });
});

/** Runs `sluice <args>` to its exit. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('listening')) child.kill('SIGTERM'); // it started after all: stop it so the test can fail
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describeIf(built, DIST)('sluice server on a damaged data directory (issue 13 #3)', () => {
  it('refuses to start naming the damaged segment; sluice repair lets it start again', async () => {
    const dataDir = await countedDir(100);
    const seg = segment(dataDir, 'clicks');
    flipMiddle(seg);

    const refused = await run(['server', '--port', '0', '--no-schema-registry', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toContain('listening');
    expect(refused.stderr).toMatch(new RegExp(`^sluice: Log segment ${seg} is damaged at byte \\d+: topic 'clicks' partition 0 has \\d+ intact records`, 'm'));
    expect(refused.stderr).toContain(`Run 'sluice repair --data-dir ${dataDir}'`);

    const repaired = await run(['repair', '--data-dir', dataDir]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(
      new RegExp(
        `^repaired: topic 'clicks' partition 0, segment ${seg}: kept \\d+ intact records; moved the damaged bytes \\d+ to \\d+ to ${seg}\\.damaged-`,
        'm',
      ),
    );

    const again = await run(['repair', '--data-dir', dataDir]);
    expect(again.stdout).toBe(`sluice repair: nothing damaged in ${dataDir}\n`);
  });
});
