/**
 * The migrations metadata on the server, with ksql-migrations' names, columns
 * and states: a stream of events (two rows per change, keyed `CURRENT` and the
 * version) and a table of each key's latest event, read with pull queries.
 */
import type { MigrationConfig } from './config.js';
import { MigrationsError } from './log.js';

/** A version's state. PENDING is never written: `info` shows it for files without a row. */
export type MigrationState = 'PENDING' | 'RUNNING' | 'MIGRATED' | 'ERROR';

/** "No version", in PREVIOUS and as the current version. */
export const NONE = '<none>';

/** What the metadata says of one version. */
export interface VersionRow {
  readonly version: string;
  readonly name: string;
  readonly state: MigrationState;
  readonly checksum: string;
  /** Epoch millis, as a string. */
  readonly startedOn: string;
  /** Epoch millis, or "" while RUNNING. */
  readonly completedOn: string;
  /** The version migrated before this one, or {@link NONE}. */
  readonly previous: string;
  /** "N/A", or why it failed. */
  readonly errorReason: string;
}

const VALUE_COLUMNS = ['VERSION', 'NAME', 'STATE', 'CHECKSUM', 'STARTED_ON', 'COMPLETED_ON', 'PREVIOUS', 'ERROR_REASON'] as const;
const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The CREATE STREAM of `initialize-metadata`. */
export function createStreamSql(cfg: MigrationConfig): string {
  const columns = VALUE_COLUMNS.map((c) => `  ${c} STRING`).join(',\n');
  return (
    `CREATE STREAM ${cfg.streamName} (\n  VERSION_KEY STRING KEY,\n${columns}\n) WITH (\n` +
    `  KAFKA_TOPIC=${quote(cfg.streamTopic)},\n  VALUE_FORMAT='JSON',\n  PARTITIONS=1,\n  REPLICAS=${cfg.replicas}\n);`
  );
}

/** The CREATE TABLE AS SELECT of `initialize-metadata`: each key's latest event. */
export function createTableSql(cfg: MigrationConfig): string {
  const columns = VALUE_COLUMNS.map((c) => `\n    LATEST_BY_OFFSET(${c}) AS ${c}`).join(',');
  return (
    `CREATE TABLE ${cfg.tableName}\n  WITH (\n    KAFKA_TOPIC=${quote(cfg.tableTopic)}\n  )\n` +
    `  AS SELECT \n    VERSION_KEY, ${columns}\n  FROM ${cfg.streamName} \n  GROUP BY VERSION_KEY;`
  );
}

/** Fails with ksql-migrations' hint when the metadata stream or table is missing. */
export async function ensureMetadata(cfg: MigrationConfig): Promise<void> {
  for (const [what, name] of [
    ['stream', cfg.streamName],
    ['table', cfg.tableName],
  ] as const) {
    try {
      await cfg.client.ksql(`DESCRIBE ${name};`, { properties: {}, variables: {} });
    } catch (e) {
      throw new MigrationsError(
        `Failed to verify existence of migrations metadata ${what} '${name}'. Did you run \`sluice migrations initialize-metadata\`? Error message: ${messageOf(e)}`,
      );
    }
  }
}

/** Records a state change: the same event keyed `CURRENT`, then keyed by the version. */
export async function writeVersion(cfg: MigrationConfig, row: VersionRow): Promise<void> {
  const values = {
    VERSION: row.version,
    NAME: row.name,
    STATE: row.state,
    CHECKSUM: row.checksum,
    STARTED_ON: row.startedOn,
    COMPLETED_ON: row.completedOn,
    PREVIOUS: row.previous,
    ERROR_REASON: row.errorReason,
  };
  try {
    await cfg.client.insert(cfg.streamName, [
      { VERSION_KEY: 'CURRENT', ...values },
      { VERSION_KEY: row.version, ...values },
    ]);
  } catch (e) {
    throw new MigrationsError(`Failed to write ${row.state} status for migration version ${row.version}: ${messageOf(e)}`);
  }
}

async function pull(cfg: MigrationConfig, sql: string): Promise<readonly (readonly unknown[])[]> {
  try {
    return (await cfg.client.pullQuery(sql)).rows;
  } catch (e) {
    throw new MigrationsError(`Failed to query the migrations metadata table ${cfg.tableName}: ${messageOf(e)}`);
  }
}

const SELECT_ROW = 'SELECT version, checksum, previous, state, name, started_on, completed_on, error_reason FROM';
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function toRow(r: readonly unknown[]): VersionRow {
  return {
    version: text(r[0]),
    checksum: text(r[1]),
    previous: text(r[2]),
    state: text(r[3]) as MigrationState,
    name: text(r[4]),
    startedOn: text(r[5]),
    completedOn: text(r[6]),
    errorReason: text(r[7]),
  };
}

/** The CURRENT version (whatever its state), or {@link NONE}. */
export async function currentVersion(cfg: MigrationConfig): Promise<string> {
  const rows = await pull(cfg, `SELECT VERSION FROM ${cfg.tableName} WHERE version_key = 'CURRENT';`);
  return rows.length === 0 ? NONE : text(rows[0]![0]);
}

/** What the metadata says of `version`, if anything. */
export async function versionRow(cfg: MigrationConfig, version: string): Promise<VersionRow | undefined> {
  const rows = await pull(cfg, `${SELECT_ROW} ${cfg.tableName} WHERE version_key = ${quote(version)};`);
  return rows.length === 0 ? undefined : toRow(rows[0]!);
}

/** What the metadata says of each of `versions` (one pull query), by version. */
export async function versionRows(cfg: MigrationConfig, versions: readonly string[]): Promise<Map<string, VersionRow>> {
  if (versions.length === 0) return new Map();
  const rows = await pull(cfg, `${SELECT_ROW} ${cfg.tableName} WHERE version_key IN (${versions.map(quote).join(', ')});`);
  return new Map(rows.map((r) => [text(r[0]), toRow(r)]));
}

/**
 * The latest version that migrated: CURRENT when its state is MIGRATED,
 * otherwise (a failed or running version) the one before it; {@link NONE} if none.
 */
export async function latestMigrated(cfg: MigrationConfig): Promise<string> {
  const current = await currentVersion(cfg);
  if (current === NONE) return NONE;
  const row = await versionRow(cfg, current);
  if (row === undefined) throw new MigrationsError(`Failed to query metadata for version ${current}`);
  return row.state === 'MIGRATED' ? current : row.previous;
}

/** The message of a failure (the server's, for a ServerError), for a log line. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
