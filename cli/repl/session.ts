/**
 * A CLI session: the server it talks to, local properties (SET/UNSET) and
 * variables (DEFINE/UNDEFINE) sent with every request, the output format and
 * spool file. Executes CLI commands and statements and prints their results;
 * the interactive REPL and the `-e`/`-f` modes share it.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HIDDEN, isSecretProperty } from '../../src/common/secrets.js';
import {
  ServerError,
  ServerUnreachableError,
  SluiceClient,
  UntrustedCertificateError,
  type ClientTls,
  type Credentials,
  type Entity,
  type QueryHeader,
  type RunningQuery,
} from './client.js';
import { InputBuffer, routeStatement, type CliCommand, type InputItem } from './input.js';
import { entityWarnings, renderEntity } from './render.js';
import { QueryGrid, cellText } from './table.js';

/** Where a session prints. */
export interface Output {
  /** Normal output (a newline is added). */
  out(text: string): void;
  /** Error output (a newline is added). */
  err(text: string): void;
  /** The terminal width, or undefined when output is not a terminal. */
  width(): number | undefined;
}

/** Options of a {@link Session}. */
export interface SessionOptions {
  readonly url: string;
  readonly credentials?: Credentials;
  /** TLS trust (a CA file) for every server this session talks to. */
  readonly tls?: ClientTls;
  readonly output: Output;
  readonly format?: 'TABULAR' | 'JSON';
  /** Stop push queries after this many rows. */
  readonly queryRowLimit?: number;
  /** Stop push queries after this many milliseconds. */
  readonly queryTimeoutMs?: number;
  readonly clientVersion: string;
  /** Called after `server URL` switches servers, and after statements that change the catalog. */
  readonly onCatalogChange?: () => void;
}

/** The help text of the REPL. */
export const HELP = `Description:
  The Sluice CLI: type SQL statements, ending each with a semicolon ';'.
  Statements may span lines and share a line. Up/Down recall history, Tab completes.

Commands (no ';' needed):
  help                 show this text
  clear                clear the screen
  version              show the client and server versions
  history              show the command history (kept in ~/.sluice_history)
  server [URL]         show the server, or switch to another one
  output [JSON|TABULAR]
                       show or set the output format
  run script 'FILE'    execute the statements of a file
  spool FILE|OFF       copy the session's output to FILE, or stop
  exit                 quit (or press Ctrl-D)

Session statements (sent with every request of this session):
  SET 'property'='value';      UNSET 'property';
  DEFINE name = 'value';       UNDEFINE name;        (use as \${name})

Queries:
  SELECT … EMIT CHANGES; prints rows as they arrive until Ctrl-C ("Query terminated").
  PRINT 'topic' [FROM BEGINNING]; prints a topic's records.

Start here:
  SHOW STREAMS;  SHOW TABLES;  SHOW QUERIES;  SHOW FUNCTIONS;  DESCRIBE name;`;

/** Formats any error for the user: one message, never a stack trace. */
export function describeError(e: unknown): string {
  if (e instanceof ServerUnreachableError) {
    return `${e.message} Is the server running? Start one with 'sluice server', or run 'sluice' alone for an embedded one.`;
  }
  if (e instanceof ServerError || e instanceof UntrustedCertificateError) return e.message;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return `No such file: ${(e as { path?: string }).path ?? ''}`;
  return `Error: ${(e as Error).message ?? String(e)}`;
}

/** A property's value as the prompt echoes it: secrets (passwords, JAAS configs, tokens) as [hidden]. */
function shown(name: string, value: string | undefined): string {
  return value !== undefined && isSecretProperty(name) ? HIDDEN : String(value);
}

/** A REPL session against one server. */
export class Session {
  client: SluiceClient;
  format: 'TABULAR' | 'JSON';
  readonly properties = new Map<string, string>();
  readonly variables = new Map<string, string>();
  private spoolFile: string | undefined;
  private current: RunningQuery | undefined;
  private scriptDepth = 0;
  /** The history, oldest first, for the `history` command (the REPL provides it). */
  historyLines: () => readonly string[] = () => [];

  constructor(private readonly opts: SessionOptions) {
    this.client = new SluiceClient(opts.url, opts.credentials, opts.tls);
    this.format = opts.format ?? 'TABULAR';
  }

  /** Whether a query is running (Ctrl-C stops it). */
  get queryRunning(): boolean {
    return this.current !== undefined;
  }

  /** Prints (and spools) normal output. */
  print(text: string): void {
    this.opts.output.out(text);
    if (this.spoolFile) appendFileSync(this.spoolFile, `${text}\n`);
  }

  /** Prints (and spools) an error. */
  printError(text: string): void {
    this.opts.output.err(text);
    if (this.spoolFile) appendFileSync(this.spoolFile, `${text}\n`);
  }

  private scope() {
    return { properties: Object.fromEntries(this.properties), variables: Object.fromEntries(this.variables) };
  }

  /** Stops the running query (Ctrl-C). Resolves once it has ended. */
  async interrupt(): Promise<void> {
    const q = this.current;
    if (!q) return;
    await q.close();
  }

  /** Executes one item; resolves false when it failed (the error has been printed). */
  async run(item: InputItem): Promise<boolean> {
    try {
      if (item.kind === 'command') return await this.command(item.command);
      return await this.statement(item.text);
    } catch (e) {
      this.printError(describeError(e));
      return false;
    }
  }

  /** Executes every statement and command of a script; stops at the first failure. */
  async runText(text: string): Promise<boolean> {
    const buffer = new InputBuffer();
    const items: InputItem[] = [];
    for (const line of text.split(/\r?\n/)) items.push(...buffer.push(line));
    items.push(...buffer.flush());
    for (const item of items) {
      if (item.kind === 'command' && item.command.kind === 'exit') return true;
      if (!(await this.run(item))) return false;
    }
    return true;
  }

  private async runScript(file: string): Promise<boolean> {
    if (this.scriptDepth > 8) throw new Error('RUN SCRIPT is nested too deeply');
    const text = readFileSync(resolve(file), 'utf8');
    this.scriptDepth++;
    try {
      return await this.runText(text);
    } finally {
      this.scriptDepth--;
    }
  }

  private async command(c: CliCommand): Promise<boolean> {
    switch (c.kind) {
      case 'help':
        this.print(HELP);
        return true;
      case 'clear':
        this.opts.output.out('\x1b[2J\x1b[3J\x1b[H');
        return true;
      case 'version': {
        this.print(`Version: ${this.opts.clientVersion}`);
        const info = await this.client.info().catch(() => undefined);
        if (info) this.print(`Server version: ${info.version} (${this.client.url})`);
        return true;
      }
      case 'exit':
        return true;
      case 'history':
        for (const [i, h] of this.historyLines().entries()) this.print(`${String(i + 1).padStart(5)}  ${h}`);
        return true;
      case 'server': {
        if (c.url === undefined) {
          this.print(`Server: ${this.client.url}`);
          return true;
        }
        const next = new SluiceClient(/^https?:\/\//.test(c.url) ? c.url : `http://${c.url}`, this.credentials(), this.opts.tls);
        const info = await next.info();
        this.client = next;
        this.print(`Server now: ${next.url} (Sluice ${info.version}, status ${info.serverStatus})`);
        this.opts.onCatalogChange?.();
        return true;
      }
      case 'output': {
        if (c.format === undefined) {
          this.print(`Output format: ${this.format}`);
          return true;
        }
        const f = c.format.toUpperCase();
        if (f !== 'JSON' && f !== 'TABULAR') throw new Error(`Unknown output format '${c.format}': use JSON or TABULAR`);
        this.format = f;
        this.print(`Output format set to ${f}`);
        return true;
      }
      case 'runScript':
        return this.runScript(c.file);
      case 'spool':
        if (c.target === undefined) {
          this.print(this.spoolFile ? `Spooling to ${this.spoolFile}` : 'Spool is OFF');
        } else if (c.target.toUpperCase() === 'OFF') {
          if (this.spoolFile) this.print(`Spool written to ${this.spoolFile}`);
          this.spoolFile = undefined;
        } else {
          const file = resolve(c.target);
          appendFileSync(file, '');
          this.spoolFile = file;
          this.print(`Session will be spooled to ${file}`);
        }
        return true;
    }
  }

  private credentials(): Credentials | undefined {
    return this.opts.credentials;
  }

  private async statement(sql: string): Promise<boolean> {
    const route = routeStatement(sql);
    switch (route.kind) {
      case 'set': {
        try {
          await this.client.checkProperty(route.name);
        } catch (e) {
          if (e instanceof ServerError && e.status !== 404) throw e;
          if (!(e instanceof ServerError)) throw e;
        }
        const old = this.properties.get(route.name);
        this.properties.set(route.name, route.value);
        this.print(
          old === undefined
            ? `Successfully changed local property '${route.name}' to '${shown(route.name, route.value)}'. Use the UNSET command to revert your change.`
            : `Successfully changed local property '${route.name}' from '${shown(route.name, old)}' to '${shown(route.name, route.value)}'.`,
        );
        return true;
      }
      case 'unset': {
        const old = this.properties.get(route.name);
        if (old === undefined) {
          this.printError(`Cannot unset local property '${route.name}' which was never set`);
          return false;
        }
        this.properties.delete(route.name);
        this.print(`Successfully unset local property '${route.name}' (value was '${shown(route.name, old)}').`);
        return true;
      }
      case 'define':
        this.variables.set(route.name, route.value);
        return true;
      case 'undefine':
        if (!this.variables.delete(route.name)) this.print(`Cannot undefine variable '${route.name}' which was never defined`);
        return true;
      case 'runScript':
        return this.runScript(route.file);
      case 'query':
        return this.query(sql);
      case 'ksql': {
        const entities = await this.client.ksql(sql, this.scope()).catch((e: unknown) => {
          if (e instanceof ServerError) for (const ent of e.entities) this.printEntity(ent);
          throw e;
        });
        for (const e of entities) this.printEntity(e);
        if (/^\s*(CREATE|DROP|TERMINATE)\b/i.test(sql)) this.opts.onCatalogChange?.();
        return true;
      }
    }
  }

  private printEntity(e: Entity): void {
    if (this.format === 'JSON') {
      this.print(JSON.stringify(e, null, 2));
      return;
    }
    this.print(`\n${renderEntity(e, this.opts.output.width())}`);
    for (const w of entityWarnings(e)) this.print(w);
  }

  private async query(sql: string): Promise<boolean> {
    const isPrint = /^\s*PRINT\b/i.test(sql.replace(/^\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/)*/g, ''));
    const json = this.format === 'JSON';
    let grid: QueryGrid | undefined;
    let names: readonly string[] = [];
    let rows = 0;
    let limitReached = false;
    const limit = this.opts.queryRowLimit;
    const onHeader = (header: QueryHeader): void => {
      names = header.columnNames;
      if (!isPrint && !json) {
        grid = new QueryGrid(header.columnNames, header.columnTypes, this.opts.output.width() ?? 120);
        this.print(grid.header());
      }
    };
    const onRow = (row: readonly unknown[]): void => {
      if (limitReached) return;
      if (isPrint) this.print(String(row[0]));
      else if (json) this.print(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null]))));
      else if (grid) this.print(grid.row(row));
      else this.print(row.map(cellText).join(' | '));
      rows++;
      if (limit !== undefined && rows >= limit && !limitReached) {
        limitReached = true;
        void q.close();
      }
    };
    const q = this.client.query(sql, this.scope(), { onHeader, onRow });
    this.current = q;
    const timer = this.opts.queryTimeoutMs !== undefined ? setTimeout(() => void q.close(), this.opts.queryTimeoutMs) : undefined;
    try {
      await q.done;
      if (grid) this.print(grid.footer());
      const end = [...(limitReached ? ['Limit Reached'] : []), 'Query terminated'];
      // JSON output stays machine-readable: the end of a query goes to the error stream.
      for (const line of end) json ? this.printError(line) : this.print(line);
      return true;
    } finally {
      if (timer) clearTimeout(timer);
      this.current = undefined;
    }
  }
}
