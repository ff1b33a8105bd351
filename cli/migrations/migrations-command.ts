/**
 * `sluice migrations`: ksql-migrations' commands, flags and messages, talking
 * to a Sluice (or ksqlDB) server over its REST API only.
 */
import { parseArgs } from 'node:util';
import { readProperties } from '../config/properties-file.js';
import { applyMigrations, type ApplyTarget } from './apply.js';
import { createMigration, destroyMetadata, info, initializeMetadata, newProject, validate } from './commands.js';
import { loadConfig, type MigrationConfig } from './config.js';
import { MAX_VERSION } from './files.js';
import { MigrationsError, consoleLog, type MigrationsLog } from './log.js';

export const MIGRATIONS_HELP = `Usage: sluice migrations [-c|--config-file FILE] <command> [options]

Manage ksqlDB statements as versioned migration files, as ksql-migrations does.

Commands:
  new-project PATH URL      create PATH/ksql-migrations.properties and PATH/migrations/
  initialize-metadata       create the metadata stream and table on the server
  create [-v N] DESCRIPTION create an empty migration file V<N>__<DESCRIPTION>.sql
  apply (-a|--all | -n|--next | -u|--until N | -v|--version N)
        [--dry-run] [-d|--define NAME=VALUE]... [--headers FILE]
                            run migration files not applied yet, in version order
  info                      the current version and the state of every file
  validate                  check the applied files' checksums against the metadata
  destroy-metadata          drop the metadata stream and table, and their topics
  help                      this text

Every command but new-project needs the project's properties file (-c FILE).
Exit code 0 on success, 1 on failure.
`;

/** A migrations command line: the config file and the command with its arguments. */
function splitConfigFile(argv: readonly string[]): { configFile: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c' || a === '--config-file') {
      const v = argv[++i];
      if (v === undefined) throw new MigrationsError(`${a} needs a file`);
      configFile = v;
    } else if (a.startsWith('--config-file=')) configFile = a.slice('--config-file='.length);
    else rest.push(a);
  }
  return { configFile, rest };
}

function versionArg(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_VERSION) throw new MigrationsError(`${flag} must be a version from 1 to ${MAX_VERSION}, got '${text}'`);
  return n;
}

/** Runs `sluice migrations ARGS`; resolves with the exit code. */
export async function migrationsCommand(argv: readonly string[], log: MigrationsLog = consoleLog): Promise<number> {
  let parsed: { configFile: string | undefined; rest: string[] };
  try {
    parsed = splitConfigFile(argv);
  } catch (e) {
    log.error((e as Error).message);
    return 1;
  }
  const [command, ...args] = parsed.rest;
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
    process.stdout.write(MIGRATIONS_HELP);
    return command === undefined ? 1 : 0;
  }
  const started = process.hrtime.bigint();
  let code = 0;
  try {
    await runCommand(command, args, parsed.configFile, log);
  } catch (e) {
    // MigrationsError, node:util's parseArgs errors and file errors: all reported by their message.
    log.error((e as Error).message);
    code = 1;
  }
  log.info(`Execution time: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(4)} seconds`);
  return code;
}

async function runCommand(command: string, args: readonly string[], configFile: string | undefined, log: MigrationsLog): Promise<void> {
  const config = (headers: Readonly<Record<string, string>> = {}): Promise<MigrationConfig> => {
    if (configFile === undefined)
      throw new MigrationsError('Migrations config file required but not specified. Specify with --config-file (or, equivalently, -c).');
    return loadConfig(configFile, log, headers);
  };
  const noArgs = () => {
    if (args.length > 0) throw new MigrationsError(`Unexpected arguments to \`sluice migrations ${command}\`: ${args.join(' ')}`);
  };
  switch (command) {
    case 'new-project': {
      if (configFile !== undefined)
        throw new MigrationsError(
          'This command does not expect a config file to be passed. Rather, this command will create one as part of preparing the migrations directory.',
        );
      if (args.length !== 2)
        throw new MigrationsError(
          `Unexpected number of arguments to \`sluice migrations new-project\`. Expected: 2. Got: ${args.length}. See \`sluice migrations help\` for usage.`,
        );
      newProject(args[0]!, args[1]!, log);
      return;
    }
    case 'create': {
      const { values, positionals } = parseArgs({ args: [...args], options: { version: { type: 'string', short: 'v' } }, allowPositionals: true });
      if (positionals.length !== 1) throw new MigrationsError('Expected exactly one DESCRIPTION argument to `sluice migrations create`.');
      createMigration(await config(), positionals[0]!, versionArg(values.version, '--version'), log);
      return;
    }
    case 'initialize-metadata':
    case 'initialize':
      noArgs();
      await initializeMetadata(await config(), log);
      return;
    case 'apply': {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          all: { type: 'boolean', short: 'a' },
          next: { type: 'boolean', short: 'n' },
          until: { type: 'string', short: 'u' },
          version: { type: 'string', short: 'v' },
          'dry-run': { type: 'boolean' },
          define: { type: 'string', short: 'd', multiple: true },
          headers: { type: 'string' },
        },
        allowPositionals: true,
      });
      if (positionals.length > 0) throw new MigrationsError(`Unexpected arguments to \`sluice migrations apply\`: ${positionals.join(' ')}`);
      const targets: ApplyTarget[] = [];
      if (values.all) targets.push({ kind: 'all' });
      if (values.next) targets.push({ kind: 'next' });
      const until = versionArg(values.until, '--until');
      if (until !== undefined) targets.push({ kind: 'until', version: until });
      const version = versionArg(values.version, '--version');
      if (version !== undefined) targets.push({ kind: 'version', version });
      if (targets.length !== 1) throw new MigrationsError('Exactly one of the following options must be specified: --all, --next, --until, --version');
      const headers = values.headers === undefined ? {} : readHeaders(values.headers);
      await applyMigrations(await config(headers), { target: targets[0]!, dryRun: values['dry-run'] ?? false, defines: values.define ?? [] }, log);
      return;
    }
    case 'info':
      noArgs();
      await info(await config(), log);
      return;
    case 'validate':
      noArgs();
      await validate(await config(), log);
      return;
    case 'destroy-metadata':
      noArgs();
      await destroyMetadata(await config(), log);
      return;
    default:
      throw new MigrationsError(`Unknown command '${command}'. See \`sluice migrations help\` for usage.`);
  }
}

function readHeaders(path: string): Record<string, string> {
  try {
    return readProperties(path);
  } catch (e) {
    throw new MigrationsError(`Failed to read headers file ${path}: ${(e as Error).message}`);
  }
}
