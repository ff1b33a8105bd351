import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = path.join(root, 'bin', 'sluice.js');

/** Is the dist bundle `bin/sluice.js` runs built? Process tests skip without it. */
export const BUNDLE_BUILT = fs.existsSync(path.join(root, 'dist', 'sluice.mjs'));

/** A `sluice server` child process on port 0 over a fresh data directory. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly dataDir: string;
  /** The embedded Schema Registry's URL, when started with `schemaRegistry`. */
  readonly registryUrl: string | undefined;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Everything the server wrote to stdout so far (its log: JSON lines). */
  stdout(): string;
  /** SIGKILLs the server and removes its directory (not a data directory given in the options). */
  stop(): Promise<void>;
}

/** How to start it besides its properties. */
export interface ServerProcessOptions {
  /** Start the embedded Schema Registry (on port 0); default off. */
  readonly schemaRegistry?: boolean;
  /** More command-line arguments (e.g. `--tls-cert`). */
  readonly args?: readonly string[];
  /**
   * Give only `--data-dir`, `--config` and {@link args}: no `--port 0` and no registry
   * flag (for tests of defaults, environment variables and port clashes).
   */
  readonly bare?: boolean;
  /** Variables added to the child's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The `sluice` executable to run (an installed package's); default this checkout's `bin/sluice.js` under this Node. */
  readonly command?: string;
  /** Use this data directory (kept by `stop`, for a restart over it) instead of a fresh one. */
  readonly dataDir?: string;
}

/**
 * Starts the real `sluice server` on port 0 with `properties` written to a
 * `--config` file; resolves once it prints the URL(s) it listens on. A child that
 * exits first, or is not listening within a minute, rejects with its stderr.
 */
export async function startServerProcess(properties: Readonly<Record<string, string>> = {}, opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-proc-'));
  const dataDir = opts.dataDir ?? path.join(dir, 'data');
  const config = path.join(dir, 'server.properties');
  fs.writeFileSync(
    config,
    Object.entries(properties)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const registry = opts.schemaRegistry ? ['--schema-registry-port', '0'] : ['--no-schema-registry'];
  const defaults = opts.bare ? [] : ['--port', '0', ...registry];
  const [file, ...prefix] = opts.command ? [opts.command] : [process.execPath, bin];
  const child = spawn(file!, [...prefix, 'server', '--data-dir', dataDir, '--config', config, ...defaults, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const urls = await new Promise<[string, string | undefined]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server not listening within 60 s; stderr:\n${err}`)), 60_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /Sluice server listening on (\S+)/.exec(out);
        const r = /Schema Registry listening on (\S+)/.exec(out);
        if (m && (r || !opts.schemaRegistry)) {
          clearTimeout(timer);
          resolve([m[1]!, r?.[1]]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before listening; stderr:\n${err}`));
      });
    });
    // The stdout listener above keeps collecting: stdout is the server's log.
    return { child, url: urls[0], registryUrl: urls[1], dataDir, stderr: () => err, stdout: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The JSON lines of a server's stdout (its log; the "listening on" lines are not JSON), parsed. */
export function jsonLogLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
