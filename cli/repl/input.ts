/**
 * Turns typed lines into work for the REPL: CLI commands (`help`, `exit`,
 * `run script …` — no `;` needed, on a line of their own) and SQL
 * statements, which end at a `;` outside quotes and comments and may span
 * lines or share one.
 */
import { splitStatements } from '../../src/parser/index.js';

/** A CLI command the client handles itself. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'version' }
  | { readonly kind: 'exit' }
  | { readonly kind: 'history' }
  | { readonly kind: 'server'; readonly url?: string }
  | { readonly kind: 'output'; readonly format?: string }
  | { readonly kind: 'runScript'; readonly file: string }
  | { readonly kind: 'spool'; readonly target?: string };

/** One unit of work from the input. */
export type InputItem = { readonly kind: 'command'; readonly command: CliCommand } | { readonly kind: 'sql'; readonly text: string };

const unquote = (s: string): string =>
  s
    .replace(/^'(.*)'$/s, '$1')
    .replace(/^"(.*)"$/s, '$1')
    .replace(/''/g, "'");

/** Recognises a CLI command on a line of its own (a trailing `;` is allowed), or returns undefined. */
export function parseCliCommand(line: string): CliCommand | undefined {
  const t = line.trim().replace(/;\s*$/, '').trim();
  const lower = t.toLowerCase();
  if (lower === 'help' || lower === '?' || lower === 'help;') return { kind: 'help' };
  if (lower === 'clear') return { kind: 'clear' };
  if (lower === 'version') return { kind: 'version' };
  if (lower === 'exit' || lower === 'quit') return { kind: 'exit' };
  if (lower === 'history') return { kind: 'history' };
  let m = /^server(?:\s+(\S+))?$/i.exec(t);
  if (m) return { kind: 'server', url: m[1] };
  m = /^output(?:\s+(\S+))?$/i.exec(t);
  if (m) return { kind: 'output', format: m[1] };
  m = /^run\s+script\s+('(?:[^']|'')*'|"[^"]*"|\S+)$/i.exec(t);
  if (m) return { kind: 'runScript', file: unquote(m[1]!) };
  m = /^spool(?:\s+('(?:[^']|'')*'|"[^"]*"|\S+))?$/i.exec(t);
  if (m) return { kind: 'spool', target: m[1] === undefined ? undefined : unquote(m[1]) };
  return undefined;
}

/**
 * Whether `sql` ends with a complete statement: it holds at least one
 * statement and the last one is followed by its `;` (only whitespace and
 * comments after it).
 */
export function endsWithTerminator(sql: string): boolean {
  const slices = splitStatements(sql);
  const last = slices[slices.length - 1];
  if (!last) return false;
  const end = last.pos.offset + last.text.length;
  return sql.slice(end).trimStart().startsWith(';');
}

/** Whether `sql` holds nothing but whitespace and complete comments. */
export function isBlank(sql: string): boolean {
  return splitStatements(sql).length === 0 && !/\/\*(?![\s\S]*\*\/)/.test(sql);
}

/**
 * Accumulates input lines. `push(line)` returns the items that became
 * complete; `pending` says whether a statement is still open (the REPL shows
 * its continuation prompt).
 */
export class InputBuffer {
  private buf = '';

  get pending(): boolean {
    return this.buf !== '';
  }

  /** Everything buffered so far (for history). */
  get text(): string {
    return this.buf;
  }

  /** Drops a half-typed statement (Ctrl-C). */
  reset(): void {
    this.buf = '';
  }

  push(line: string): InputItem[] {
    if (this.buf === '') {
      const command = parseCliCommand(line);
      if (command) return [{ kind: 'command', command }];
    }
    this.buf = this.buf === '' ? line : `${this.buf}\n${line}`;
    if (isBlank(this.buf)) {
      this.buf = '';
      return [];
    }
    if (!endsWithTerminator(this.buf)) return [];
    const text = this.buf;
    this.buf = '';
    return splitStatements(text).map((s) => ({ kind: 'sql', text: `${s.text};` }));
  }

  /** At the end of input (`-e`, `-f`, a script): whatever is left, as a statement even without its `;`. */
  flush(): InputItem[] {
    const text = this.buf;
    this.buf = '';
    if (isBlank(text)) return [];
    return splitStatements(text).map((s) => ({ kind: 'sql', text: `${s.text};` }));
  }
}

/** How the client routes a statement. */
export type StatementRoute =
  | { readonly kind: 'query' }
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'unset'; readonly name: string }
  | { readonly kind: 'define'; readonly name: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly name: string }
  | { readonly kind: 'runScript'; readonly file: string }
  | { readonly kind: 'ksql' };

/** The statement without leading comments and whitespace. */
function stripLeading(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.trimStart();
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const close = t.indexOf('*/');
      s = close < 0 ? '' : t.slice(close + 2);
    } else return t;
  }
}

const QUOTED = `('(?:[^']|'')*'|"[^"]*"|[^\\s=;]+)`;

/**
 * Decides where a statement goes: SELECT and PRINT to `/query-stream`,
 * SET/UNSET/DEFINE/UNDEFINE into the local session, RUN SCRIPT to the
 * client, everything else to `/ksql`.
 */
export function routeStatement(sql: string): StatementRoute {
  const s = stripLeading(sql).replace(/;\s*$/, '').trim();
  const first = /^[A-Za-z]+/.exec(s)?.[0]?.toUpperCase();
  let m: RegExpExecArray | null;
  switch (first) {
    case 'SELECT':
    case 'PRINT':
      return { kind: 'query' };
    case 'SET':
      m = new RegExp(`^SET\\s+${QUOTED}\\s*=\\s*${QUOTED}$`, 'is').exec(s);
      return m ? { kind: 'set', name: unquote(m[1]!), value: unquote(m[2]!) } : { kind: 'ksql' };
    case 'UNSET':
      m = new RegExp(`^UNSET\\s+${QUOTED}$`, 'is').exec(s);
      return m ? { kind: 'unset', name: unquote(m[1]!) } : { kind: 'ksql' };
    case 'DEFINE':
      m = /^DEFINE\s+([A-Za-z_][\w]*)\s*=\s*('(?:[^']|'')*')$/is.exec(s);
      return m ? { kind: 'define', name: m[1]!, value: unquote(m[2]!) } : { kind: 'ksql' };
    case 'UNDEFINE':
      m = /^UNDEFINE\s+([A-Za-z_]\w*)$/is.exec(s);
      return m ? { kind: 'undefine', name: m[1]! } : { kind: 'ksql' };
    case 'RUN':
      m = /^RUN\s+SCRIPT\s+('(?:[^']|'')*'|"[^"]*"|\S+)$/is.exec(s);
      return m ? { kind: 'runScript', file: unquote(m[1]!) } : { kind: 'ksql' };
    default:
      return { kind: 'ksql' };
  }
}
