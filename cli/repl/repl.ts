/**
 * The interactive loop: a node:readline prompt (`sluice> `, continuation
 * `     > `) with line editing, history kept across sessions and tab
 * completion; statements go to the {@link Session}. Ctrl-C stops a running
 * query (or drops a half-typed statement), Ctrl-D or `exit` quits.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import type { Completer } from './completer.js';
import { InputBuffer, type InputItem } from './input.js';
import type { Session } from './session.js';

export const PROMPT = 'sluice> ';
export const CONTINUATION = '     > ';
const HISTORY_SIZE = 1000;

/** Where history is kept: `~/.sluice_history`. */
export function historyFile(): string {
  return join(homedir(), '.sluice_history');
}

/** Reads the history file: oldest entry first. */
export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string, newestFirst: readonly string[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, [...newestFirst].reverse().join('\n') + '\n', { mode: 0o600 });
  } catch {
    /* history is a convenience: a read-only home must not break the REPL */
  }
}

const LOGO = String.raw`
  ____  _       _
 / ___|| |_   _(_) ___ ___
 \___ \| | | | | |/ __/ _ \
  ___) | | |_| | | (_|  __/
 |____/|_|\__,_|_|\___\___|   streaming SQL that speaks ksqlDB
`;

/** The banner: logo, client and server versions and URL, server status, where to get help. */
export function banner(clientVersion: string, serverVersion: string, url: string, status: string, note?: string): string {
  const lines = [LOGO, `CLI v${clientVersion}, Server v${serverVersion} located at ${url}`, `Server Status: ${status}`];
  if (note) lines.push(note);
  lines.push('', "Having trouble? Type 'help' (case-insensitive) for a rundown of how things work!", '');
  return lines.join('\n');
}

/** Options of {@link runRepl}. */
export interface ReplOptions {
  readonly session: Session;
  readonly completer: Completer;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Whether input and output are a terminal (prompts, editing, history). */
  readonly terminal: boolean;
  readonly historyFile?: string;
}

/**
 * Runs the REPL until `exit`, Ctrl-D or the end of input. Resolves with the
 * exit code: 0, or 1 when input was not a terminal and a statement failed.
 */
export function runRepl(opts: ReplOptions): Promise<number> {
  const { session, completer, terminal } = opts;
  const buffer = new InputBuffer();
  const file = opts.historyFile ?? historyFile();
  const rl = readline.createInterface({
    input: opts.input,
    output: opts.output,
    terminal,
    prompt: PROMPT,
    history: terminal ? loadHistory(file).reverse() : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: terminal ? (line: string) => completer.complete(line, !buffer.pending) : undefined,
  });
  const history = (): string[] => (rl as unknown as { history: string[] }).history ?? [];
  session.historyLines = () => [...history()].reverse();
  const queue: InputItem[] = [];
  let linesInStatement = 0;
  let busy = false;
  let closed = false;
  let failed = false;
  let exitTyped = false;
  let finish!: (code: number) => void;
  const finished = new Promise<number>((r) => (finish = r));

  const prompt = (): void => {
    if (closed || !terminal) return;
    rl.setPrompt(buffer.pending ? CONTINUATION : PROMPT);
    rl.prompt();
  };

  /** Keeps a multi-line statement as one history entry, so Up recalls it whole. */
  const mergeHistory = (): void => {
    const h = history();
    if (linesInStatement > 1 && h.length >= linesInStatement) {
      const joined = h
        .slice(0, linesInStatement)
        .reverse()
        .map((l) => l.trim())
        .join(' ');
      h.splice(0, linesInStatement, joined);
    }
    saveHistory(file, h);
  };

  const drain = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    if (terminal) rl.setPrompt('');
    while (queue.length > 0) {
      const item = queue.shift()!;
      if (item.kind === 'command' && item.command.kind === 'exit') {
        queue.length = 0;
        exitTyped = true;
        rl.close();
        break;
      }
      const ok = await session.run(item);
      if (!ok) failed = true;
    }
    busy = false;
    if (closed) finish(!terminal && failed ? 1 : 0);
    else prompt();
  };

  rl.on('line', (line) => {
    if (!buffer.pending) linesInStatement = 0;
    linesInStatement++;
    const items = buffer.push(line);
    if (terminal && !buffer.pending) mergeHistory();
    queue.push(...items);
    if (busy) return;
    if (items.length === 0) prompt();
    else void drain();
  });

  rl.on('SIGINT', () => {
    if (session.queryRunning) {
      void session.interrupt();
      return;
    }
    // Like a shell: drop what was typed and start afresh.
    buffer.reset();
    queue.length = 0;
    opts.output.write('^C\n');
    const editable = rl as unknown as { line: string; cursor: number };
    editable.line = '';
    editable.cursor = 0;
    prompt();
  });

  rl.on('close', () => {
    closed = true;
    if (!terminal) queue.push(...buffer.flush());
    else if (!exitTyped) opts.output.write('\n');
    if (session.queryRunning) void session.interrupt();
    if (busy) return;
    if (queue.length > 0) void drain();
    else finish(!terminal && failed ? 1 : 0);
  });

  if (terminal) {
    void completer.refresh();
    prompt();
  }
  return finished.then((code) => {
    if (terminal) opts.output.write('Exiting Sluice.\n');
    return code;
  });
}
