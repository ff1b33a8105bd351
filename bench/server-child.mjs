// The bench's one way to run the real `sluice server` (bin/sluice.js, the built bundle)
// in a child process: spawn it on port 0 and wait until it says where it listens,
// stop it, and read its CPU time from /proc (Linux).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Extra node flags for server processes, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p'. */
const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Spawns `sluice server --port 0 --data-dir dataDir` (`bin`: another build to compare
 * against, default bin/sluice.js); resolves once it prints where it listens, with its
 * port and the ms that took. A server that exits first rejects with its stderr.
 */
export function startServer(dataDir, bin = join(root, 'bin/sluice.js')) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, bin, 'server', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => {
    err = (err + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Sluice server listening on https?:\/\/\S*:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), readyMs: performance.now() - t0 });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** Stops a server started by {@link startServer} with SIGTERM and waits for it to exit. */
export async function stopServer(child) {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** CPU time (user + system) process `pid` has used, in ms (/proc, clock ticks of 10 ms). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
