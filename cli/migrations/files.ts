/**
 * A migrations project on disk, as ksql-migrations lays it out:
 * `ksql-migrations.properties` beside a `migrations/` directory of
 * `V<six digits>__<name>.sql` files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationsError, type MigrationsLog } from './log.js';

/** The properties file of a project. */
export const CONFIG_FILE = 'ksql-migrations.properties';
/** The directory of migration files beside it (unless `ksql.migrations.dir.override`). */
export const MIGRATIONS_DIR = 'migrations';
/** The highest version a file may have. */
export const MAX_VERSION = 999_999;

const FILE_PATTERN = /^V([0-9]{6})__(.+)\.sql$/;

/** One migration file. */
export interface MigrationFile {
  readonly version: number;
  /** The description: the part after `__`, underscores shown as spaces. */
  readonly name: string;
  readonly path: string;
}

/** The migration files of `dir`, ordered by version; files not named `V<6 digits>__<name>.sql` are skipped with a warning. */
export function listMigrationFiles(dir: string, log: MigrationsLog): MigrationFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    throw new MigrationsError(`Failed to read migrations directory ${dir}: ${(e as Error).message}`);
  }
  const byVersion = new Map<number, MigrationFile[]>();
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) continue;
    const m = FILE_PATTERN.exec(entry);
    if (!m) {
      log.warn(`Skipping file does not match expected migration file pattern 'V<six digit number>__<name>.sql': ${path}`);
      continue;
    }
    const version = Number(m[1]);
    if (version === 0) throw new MigrationsError(`Migration file versions must be positive. Found version 0: ${path}`);
    const file = { version, name: m[2]!.replace(/_/g, ' '), path };
    byVersion.set(version, [...(byVersion.get(version) ?? []), file]);
  }
  for (const [version, files] of byVersion) {
    if (files.length > 1)
      throw new MigrationsError(
        `Found multiple migration files with the same version. Version: ${version}. Files: ${files.map((f) => `'${f.path}'`).join(', ')}`,
      );
  }
  return [...byVersion.values()].map((f) => f[0]!).sort((a, b) => a.version - b.version);
}

/** The file of `version` in `files`, if any. */
export function fileOfVersion(files: readonly MigrationFile[], version: number): MigrationFile | undefined {
  return files.find((f) => f.version === version);
}

/** `V000042`: the prefix of a version's file name. */
export function versionPrefix(version: number): string {
  return `V${String(version).padStart(6, '0')}`;
}

/** The file name `create` gives a description: whitespace and `/ \ : * ? " < > |` become `_`. */
export function migrationFileName(version: number, description: string): string {
  return `${versionPrefix(version)}__${description.replace(/[\s/\\:*?"<>|]/g, '_')}.sql`;
}

/** Lowercase hex MD5 of the file's bytes: the checksum recorded in the metadata. */
export function checksumOf(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

/** Does `path` exist? */
export function exists(path: string): boolean {
  return existsSync(path);
}

const METADATA_KEYS: readonly (readonly [string, string])[] = [
  ['ksql.migrations.stream.name', 'MIGRATION_EVENTS'],
  ['ksql.migrations.table.name', 'MIGRATION_SCHEMA_VERSIONS'],
  ['ksql.migrations.stream.topic.name', 'ksql-service-idksql_MIGRATION_EVENTS'],
  ['ksql.migrations.table.topic.name', 'ksql-service-idksql_MIGRATION_SCHEMA_VERSIONS'],
  ['ksql.migrations.topic.replicas', '1'],
];
const TLS_KEYS: readonly (readonly [string, string])[] = [
  ['ssl.truststore.location', ''],
  ['ssl.truststore.password', ''],
  ['ssl.keystore.location', ''],
  ['ssl.keystore.password', ''],
  ['ssl.key.password', ''],
  ['ssl.key.alias', ''],
  ['ssl.alpn', 'false'],
  ['ssl.verify.host', 'true'],
];
const AUTH_KEYS: readonly (readonly [string, string])[] = [
  ['ksql.auth.basic.username', ''],
  ['ksql.auth.basic.password', ''],
];
const DIR_KEYS: readonly (readonly [string, string])[] = [['ksql.migrations.dir.override', '']];

/** The properties file `new-project` writes: the server URL, then every other setting commented out at its default. */
export function configTemplate(serverUrl: string): string {
  const section = (header: string, keys: readonly (readonly [string, string])[]) => `\n\n# ${header}:${keys.map(([k, v]) => `\n# ${k}=${v}`).join('')}`;
  return (
    `ksql.server.url=${serverUrl}` +
    section('Migrations metadata configs', METADATA_KEYS) +
    section('TLS configs', TLS_KEYS) +
    section('ksqlDB server authentication configs', AUTH_KEYS) +
    section('Migrations directory configs', DIR_KEYS) +
    '\n'
  );
}
