/**
 * The commands of `sluice migrations` besides `apply`: `new-project`,
 * `create`, `initialize-metadata`, `info`, `validate`, `destroy-metadata`.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entity } from '../repl/client.js';
import type { MigrationConfig } from './config.js';
import { CONFIG_FILE, MAX_VERSION, MIGRATIONS_DIR, configTemplate, exists, listMigrationFiles, migrationFileName } from './files.js';
import { MigrationsError, type MigrationsLog } from './log.js';
import { createStreamSql, createTableSql, currentVersion, ensureMetadata, messageOf, versionRows } from './metadata.js';
import { validateMigrated } from './validate.js';

const NO_SCOPE = { properties: {}, variables: {} };

/** `new-project PATH URL`: the project directory, its `migrations/` and the properties file. */
export function newProject(path: string, serverUrl: string, log: MigrationsLog): void {
  log.info(`Creating new migrations project at ${path}`);
  for (const dir of [path, join(path, MIGRATIONS_DIR)]) {
    if (exists(dir)) {
      if (!statSync(dir).isDirectory()) throw new MigrationsError(`${dir} already exists as a file. Cannot create directory.`);
      log.warn(`${dir} already exists. Skipping directory creation.`);
      continue;
    }
    log.info(`Creating directory: ${dir}`);
    mkdirSync(dir, { recursive: true });
  }
  const file = join(path, CONFIG_FILE);
  if (exists(file)) throw new MigrationsError(`Failed to create file. File already exists: ${file}`);
  log.info(`Creating file: ${file}`);
  log.info(`Writing to config file: ksql.server.url=${serverUrl}`);
  writeFileSync(file, configTemplate(serverUrl), { flag: 'wx' });
  log.info('Migrations project directory created successfully');
}

/** `create [-v N] DESCRIPTION`: an empty migration file, by default one version above the highest. */
export function createMigration(cfg: MigrationConfig, description: string, version: number | undefined, log: MigrationsLog): void {
  if (description.trim() === '') throw new MigrationsError('Description cannot be empty.');
  const files = listMigrationFiles(cfg.migrationsDir, log);
  const v = version ?? (files.length === 0 ? 1 : files[files.length - 1]!.version + 1);
  if (v > MAX_VERSION) throw new MigrationsError(`Invalid version ${v}: versions are at most ${MAX_VERSION}.`);
  const clash = files.find((f) => f.version === v);
  if (clash !== undefined) throw new MigrationsError(`Found existing migrations file for version ${v}: ${clash.path}`);
  const path = join(cfg.migrationsDir, migrationFileName(v, description));
  log.info(`Creating migration file: ${path}`);
  writeFileSync(path, '', { flag: 'wx' });
  log.info('Migration file successfully created');
}

/** `initialize-metadata`: the metadata stream, then the table over it. */
export async function initializeMetadata(cfg: MigrationConfig, log: MigrationsLog): Promise<void> {
  for (const [what, name, sql] of [
    ['stream', cfg.streamName, createStreamSql(cfg)],
    ['table', cfg.tableName, createTableSql(cfg)],
  ] as const) {
    log.info(`Creating ${what}: ${name}`);
    try {
      await cfg.client.ksql(sql, NO_SCOPE);
    } catch (e) {
      throw new MigrationsError(`Failed to create ${what} ${name}: ${messageOf(e)}`);
    }
  }
  log.info('Migrations metadata initialized successfully');
}

/** `validate`: the checksum walk over the applied versions. */
export async function validate(cfg: MigrationConfig, log: MigrationsLog): Promise<void> {
  await ensureMetadata(cfg);
  await validateMigrated(cfg, listMigrationFiles(cfg.migrationsDir, log));
  log.info('Successfully validated checksums for migrations that have already been applied');
}

/** `info`: the current version and a table of every local file with what the metadata says of it. */
export async function info(cfg: MigrationConfig, log: MigrationsLog): Promise<void> {
  await ensureMetadata(cfg);
  const files = listMigrationFiles(cfg.migrationsDir, log);
  log.info(`Current migration version: ${await currentVersion(cfg)}`);
  if (files.length === 0) {
    log.info('No migrations files found');
    return;
  }
  const rows = await versionRows(
    cfg,
    files.map((f) => String(f.version)),
  );
  const cells = files.map((f) => {
    const r = rows.get(String(f.version));
    return [
      String(f.version),
      f.name,
      r?.state ?? 'PENDING',
      r?.previous ?? 'N/A',
      formatTime(r?.startedOn),
      formatTime(r?.completedOn),
      r?.errorReason ?? 'N/A',
    ];
  });
  log.info(formatTable(['Version', 'Name', 'State', 'Previous Version', 'Started On', 'Completed On', 'Error Reason'], cells));
}

/** Epoch millis as `yyyy-MM-dd HH:mm:ss.SSS` UTC; "N/A" when unknown or empty. */
function formatTime(millis: string | undefined): string {
  if (millis === undefined || millis === '' || !/^\d+$/.test(millis)) return 'N/A';
  return `${new Date(Number(millis)).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** A text table: cells padded to the widest of their column, a dashed rule under the header and at the end. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => ` ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} `;
  const rule = '-'.repeat(widths.reduce((a, w) => a + w + 3, -1));
  return [line(header), rule, ...rows.map(line), rule].join('\n');
}

/** `destroy-metadata`: terminates the table's query, drops the table and the stream with their topics. */
export async function destroyMetadata(cfg: MigrationConfig, log: MigrationsLog): Promise<void> {
  log.info('Cleaning migrations metadata stream and table from ksqlDB server');
  if (!(await sourceExists(cfg, cfg.tableName, 'table'))) log.info('Metadata table does not exist. Skipping cleanup.');
  else {
    let described: Entity[];
    try {
      described = await cfg.client.ksql(`DESCRIBE ${cfg.tableName};`, NO_SCOPE);
    } catch (e) {
      throw new MigrationsError(`Failed to describe metadata table '${cfg.tableName}': ${messageOf(e)}`);
    }
    const description = described[0]?.['sourceDescription'] as { writeQueries?: { id: string }[] } | undefined;
    const queries = (description?.writeQueries ?? []).map((q) => q.id);
    if (queries.length === 0) log.info('Found 0 queries writing to metadata table');
    else if (queries.length > 1)
      throw new MigrationsError(`Found multiple queries writing to metadata table. Query IDs: ${queries.map((q) => `'${q}'`).join(', ')}.`);
    else {
      const id = queries[0]!;
      log.info(`Found 1 query writing to metadata table. Query ID: ${id}`);
      log.info(`Terminating query with ID: ${id}`);
      try {
        await cfg.client.ksql(`TERMINATE ${id};`, NO_SCOPE);
      } catch (e) {
        throw new MigrationsError(`Failed to terminate query populating metadata table. Query ID: ${id}. Error: ${messageOf(e)}`);
      }
    }
    await dropSource(cfg, cfg.tableName, 'table', log);
  }
  if (!(await sourceExists(cfg, cfg.streamName, 'stream'))) log.info('Metadata stream does not exist. Skipping cleanup.');
  else await dropSource(cfg, cfg.streamName, 'stream', log);
  log.info('Migrations metadata cleaned successfully');
}

async function sourceExists(cfg: MigrationConfig, name: string, kind: 'stream' | 'table'): Promise<boolean> {
  let listed: Entity[];
  try {
    listed = await cfg.client.ksql(kind === 'table' ? 'LIST TABLES;' : 'LIST STREAMS;', NO_SCOPE);
  } catch (e) {
    throw new MigrationsError(`Failed to check for presence of metadata ${kind} '${name}': ${messageOf(e)}`);
  }
  const sources = (listed[0]?.[kind === 'table' ? 'tables' : 'streams'] ?? []) as { name: string }[];
  return sources.some((s) => s.name.toUpperCase() === name.toUpperCase());
}

async function dropSource(cfg: MigrationConfig, name: string, kind: 'stream' | 'table', log: MigrationsLog): Promise<void> {
  log.info(`Dropping migrations metadata ${kind}: ${name}`);
  try {
    await cfg.client.ksql(`DROP ${kind.toUpperCase()} ${name} DELETE TOPIC;`, NO_SCOPE);
  } catch (e) {
    throw new MigrationsError(`Failed to drop metadata ${kind} '${name}': ${messageOf(e)}`);
  }
}
