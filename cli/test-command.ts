import fs from 'node:fs';
import path from 'node:path';
import { runCase, type CaseResult, type TestRecord, type TestTopic } from '../src/runtime/testing/case-runner.js';
import { judge } from '../src/runtime/testing/compare.js';
import { loadSqlTests, runSqlTest, type SqlTest } from '../src/runtime/testing/sql-file.js';

const CASE_TIMEOUT_MS = 20_000;

/**
 * `sluice test`: ksql-test-runner style (`--sql-file --input-file
 * --output-file`), ksqlDB's SQL-file tests (`--test-directory DIR`: `*.sql`
 * files of `--@test:` blocks), or batch mode over directories holding
 * `statements.sql`. Returns the process exit code.
 */
export async function testCommand(args: readonly string[]): Promise<number> {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sqlFile = opt('--sql-file') ?? opt('-s');
  if (sqlFile) {
    const inputFile = opt('--input-file') ?? opt('-i');
    const outputFile = opt('--output-file') ?? opt('-o');
    const sql = fs.readFileSync(sqlFile, 'utf8');
    const input = inputFile ? (JSON.parse(fs.readFileSync(inputFile, 'utf8')) as { inputs?: TestRecord[]; topics?: TestTopic[] }) : {};
    const expected = outputFile ? (JSON.parse(fs.readFileSync(outputFile, 'utf8')) as { outputs?: TestRecord[]; error?: string }) : { outputs: [] };
    const result = await withTimeout(runCase(sql, input.inputs ?? [], input.topics ?? []));
    const why = judge(expected, result);
    if (why === undefined) {
      console.log('>>> Test passed!');
      return 0;
    }
    console.log(`>>>>> Test failed: ${why}`);
    return 1;
  }
  const testDirectory = opt('--test-directory') ?? opt('-td');
  if (testDirectory !== undefined) return sqlFileTests(testDirectory);
  const roots = args.filter((a) => !a.startsWith('-'));
  if (roots.length === 0) {
    console.error(
      'usage: sluice test --sql-file FILE --input-file FILE --output-file FILE\n       sluice test --test-directory DIR\n       sluice test DIR...',
    );
    return 2;
  }
  const dirs = roots.flatMap((r) => findCases(path.resolve(r)));
  if (dirs.length === 0) {
    console.error(`No test cases (directories holding statements.sql) found under ${roots.join(', ')}`);
    return 1;
  }
  let passed = 0;
  let failed = 0;
  for (const dir of dirs) {
    const sql = fs.readFileSync(path.join(dir, 'statements.sql'), 'utf8');
    const inputPath = path.join(dir, 'input.json');
    const input = fs.existsSync(inputPath) ? (JSON.parse(fs.readFileSync(inputPath, 'utf8')) as { inputs?: TestRecord[]; topics?: TestTopic[] }) : {};
    let result: CaseResult;
    try {
      result = await withTimeout(runCase(sql, input.inputs ?? [], input.topics ?? []));
    } catch (e) {
      result = { error: `runner error: ${(e as Error).message}` };
    }
    fs.writeFileSync(path.join(dir, 'actual.json'), JSON.stringify(result, jsonReplacer));
    const outPath = path.join(dir, 'output.json');
    const name = fs.existsSync(path.join(dir, 'name.txt')) ? fs.readFileSync(path.join(dir, 'name.txt'), 'utf8').trim() : path.basename(dir);
    if (fs.existsSync(outPath)) {
      const why = judge(JSON.parse(fs.readFileSync(outPath, 'utf8')) as { outputs?: TestRecord[]; error?: string }, result);
      if (why === undefined) {
        passed++;
        console.log(`PASS ${name}`);
      } else {
        failed++;
        console.log(`FAIL ${name}: ${why.slice(0, 300)}`);
      }
    } else if ('error' in result) {
      failed++;
      console.log(`FAIL ${name}: ${result.error.slice(0, 300)}`);
    } else {
      passed++;
      console.log(`PASS ${name}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** `--test-directory DIR`: every `--@test:` block of every `*.sql` file under DIR, each on a fresh engine. */
async function sqlFileTests(dir: string): Promise<number> {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    console.error(`Test directory ${dir} does not exist or is not a directory`);
    return 1;
  }
  const tests: SqlTest[] = findFiles(root, (name) => name.endsWith('.sql')).flatMap((f) => loadSqlTests(fs.readFileSync(f, 'utf8'), path.relative(root, f)));
  if (tests.length === 0) {
    console.error(`No tests found in ${dir}: expected *.sql files with --@test: <name> lines`);
    return 1;
  }
  let passed = 0;
  let failed = 0;
  for (const test of tests) {
    console.log(`Running test: ${test.name} (${test.file}:${test.line})`);
    let outcome: Awaited<ReturnType<typeof runSqlTest>>;
    try {
      outcome = await withTimeout(runSqlTest(test));
    } catch (e) {
      outcome = { kind: 'Failed', message: `runner error: ${(e as Error).message}` };
    }
    if (outcome.kind === 'Passed') {
      passed++;
      console.log('\t >>> Test passed!');
    } else {
      failed++;
      console.log(`\t>>>>> Test failed: ${outcome.message}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function findFiles(root: string, want: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.isFile() && want(e.name)) out.push(path.join(d, e.name));
    }
  };
  walk(root);
  return out;
}

function findCases(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'statements.sql')) out.push(d);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  walk(root);
  return out;
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}
