import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DIST, describeIf } from './helpers/describe-if.js';

const BIN = join(__dirname, '..', 'bin', 'sluice.js');
const BUILT = existsSync(join(__dirname, '..', 'dist', 'cli', 'server-command.js'));

describeIf(BUILT, DIST)('sluice server (built CLI)', () => {
  it('starts, answers /info, and shuts down gracefully on SIGTERM (start-up time is measured by npm run bench)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    const child = spawn(process.execPath, [BIN, 'server', '--port', '0', '--data-dir', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error('not listening within 60 s')), 60_000);
      });
      const info = await fetch(`${url}/info`);
      expect(info.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/info`)).rejects.toThrow('fetch failed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);
});
