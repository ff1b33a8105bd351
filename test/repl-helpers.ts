/**
 * Drives the real `sluice` command (bin/sluice.js → dist/sluice.mjs) in a
 * pseudo-terminal: util-linux `script` hosts it on a pty, we write keys to
 * its stdin and read the screen output from its stdout.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from './helpers/eventually.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const BIN = path.join(ROOT, 'bin', 'sluice.js');

/** What the terminal tests need: util-linux `script` (on Debian in bsdutils, which is Essential). */
export const SCRIPT = 'util-linux script on the PATH (Debian: bsdutils)';

/** Whether util-linux `script` is there to host a pty. */
export const HAVE_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Removes terminal escape sequences and carriage returns. */
export function plain(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\x1b[=>]/g, '')
    .replace(/\r/g, '');
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A `sluice` process on a pty. */
export class PtySession {
  private raw = '';
  /** Where the next `expect` starts looking. */
  private mark = 0;
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], opts: { home: string; cwd?: string; cols?: number }) {
    const cmd = `stty cols ${opts.cols ?? 120} rows 40; exec ${shellQuote(process.execPath)} ${[BIN, ...args].map(shellQuote).join(' ')}`;
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, HOME: opts.home, TERM: 'xterm-256color', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (c: string) => (this.raw += c));
    this.child.stderr.on('data', (c: Buffer) => (this.raw += c.toString('utf8')));
    this.exited = new Promise((r) => this.child.on('exit', (code) => r(code)));
  }

  /** Everything shown so far, without escape sequences. */
  get screen(): string {
    return plain(this.raw);
  }

  /** Sends keys (`\r` is Enter, `\x03` Ctrl-C, `\x04` Ctrl-D, `\t` Tab, `\x1b[A` Up). */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Waits until the output since the last match matches `pattern`; returns that output. */
  expect(pattern: RegExp | string, timeoutMs = 8000): Promise<string> {
    return eventually(
      `${String(pattern)} on the screen`,
      () => {
        const text = this.screen.slice(this.mark);
        const m =
          typeof pattern === 'string'
            ? text.includes(pattern)
              ? { index: text.indexOf(pattern), len: pattern.length }
              : undefined
            : ((r) => (r ? { index: r.index, len: r[0].length } : undefined))(pattern.exec(text));
        if (!m) throw new Error(`output since the last match:\n${text}`);
        this.mark += m.index + m.len;
        return text.slice(0, m.index + m.len);
      },
      { timeoutMs, everyMs: 20 },
    );
  }

  /** Kills the session if it still runs, and waits for it (bounded). */
  async close(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    // A bound, not a sync: a session that will not die does not hold up the next test.
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2000))]);
  }
}

/** A fresh temporary directory (a HOME for the history file). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs `sluice ARGS` to completion without a terminal. */
export function runSluice(
  args: readonly string[],
  opts: { cwd?: string; input?: string; timeoutMs?: number; home?: string } = {},
): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 15_000,
    env: { ...process.env, HOME: opts.home ?? os.tmpdir() },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Like {@link runSluice}, but asynchronous, so the test's in-process server keeps serving meanwhile. */
export function runSluiceAsync(
  args: readonly string[],
  opts: {
    cwd?: string;
    input?: string;
    timeoutMs?: number;
    home?: string;
    /** Variables added to the environment. */
    env?: Readonly<Record<string, string>>;
    /** The `sluice` executable (an installed package's); default this checkout's under this Node. */
    command?: string;
  } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const [file, ...prefix] = opts.command ? [opts.command] : [process.execPath, BIN];
    const child = spawn(file!, [...prefix, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, HOME: opts.home ?? os.tmpdir(), ...opts.env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end(opts.input ?? '');
  });
}
