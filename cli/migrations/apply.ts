/**
 * `apply`: runs the migration files after the latest migrated version, in
 * order, recording RUNNING, then MIGRATED or ERROR, as ksql-migrations does.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { assertNever } from '../../src/common/assert.js';
import { substituteVariables } from '../../src/parser/split.js';
import type { MigrationConfig } from './config.js';
import { listMigrationFiles, type MigrationFile, checksumOf } from './files.js';
import { MigrationsError, type MigrationsLog } from './log.js';
import { NONE, ensureMetadata, latestMigrated, messageOf, versionRow, writeVersion } from './metadata.js';
import { classify, parseDefines, splitMigration, type MigrationStatement } from './sql.js';
import { validateMigrated } from './validate.js';

/** Which files `apply` runs: exactly one of these. */
export type ApplyTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'next' }
  | { readonly kind: 'until'; readonly version: number }
  | { readonly kind: 'version'; readonly version: number };

/** The options of `apply`. */
export interface ApplyOptions {
  readonly target: ApplyTarget;
  readonly dryRun: boolean;
  /** `--define NAME=VALUE` arguments, as given. */
  readonly defines: readonly string[];
}

/** How often, and how far apart, `apply` re-reads the previous version before giving up: the table lags the stream. */
const PREVIOUS_CHECK_TRIES = 10;
const PREVIOUS_CHECK_DELAY_MS = 200;

/** Runs `apply`; resolves when done, throws a MigrationsError on the first failure. */
export async function applyMigrations(cfg: MigrationConfig, opts: ApplyOptions, log: MigrationsLog): Promise<void> {
  await ensureMetadata(cfg);
  if (opts.dryRun) log.info('This is a dry run. No ksqlDB statements will be submitted to the ksqlDB server.');
  const files = listMigrationFiles(cfg.migrationsDir, log);
  await validateMigrated(cfg, files);
  let latest = await latestMigrated(cfg);
  log.info('Loading migration files');
  const selected = selectFiles(files, latest, opts.target);
  if (selected.length === 0) log.info('No eligible migrations found.');
  else log.info(`${selected.length} migration file(s) loaded.`);
  for (const file of selected) {
    log.info(`Applying migration version ${file.version}: ${file.name}`);
    const content = readFileSync(file.path, 'utf8');
    log.info(`${file.path} contents:\n${content}`);
    if (opts.dryRun) {
      log.info('Dry run complete. No migrations were actually applied.');
      continue;
    }
    await verifyMigrated(cfg, latest);
    await applyFile(cfg, file, content, latest, opts.defines);
    log.info('Successfully migrated');
    latest = String(file.version);
  }
}

/**
 * The files after `latest` to apply: `--version N` must name a file newer than
 * it; `--until N` takes those up to N (none when N is not newer); `--next`
 * fails when there is nothing to apply.
 */
function selectFiles(files: readonly MigrationFile[], latest: string, target: ApplyTarget): MigrationFile[] {
  const after = latest === NONE ? 0 : Number(latest);
  switch (target.kind) {
    case 'version': {
      const file = files.find((f) => f.version === target.version);
      if (file === undefined) throw new MigrationsError(`No migration file with version ${target.version} exists.`);
      if (target.version <= after) throw new MigrationsError(`Version must be newer than the last version migrated. Last version migrated was ${latest}`);
      return [file];
    }
    case 'until':
      return files.filter((f) => f.version > after && f.version <= target.version);
    case 'next': {
      const next = files.find((f) => f.version > after);
      if (next === undefined) throw new MigrationsError('No eligible migrations found.');
      return [next];
    }
    case 'all':
      return files.filter((f) => f.version > after);
    default:
      return assertNever(target);
  }
}

/** Waits (a few retries) until `version` reads back MIGRATED: the table may lag the stream the last write went to. */
async function verifyMigrated(cfg: MigrationConfig, version: string): Promise<void> {
  if (version === NONE) return;
  let state = '';
  for (let attempt = 1; attempt <= PREVIOUS_CHECK_TRIES; attempt++) {
    state = (await versionRow(cfg, version))?.state ?? '<no row>';
    if (state === 'MIGRATED') return;
    if (attempt < PREVIOUS_CHECK_TRIES) await delay(PREVIOUS_CHECK_DELAY_MS * attempt);
  }
  throw new MigrationsError(`Expected status MIGRATED for version ${version}. Got ${state}. Failed to verify status of version ${version}`);
}

/** Records RUNNING, runs the file's statements, then records MIGRATED, or ERROR with the reason (and throws it). */
async function applyFile(cfg: MigrationConfig, file: MigrationFile, content: string, previous: string, defines: readonly string[]): Promise<void> {
  const base = {
    version: String(file.version),
    name: file.name,
    checksum: checksumOf(file.path),
    startedOn: String(Date.now()),
    previous,
  };
  await writeVersion(cfg, { ...base, state: 'RUNNING', completedOn: '', errorReason: 'N/A' });
  try {
    await runStatements(cfg, content, defines);
  } catch (e) {
    const reason = messageOf(e);
    await writeVersion(cfg, { ...base, state: 'ERROR', completedOn: String(Date.now()), errorReason: reason });
    throw new MigrationsError(reason);
  }
  await writeVersion(cfg, { ...base, state: 'MIGRATED', completedOn: String(Date.now()), errorReason: 'N/A' });
}

/**
 * Parses every statement first (nothing runs if one is refused), then runs
 * them in order: SET/UNSET and DEFINE/UNDEFINE change this file's properties
 * and variables (each file starts from the `--define` ones), the rest go to the
 * server's `/ksql` with them.
 */
async function runStatements(cfg: MigrationConfig, content: string, defines: readonly string[]): Promise<void> {
  const variables = parseDefines(defines);
  const statements: MigrationStatement[] = [];
  for (const text of splitMigration(content)) {
    try {
      statements.push(classify(text));
    } catch (e) {
      throw new MigrationsError(`Failed to parse sql: ${text}. Error: ${messageOf(e)}`);
    }
  }
  const properties: Record<string, string> = {};
  for (const s of statements) {
    switch (s.kind) {
      case 'set':
        properties[s.name] = s.value;
        break;
      case 'unset':
        delete properties[s.name];
        break;
      case 'define':
        variables.set(s.name, substituteVariables(s.value, variables));
        break;
      case 'undefine':
        variables.delete(s.name);
        break;
      case 'statement':
        try {
          await cfg.client.ksql(s.text, { properties: { ...properties }, variables: Object.fromEntries(variables) });
        } catch (e) {
          throw new MigrationsError(`Failed to execute sql: ${s.text}. Error: ${messageOf(e)}`);
        }
        break;
      default:
        assertNever(s);
    }
  }
}
