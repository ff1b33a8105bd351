/**
 * The two mission examples, through the real `sluice` CLI (bin/sluice.js →
 * dist/, so run `npx tsc -p .` first), in directory mode and in
 * ksql-test-runner mode (--sql-file/--input-file/--output-file).
 *
 * The expected outputs are re-derived here by hand, independently of
 * examples/<case>/output.json, and output.json is checked against them.
 *
 * error-counts — COUNT(*) of type='ERROR' events per error_code per 1-minute
 * TUMBLING window, EMIT CHANGES (one update per counted event):
 *   web-1 @1000  ERROR 500 → window [0,60000) key 500: count 1, ts 1000
 *   web-2 @2000  INFO      → filtered out by WHERE, nothing
 *   web-2 @30000 ERROR 500 → same window and key: count 2, ts 30000
 *   web-1 @45000 ERROR 404 → [0,60000) key 404: count 1, ts 45000
 *   web-3 @61000 ERROR 500 → 61000 is in [60000,120000): new window, count 1
 * The unaliased COUNT(*) is named KSQL_COL_0; error_code moves to the key.
 *
 * possible-fraud — count() per card_number per 5-second TUMBLING window,
 * HAVING count() > 3. A group that has never passed HAVING produces no
 * record (ksqlDB only tombstones rows that were previously in the result):
 *   4111 @1000, @1500, @2500 → counts 1, 2, 3 in [0,5000): fail, nothing
 *   5500 @2000               → count 1: fails, nothing
 *   4111 @3000               → count 4 > 3: {KSQL_COL_0: 4}, ts 3000
 *   4111 @4900               → count 5: {KSQL_COL_0: 5}, ts 4900
 *   4111 @5100               → new window [5000,10000), count 1: fails and
 *                              never passed there, nothing
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sluice.js');

const expected: Record<string, unknown[]> = {
  'error-counts': [
    { topic: 'ERROR_COUNTS', key: 500, value: { KSQL_COL_0: 1 }, timestamp: 1000, window: { start: 0, end: 60000, type: 'time' } },
    { topic: 'ERROR_COUNTS', key: 500, value: { KSQL_COL_0: 2 }, timestamp: 30000, window: { start: 0, end: 60000, type: 'time' } },
    { topic: 'ERROR_COUNTS', key: 404, value: { KSQL_COL_0: 1 }, timestamp: 45000, window: { start: 0, end: 60000, type: 'time' } },
    { topic: 'ERROR_COUNTS', key: 500, value: { KSQL_COL_0: 1 }, timestamp: 61000, window: { start: 60000, end: 120000, type: 'time' } },
  ],
  'possible-fraud': [
    { topic: 'POSSIBLE_FRAUD', key: '4111-1111', value: { KSQL_COL_0: 4 }, timestamp: 3000, window: { start: 0, end: 5000, type: 'time' } },
    { topic: 'POSSIBLE_FRAUD', key: '4111-1111', value: { KSQL_COL_0: 5 }, timestamp: 4900, window: { start: 0, end: 5000, type: 'time' } },
  ],
};

let tmp: string;

/** Runs the built CLI; the examples are copied to a scratch dir so the tree's files are never rewritten. */
function sluice(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p .` before this suite');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-mission-'));
  fs.cpSync(path.join(ROOT, 'examples'), path.join(tmp, 'examples'), { recursive: true });
  for (const c of Object.keys(expected)) fs.rmSync(path.join(tmp, 'examples', c, 'actual.json'), { force: true });
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('mission examples', () => {
  it.each(Object.keys(expected))('%s/output.json matches the hand derivation', (name) => {
    const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name, 'output.json'), 'utf8')) as { outputs: unknown[] };
    expect(file.outputs).toEqual(expected[name]);
  });

  it('`sluice test examples/` passes both cases, exits 0, and writes actual.json', () => {
    const r = sluice(['test', 'examples/']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toContain('PASS error-counts');
    expect(lines).toContain('PASS possible-fraud');
    expect(lines.at(-1)).toBe('2 passed, 0 failed');
    for (const [name, outputs] of Object.entries(expected)) {
      const actual = JSON.parse(fs.readFileSync(path.join(tmp, 'examples', name, 'actual.json'), 'utf8')) as { outputs: unknown[] };
      expect(actual.outputs).toEqual(outputs);
    }
  });

  it.each(Object.keys(expected))('`sluice test --sql-file/--input-file/--output-file` passes %s', (name) => {
    const dir = path.join('examples', name);
    const r = sluice(['test', '--sql-file', `${dir}/statements.sql`, '--input-file', `${dir}/input.json`, '--output-file', `${dir}/output.json`]);
    expect(r.out).toContain('>>> Test passed!');
    expect(r.code).toBe(0);
  });

  it('a wrong expected output fails with exit code 1 in both modes', () => {
    const bad = path.join(tmp, 'bad', 'possible-fraud');
    fs.cpSync(path.join(tmp, 'examples', 'possible-fraud'), bad, { recursive: true });
    const wrong = { outputs: [...expected['possible-fraud']!.slice(0, 1), { ...(expected['possible-fraud']![1] as object), value: { KSQL_COL_0: 6 } }] };
    fs.writeFileSync(path.join(bad, 'output.json'), JSON.stringify(wrong));
    const single = sluice([
      'test',
      '--sql-file',
      path.join(bad, 'statements.sql'),
      '--input-file',
      path.join(bad, 'input.json'),
      '--output-file',
      path.join(bad, 'output.json'),
    ]);
    expect(single.code).toBe(1);
    expect(single.out).not.toContain('>>> Test passed!');
    expect(single.out).toMatch(/Test failed/);
    const batch = sluice(['test', path.join(tmp, 'bad')]);
    expect(batch.code).toBe(1);
    expect(batch.out).toMatch(/^FAIL possible-fraud/m);
    expect(batch.out.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });
});
