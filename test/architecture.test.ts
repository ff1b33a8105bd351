/**
 * The layer map of the README, enforced: imports go one way (common, then
 * serde, functions and parser, planner, runtime, server, cli), no file-level import
 * cycle, and no folder-level cycle beyond an allow-list that may only shrink.
 * Read from the source files themselves (every `import`/`export … from`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Layers by rank: a file may import its own layer or a lower rank, never a higher or an equal other one. */
const RANK: Readonly<Record<string, number>> = { common: 0, serde: 1, functions: 1, parser: 1, planner: 2, runtime: 3, server: 4, cli: 5 };

/** File-level cycles that exist today, each as its set of files; may only shrink (none left). */
const ALLOWED_FILE_CYCLES: readonly (readonly string[])[] = [];

/** Folder-level cycles that exist today (folders whose files import each other both ways); may only shrink (none left). */
const ALLOWED_FOLDER_CYCLES: readonly (readonly string[])[] = [];

interface Edge {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every relative import of the project's sources, as repository-relative paths. */
function imports(): Edge[] {
  const re = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;
  const edges: Edge[] = [];
  for (const file of [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'cli'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      let target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
      if (!fs.existsSync(target) && fs.existsSync(target.replace(/\.ts$/, '/index.ts'))) target = target.replace(/\.ts$/, '/index.ts');
      if (!fs.existsSync(target)) throw new Error(`${path.relative(root, file)} imports ${spec}, which does not exist`);
      edges.push({ from: path.relative(root, file), to: path.relative(root, target) });
    }
  }
  return edges;
}

/** The layer of a file: its folder under src/, or cli. */
function layer(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'cli' ? 'cli' : parts[1]!.replace(/\.ts$/, '');
}

/** Strongly connected components of more than one node (Tarjan), each sorted. */
function cycles(edges: readonly Edge[]): string[][] {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    if (!adj.has(e.from)) adj.set(e.from, []);
    adj.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of adj.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Cycles found vs an allow-list that may only shrink: new or grown cycles, and allowed ones gone or smaller. */
function compare(found: readonly string[][], allowed: readonly (readonly string[])[]): { unexpected: string[][]; stale: string[][] } {
  const key = (c: readonly string[]) => [...c].sort().join(' ');
  const allowedKeys = new Set(allowed.map(key));
  const foundKeys = new Set(found.map(key));
  return {
    unexpected: found.filter((c) => !allowedKeys.has(key(c))),
    stale: allowed.filter((c) => !foundKeys.has(key(c))).map((c) => [...c]),
  };
}

describe('architecture', () => {
  const edges = imports();

  it('reads the imports of every source file', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(new Set(edges.map((e) => layer(e.from)))).toEqual(new Set(Object.keys(RANK)));
  });

  it('imports go one way between layers: common, serde/functions/parser, planner, runtime, server, cli', () => {
    const upward = edges
      .filter((e) => {
        const a = layer(e.from);
        const b = layer(e.to);
        if (RANK[a] === undefined || RANK[b] === undefined) return true;
        return a !== b && RANK[b]! >= RANK[a]!;
      })
      .map((e) => `${e.from} -> ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('no file-level import cycle beyond the allow-list, which only shrinks', () => {
    const { unexpected, stale } = compare(cycles(edges), ALLOWED_FILE_CYCLES);
    expect(unexpected, 'new file-level import cycles').toEqual([]);
    expect(stale, 'allowed cycles that are gone or changed: remove or shrink them in ALLOWED_FILE_CYCLES').toEqual([]);
  });

  it('no file-level cycle at run time (value imports only)', () => {
    const valueOnly = edges.filter((e) => !isTypeOnly(e));
    expect(cycles(valueOnly)).toEqual([]);
  });

  it('no folder-level cycle beyond the allow-list, which only shrinks', () => {
    const folders = edges.map((e) => ({ from: path.dirname(e.from), to: path.dirname(e.to) }));
    const { unexpected, stale } = compare(cycles(folders), ALLOWED_FOLDER_CYCLES);
    expect(unexpected, 'new or grown folder-level cycles').toEqual([]);
    expect(stale, 'allowed folder cycles that are gone or changed: remove or shrink them in ALLOWED_FOLDER_CYCLES').toEqual([]);
  });

  it("the README's architecture map names every layer folder", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const folders = fs
      .readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `src/${d.name}`);
    expect(folders.filter((f) => !readme.includes(`\`${f}\``))).toEqual([]);
  });

  it('the web console (console/) is a client apart: its own files, src/common and the editor packages only', () => {
    const outside: string[] = [];
    const re = /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm;
    const dir = path.join(root, 'console', 'src');
    for (const file of sourceFiles(dir)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(re)) {
        const spec = (m[1] ?? m[2] ?? m[3])!;
        const target = path.resolve(path.dirname(file), spec);
        const inside = spec.startsWith('.')
          ? target.startsWith(dir) || target.startsWith(path.join(root, 'src', 'common'))
          : /^@(codemirror|lezer)\//.test(spec);
        if (!inside) outside.push(`${path.relative(root, file)} → ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });

  /** Whether an edge comes only from `import type` / `export type` statements of its file. */
  function isTypeOnly(e: Edge): boolean {
    const text = fs.readFileSync(path.join(root, e.from), 'utf8');
    const re = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm;
    let typeOnly = true;
    let seen = false;
    for (const m of text.matchAll(re)) {
      let target = path.resolve(path.dirname(path.join(root, e.from)), m[3]!).replace(/\.js$/, '.ts');
      if (!fs.existsSync(target) && fs.existsSync(target.replace(/\.ts$/, '/index.ts'))) target = target.replace(/\.ts$/, '/index.ts');
      if (path.relative(root, target) !== e.to) continue;
      seen = true;
      if (m[2] === undefined) typeOnly = false;
    }
    return seen && typeOnly;
  }
});
