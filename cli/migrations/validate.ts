/**
 * The checksum walk of `validate` (and of `apply`, before it runs anything):
 * from the latest migrated version back along PREVIOUS, every version must be
 * MIGRATED and have a local file whose MD5 matches the recorded checksum.
 */
import type { MigrationConfig } from './config.js';
import { checksumOf, fileOfVersion, type MigrationFile } from './files.js';
import { MigrationsError } from './log.js';
import { NONE, latestMigrated, versionRow } from './metadata.js';

/** Throws the first problem of the applied history; resolves when it all matches `files`. */
export async function validateMigrated(cfg: MigrationConfig, files: readonly MigrationFile[]): Promise<void> {
  let version = await latestMigrated(cfg);
  let next: string | undefined;
  const seen = new Set<string>();
  while (version !== NONE) {
    if (seen.has(version)) throw new MigrationsError(`The migrations metadata has a cycle of previous versions at version ${version}`);
    seen.add(version);
    const row = await versionRow(cfg, version);
    if (row === undefined) throw new MigrationsError(`Failed to query metadata for version ${version}`);
    if (row.state !== 'MIGRATED')
      throw new MigrationsError(
        `Discovered version with previous version that does not have status MIGRATED. Version: ${next ?? version}. Previous version: ${version}. Previous version status: ${row.state}`,
      );
    const file = fileOfVersion(files, Number(version));
    if (file === undefined) throw new MigrationsError(`No migrations file found for version with status MIGRATED. Version: ${version}`);
    const actual = checksumOf(file.path);
    if (actual !== row.checksum)
      throw new MigrationsError(
        `Migrations file found for version ${version} does not match the checksum saved for this version. Expected checksum: ${row.checksum}. Actual checksum: ${actual}. File name: ${file.path}`,
      );
    next = version;
    version = row.previous;
  }
}
