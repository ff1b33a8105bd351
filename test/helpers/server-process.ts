import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = path.join(root, 'bin', 'sluice.js');

/** Is the dist bundle `bin/sluice.js` runs built? Process tests skip without it. */
export const BUNDLE_BUILT = fs.existsSync(path.join(root, 'dist', 'sluice.mjs'));

/** A `sluice server` child process on a fresh data directory. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** SIGKILLs the child and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts `sluice server --port 0` (no embedded registry) with `properties` written
 * to a `--config` file and `args` added; resolves once it prints the URL it listens on. A child that
 * exits first rejects with its stderr.
 */
export async function startServerProcess(properties: Readonly<Record<string, string>> = {}, args: readonly string[] = []): Promise<ServerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-proc-'));
  const config = path.join(dir, 'server.properties');
  fs.writeFileSync(config, Object.entries(properties).map(([k, v]) => `${k}=${v}\n`).join(''));
  const child = spawn(process.execPath, [bin, 'server', '--port', '0', '--no-schema-registry', '--data-dir', path.join(dir, 'data'), '--config', config, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`sluice server exited (${code}) before listening: ${err}`)));
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { url, child, stderr: () => err, stop };
}
