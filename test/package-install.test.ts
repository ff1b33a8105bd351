/**
 * The package as npm users get it: `npm pack` of this checkout (its built dist/),
 * installed with `--omit=dev` into an empty prefix, then the installed `sluice`
 * serves ksqlDB's REST API, and its `sluice cli` and `sluice test` work. Needs npm (and the network only
 * for what `npm ci` did not already cache: classic-level's metadata).
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess } from './helpers/server-process.js';
import { ROOT, runSluiceAsync, tempDir } from './repl-helpers.js';

const run = promisify(execFile);
const NPM = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

describeIf(BUNDLE_BUILT && NPM, 'npm and the built dist/ (npm run build)')('the npm package', () => {
  let dir = '';
  let packed: Packed;
  let prefix = '';
  let sluice = '';

  beforeAll(async () => {
    dir = tempDir('sluice-pack-');
    // --ignore-scripts: pack the dist/ npm test built (prepack would rebuild it under other suites' feet).
    const out = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
    packed = (JSON.parse(out.stdout) as Packed[])[0]!;
    prefix = path.join(dir, 'prefix');
    fs.mkdirSync(prefix);
    const install = ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefix', prefix, path.join(dir, packed.filename)];
    try {
      await run('npm', [...install, '--offline'], { cwd: dir });
    } catch {
      // The cache npm ci filled holds the tarballs but not every package's metadata.
      await run('npm', [...install, '--prefer-offline'], { cwd: dir });
    }
    sluice = path.join(prefix, 'node_modules', '.bin', 'sluice');
  }, 180_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('packs the bundle, the command and the docs, and no sources', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'bin/sluice.js', 'dist/sluice.mjs', 'package.json']));
    expect(files.filter((f) => /^(src|cli|test|scripts)\//.test(f))).toEqual([]);
  });

  it('installs with --omit=dev: the only runtime dependency is classic-level (and its own)', () => {
    const installed = fs.readdirSync(path.join(prefix, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(installed).toContain('sluice');
    expect(installed).toContain('classic-level');
    // Everything else Sluice uses is inside the bundle.
    for (const bundled of ['fastify', 'chevrotain', 'kafkajs', 'avsc', 'protobufjs', 'typescript', 'esbuild']) expect(installed).not.toContain(bundled);
    expect(fs.existsSync(path.join(prefix, 'node_modules', 'sluice', 'dist', 'sluice.mjs'))).toBe(true);
  });

  it("runs `sluice server` from the installed bin, answering /info in ksqlDB's shape, and `sluice cli` on it", async () => {
    const server = await startServerProcess({}, { command: sluice });
    try {
      const res = await fetch(`${server.url}/info`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        KsqlServerInfo: { version: '0.1.0', kafkaClusterId: expect.any(String), ksqlServiceId: 'default_', serverStatus: 'RUNNING' },
      });
      const sql = "CREATE STREAM PACKAGED (ID INT KEY, V INT) WITH (kafka_topic='packaged', partitions=1, value_format='JSON'); SHOW STREAMS;";
      const cli = await runSluiceAsync(['cli', server.url, '-e', sql], { command: sluice, cwd: dir, timeoutMs: 60_000 });
      expect(cli.err).toBe('');
      expect(cli.out).toContain('Stream created');
      expect(cli.out).toMatch(/^ PACKAGED +\| packaged +\| KAFKA +\| JSON +\| false *$/m);
      expect(cli.code).toBe(0);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('runs `sluice test` from the installed bin on a ksql-test-runner case', async () => {
    const example = path.join(ROOT, 'examples', 'error-counts');
    const r = await runSluiceAsync(
      [
        'test',
        '--sql-file',
        path.join(example, 'statements.sql'),
        '--input-file',
        path.join(example, 'input.json'),
        '--output-file',
        path.join(example, 'output.json'),
      ],
      { command: sluice, cwd: dir, timeoutMs: 60_000 },
    );
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('>>> Test passed!');
    expect(r.code).toBe(0);
  }, 60_000);
});
