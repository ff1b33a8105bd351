import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ServerUnreachableError } from './repl/client.js';
import { Completer } from './repl/completer.js';
import { banner, runRepl } from './repl/repl.js';
import { Session, describeError, type Output } from './repl/session.js';
import { readCaFile, readProperties } from './config/properties-file.js';

const CLI_USAGE = `Usage: sluice cli [URL] [options]       connect to a server (default http://localhost:8088)
       sluice [options]                 start an embedded server on ./sluice-data and connect to it

Options:
  -e, --execute SQL          run the statements, print their results and exit
  -f, --file FILE            run the statements of FILE and exit
      --output json|tabular  output format (default tabular)
  -u, --user USER            HTTP Basic user
  -p, --password PASSWORD    HTTP Basic password
      --query-row-limit N    stop queries after N rows
      --query-timeout MS     stop queries after MS milliseconds
      --define NAME=VALUE    define a session variable, as DEFINE does (repeatable)
      --config-file FILE     session properties (key=value lines), as SET sets them;
                             its ssl.* keys set the client's TLS trust instead:
                             ssl.ca.location or ssl.truststore.location (PEM file)
      --ca-file FILE         trust the server certificates this CA (PEM) signed
Embedded server only:
      --data-dir DIR         where the embedded server keeps its data (default ./sluice-data)
      --port N               its port (default 8088; 0 picks a free one)
  -h, --help                 this text

Exits with 1 when a statement fails (with -e, -f, or input that is not a terminal).`;

/** Options shared by `sluice cli` and plain `sluice`. */
interface CliArgs {
  readonly url?: string;
  readonly execute?: string;
  readonly file?: string;
  readonly output: 'TABULAR' | 'JSON';
  readonly user?: string;
  readonly password?: string;
  readonly rowLimit?: number;
  readonly timeoutMs?: number;
  /** `--define NAME=VALUE`: session variables. */
  readonly variables: Readonly<Record<string, string>>;
  /** `--config-file FILE`: session properties. */
  readonly properties: Readonly<Record<string, string>>;
  /** `--ca-file` or the config file's `ssl.ca.location` / `ssl.truststore.location`: PEM CA certificates to trust. */
  readonly ca?: string;
  readonly dataDir: string;
  readonly port: number;
}

function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
  return n;
}

function parse(argv: readonly string[], embedded: boolean): CliArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: !embedded,
    strict: true,
    options: {
      execute: { type: 'string', short: 'e' },
      file: { type: 'string', short: 'f' },
      output: { type: 'string' },
      user: { type: 'string', short: 'u' },
      password: { type: 'string', short: 'p' },
      'query-row-limit': { type: 'string' },
      'query-timeout': { type: 'string' },
      define: { type: 'string', multiple: true },
      'config-file': { type: 'string' },
      'ca-file': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 1) throw new Error(`expected at most one server URL, got ${positionals.join(' ')}`);
  const output = (values.output ?? 'tabular').toUpperCase();
  if (output !== 'JSON' && output !== 'TABULAR') throw new Error(`--output must be json or tabular, got '${values.output}'`);
  if (values.execute !== undefined && values.file !== undefined) throw new Error('use either --execute or --file, not both');
  if (!embedded && (values['data-dir'] !== undefined || values.port !== undefined))
    throw new Error('--data-dir and --port are for the embedded server (plain `sluice`)');
  if ((values.user === undefined) !== (values.password === undefined)) throw new Error('--user and --password go together');
  const variables: Record<string, string> = {};
  for (const d of values.define ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(d);
    if (!m) throw new Error(`--define must be NAME=VALUE with NAME a variable name, got '${d}'`);
    variables[m[1]!] = m[2]!;
  }
  const properties = values['config-file'] !== undefined ? readProperties(values['config-file']) : {};
  // As ksqlDB's CLI, the config file's ssl.* settings configure the client's connection, not the session.
  const ssl = Object.fromEntries(Object.entries(properties).filter(([k]) => k.startsWith('ssl.')));
  for (const k of Object.keys(ssl)) delete properties[k];
  const caFile = values['ca-file'] ?? ssl['ssl.ca.location'] ?? ssl['ssl.truststore.location'];
  const ca = caFile === undefined ? undefined : readCaFile(caFile);
  let url = positionals[0];
  if (url !== undefined && !/^https?:\/\//.test(url)) url = `http://${url}`;
  return {
    url: embedded ? undefined : (url ?? 'http://localhost:8088'),
    execute: values.execute,
    file: values.file,
    output,
    user: values.user,
    password: values.password,
    rowLimit: positiveInt(values['query-row-limit'], '--query-row-limit'),
    timeoutMs: positiveInt(values['query-timeout'], '--query-timeout'),
    variables,
    properties,
    ...(ca !== undefined ? { ca } : {}),
    dataDir: resolve(values['data-dir'] ?? './sluice-data'),
    port: positiveInt(values.port, '--port') ?? 8088,
  };
}

/** Fails with a helpful message when `port` is taken (a server may already run on the data directory). */
function checkPortFree(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${port} is in use — is Sluice already running? Connect to it with 'sluice cli http://localhost:${port}', or start another with --port N --data-dir DIR`
            : `cannot listen on port ${port}: ${e.message}`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

const consoleOutput: Output = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  width: () => (process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : undefined),
};

/**
 * `sluice cli [URL]` (connect to a server) and plain `sluice` (`embedded`:
 * start a server on a data directory in this process, then connect to it).
 * Runs `-e`/`-f` non-interactively, otherwise the REPL. Resolves with the exit code.
 */
export async function cliCommand(argv: readonly string[], opts: { readonly embedded: boolean; readonly version: string }): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parse(argv, opts.embedded);
  } catch (e) {
    process.stderr.write(`sluice: ${(e as Error).message}\n\n${CLI_USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  let stopServer: (() => Promise<void>) | undefined;
  let url = args.url ?? '';
  let note: string | undefined;
  if (opts.embedded) {
    try {
      await checkPortFree(args.port);
    } catch (e) {
      process.stderr.write(`sluice: ${(e as Error).message}\n`);
      return 1;
    }
    const [{ Engine }, { startServer }] = await Promise.all([import('../src/runtime/engine/engine.js'), import('../src/server/index.js')]);
    // The data directory's files are private to the user, as with `sluice server`.
    process.umask(0o077);
    const engine = await Engine.open({ dataDir: args.dataDir });
    const server = await startServer({ engine, port: args.port, host: '127.0.0.1', version: opts.version }).catch(async (e: unknown) => {
      await engine.close();
      throw e;
    });
    stopServer = () => server.close();
    url = server.url;
    note = `Embedded server, data in ${args.dataDir} (other clients can connect to ${url})`;
  }
  try {
    return await runSession(args, url, opts.version, note);
  } finally {
    await stopServer?.();
  }
}

async function runSession(args: CliArgs, url: string, version: string, note: string | undefined): Promise<number> {
  let completer: Completer | undefined;
  const session = new Session({
    url,
    credentials: args.user !== undefined ? { user: args.user, password: args.password ?? '' } : undefined,
    ...(args.ca !== undefined ? { tls: { ca: args.ca } } : {}),
    output: consoleOutput,
    format: args.output,
    queryRowLimit: args.rowLimit,
    queryTimeoutMs: args.timeoutMs,
    clientVersion: version,
    onCatalogChange: () => void completer?.refresh(),
  });
  for (const [k, v] of Object.entries(args.variables)) session.variables.set(k, v);
  for (const [k, v] of Object.entries(args.properties)) session.properties.set(k, v);
  let info;
  try {
    info = await session.client.info();
  } catch (e) {
    process.stderr.write(`${describeError(e)}\n`);
    return 1;
  }
  const onSignal = (): void => {
    if (session.queryRunning) void session.interrupt();
    else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  try {
    if (args.execute !== undefined) return (await session.runText(args.execute)) ? 0 : 1;
    if (args.file !== undefined) {
      let text: string;
      try {
        text = readFileSync(args.file, 'utf8');
      } catch (e) {
        process.stderr.write(`${describeError(e)}\n`);
        return 1;
      }
      return (await session.runText(text)) ? 0 : 1;
    }
    const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
    if (terminal) process.stdout.write(`${banner(version, info.version, session.client.url, info.serverStatus, note)}\n`);
    completer = new Completer(() => session.client);
    return await runRepl({ session, completer, input: process.stdin, output: process.stdout, terminal });
  } catch (e) {
    if (e instanceof ServerUnreachableError) process.stderr.write(`${describeError(e)}\n`);
    else process.stderr.write(`sluice: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
