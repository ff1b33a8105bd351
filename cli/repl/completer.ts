/**
 * Tab completion for the REPL: SQL keywords, CLI commands, stream/table and
 * column names (from SHOW STREAMS/TABLES and DESCRIBE) and function names
 * (from SHOW FUNCTIONS), fetched from the server in the background.
 */
import { KEYWORDS } from '../../src/parser/lexer.js';
import type { Entity, SluiceClient } from './client.js';

const CLI_COMMANDS = ['help', 'clear', 'version', 'history', 'server', 'output', 'run script', 'spool', 'exit'];

/** Names the completer offers, grouped by what they are. */
export interface CompletionNames {
  readonly sources: readonly string[];
  readonly columns: readonly string[];
  readonly functions: readonly string[];
}

/** Names fetched from the server (nothing when it cannot be reached). */
export async function fetchNames(client: SluiceClient): Promise<CompletionNames> {
  const sources: string[] = [];
  const functions: string[] = [];
  const columns = new Set<string>();
  const scope = { properties: {}, variables: {} };
  let entities: Entity[];
  try {
    entities = await client.ksql('SHOW STREAMS; SHOW TABLES; SHOW FUNCTIONS;', scope);
  } catch {
    return { sources, columns: [], functions };
  }
  for (const e of entities) {
    for (const key of ['streams', 'tables'] as const) {
      for (const s of (e[key] as { name?: string }[] | undefined) ?? []) if (s.name) sources.push(s.name);
    }
    for (const f of (e['functions'] as { name?: string }[] | undefined) ?? []) if (f.name) functions.push(f.name);
  }
  if (sources.length > 0) {
    try {
      const described = await client.ksql(sources.map((s) => `DESCRIBE \`${s.replaceAll('`', '``')}\`;`).join(' '), scope);
      for (const d of described) {
        const fields = (d['sourceDescription'] as { fields?: { name?: string }[] } | undefined)?.fields ?? [];
        for (const f of fields) if (f.name) columns.add(f.name);
      }
    } catch {
      /* completion simply knows fewer names */
    }
  }
  return { sources, columns: [...columns], functions };
}

/** Completes `typed` with the rest of `candidate`, in the case the user typed in (all lower or all upper). */
function inCaseOf(typed: string, candidate: string): string {
  const rest = candidate.slice(typed.length);
  if (typed === typed.toLowerCase()) return typed + rest.toLowerCase();
  if (typed === typed.toUpperCase()) return typed + rest.toUpperCase();
  return typed + rest;
}

/** The REPL's completer: keeps the names and answers readline's completion requests. */
export class Completer {
  private names: CompletionNames = { sources: [], columns: [], functions: [] };
  private refreshing: Promise<void> | undefined;
  private stale = false;

  constructor(private readonly client: () => SluiceClient) {}

  /** Fetches names again in the background (after DDL, or on switching servers). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.stale = true;
      return this.refreshing;
    }
    this.refreshing = fetchNames(this.client())
      .then((n) => {
        this.names = n;
      })
      .finally(() => {
        this.refreshing = undefined;
        if (this.stale) {
          this.stale = false;
          void this.refresh();
        }
      });
    return this.refreshing;
  }

  /**
   * Completions of the word before the cursor. `atStart`: the line begins a
   * new statement, where CLI commands are offered too. Returns readline's
   * `[completions, word]`.
   */
  complete(line: string, atStart: boolean): [string[], string] {
    const word = /[A-Za-z_][\w]*$/.exec(line)?.[0] ?? '';
    if (word === '') return [[], ''];
    const upper = word.toUpperCase();
    const before = line.slice(0, line.length - word.length);
    const pool = new Set<string>();
    if (atStart && before.trim() === '') for (const c of CLI_COMMANDS) pool.add(c.toUpperCase());
    for (const k of KEYWORDS) pool.add(k);
    for (const s of this.names.sources) pool.add(s);
    for (const c of this.names.columns) pool.add(c);
    for (const f of this.names.functions) pool.add(f);
    const hits = [...pool]
      .filter((c) => c.toUpperCase().startsWith(upper) && c.toUpperCase() !== upper)
      .sort()
      .map((c) => inCaseOf(word, c));
    return [[...new Set(hits)], word];
  }
}
