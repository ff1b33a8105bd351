/**
 * The rules that keep the tests from passing by accident, read from the test
 * files themselves (the TypeScript parser, no type checking): every test states
 * what it expects; an error check names the error, not just that there was one;
 * a suite that needs something a machine may lack goes through `describeIf` so
 * that CI fails instead of skipping; and the only poll loop is `eventually()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const testDir = path.dirname(new URL(import.meta.url).pathname);

/** Every .ts file under test/ except the fixtures, as `test/…` paths. */
function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'fixtures' && e.name !== 'golden') walk(p);
      } else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(testDir);
  return out.sort();
}

const parsed = testFiles().map((file) => ({
  name: path.relative(path.dirname(testDir), file),
  source: ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
}));

/** Every node of a file, depth first. */
function* nodes(n: ts.Node): Generator<ts.Node> {
  yield n;
  for (const child of n.getChildren()) yield* nodes(child);
}

/** `file:line` of a node, for the failure message. */
function where(file: { name: string; source: ts.SourceFile }, n: ts.Node): string {
  return `${file.name}:${file.source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
}

/** The callee of `it(…)`, `it.each(…)(…)`, `itIf(…)(…)`, `test(…)`: whether this call declares a test. */
function declaresTest(call: ts.CallExpression): boolean {
  let callee = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression;
  return /^(it|test)(\.(each|only|concurrent|fails))?$|^itIf$/.test(callee.getText());
}

describe('the tests themselves', () => {
  it('every test asserts something (no test passes just by not throwing)', () => {
    const silent: string[] = [];
    for (const f of parsed) {
      if (f.name === 'test/helpers/describe-if.ts') continue; // its stand-ins fail by throwing what is missing
      for (const n of nodes(f.source)) {
        if (!ts.isCallExpression(n) || !declaresTest(n)) continue;
        const body = n.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
        if (body && !/\bexpect\b/.test(body.getText())) silent.push(`${where(f, n)} ${n.arguments[0]?.getText().slice(0, 80)}`);
      }
    }
    expect(silent).toEqual([]);
  });

  it('error checks name the error: no bare toThrow(), rejects.toThrow() or toBeDefined() on an error', () => {
    const vague: string[] = [];
    for (const f of parsed) {
      for (const n of nodes(f.source)) {
        if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) continue;
        const method = n.expression.name.text;
        const target = n.expression.expression.getText();
        const bareThrow = (method === 'toThrow' || method === 'toThrowError') && n.arguments.length === 0 && !/\.not$/.test(target);
        const definedError = method === 'toBeDefined' && /resolveError|[Ee]rror\b|\.rejects$/.test(target);
        if (bareThrow || definedError) vague.push(`${where(f, n)} ${n.getText().slice(0, 100)}`);
      }
    }
    expect(vague).toEqual([]);
  });

  it('suites that may not run go through describeIf / itIf (CI=true fails them), not skipIf or runIf', () => {
    const skips: string[] = [];
    for (const f of parsed) {
      if (f.name === 'test/kafka/broker.ts') continue; // describeKafka: the import itself throws under CI=true
      for (const n of nodes(f.source)) {
        if (ts.isPropertyAccessExpression(n) && /^(describe|it|test)$/.test(n.expression.getText()) && /^(skip|skipIf|runIf|todo)$/.test(n.name.text)) {
          if (f.name !== 'test/helpers/describe-if.ts') skips.push(`${where(f, n)} ${n.getText()}`);
        }
      }
    }
    expect(skips).toEqual([]);
  });

  it('waiting is done by eventually(): a sleep elsewhere says it is not a sync point', () => {
    // A sleep is `setTimeout(resolve, ms)`; outside eventually() it may only be the behaviour under test,
    // pacing or a bound, and a comment on it or just above it says so ("not a sync").
    const sleeps: string[] = [];
    for (const f of parsed) {
      if (f.name === 'test/helpers/eventually.ts') continue;
      const lines = f.source.text.split('\n');
      for (const n of nodes(f.source)) {
        if (!ts.isCallExpression(n) || n.expression.getText() !== 'setTimeout' || !n.arguments[0] || !ts.isIdentifier(n.arguments[0])) continue;
        const line = f.source.getLineAndCharacterOfPosition(n.getStart()).line;
        if (!/not a sync/i.test(lines.slice(Math.max(0, line - 3), line + 1).join('\n'))) sleeps.push(`${where(f, n)} ${lines[line]!.trim()}`);
      }
    }
    expect(sleeps).toEqual([]);
  });

  it('there is one eventually(): no other function named eventually, until or sleep', () => {
    const copies: string[] = [];
    for (const f of parsed) {
      if (f.name === 'test/helpers/eventually.ts') continue;
      for (const n of nodes(f.source)) {
        const name = ts.isFunctionDeclaration(n)
          ? n.name?.text
          : ts.isVariableDeclaration(n) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
            ? n.name.getText()
            : undefined;
        if (name !== undefined && /^(eventually|until|sleep)$/.test(name)) copies.push(`${where(f, n)} ${name}`);
      }
    }
    expect(copies).toEqual([]);
  });
});
