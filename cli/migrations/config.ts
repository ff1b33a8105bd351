/**
 * `ksql-migrations.properties`, read as ksql-migrations reads it: the server
 * URL (required), the metadata names (topic names default from the server's
 * service id, so loading asks `/info`), Basic auth and TLS, the directory.
 */
import { dirname, join, resolve } from 'node:path';
import { readCaFile, readProperties } from '../config/properties-file.js';
import { SluiceClient, type ClientTls, type Credentials } from '../repl/client.js';
import { MIGRATIONS_DIR } from './files.js';
import { MigrationsError, type MigrationsLog } from './log.js';

/** A loaded configuration and a client of its server. */
export interface MigrationConfig {
  readonly serverUrl: string;
  readonly streamName: string;
  readonly tableName: string;
  readonly streamTopic: string;
  readonly tableTopic: string;
  readonly replicas: number;
  /** Absolute path of the migration files' directory. */
  readonly migrationsDir: string;
  readonly client: SluiceClient;
}

/** Keys ksql-migrations has that Sluice does not act on yet: a warning names them when set. */
const UNSUPPORTED_PREFIXES = ['ssl.keystore.', 'ssl.key.', 'bearer.auth.'];

/**
 * Reads the config file, checks it, and asks the server's `/info` for its
 * service id. `headers` are extra HTTP headers for every request (`--headers`).
 */
export async function loadConfig(path: string, log: MigrationsLog, headers: Readonly<Record<string, string>> = {}): Promise<MigrationConfig> {
  let props: Record<string, string>;
  try {
    props = readProperties(path);
  } catch (e) {
    throw new MigrationsError(`Failed to read migrations config file ${path}: ${(e as Error).message}`);
  }
  const get = (key: string): string | undefined => {
    const v = props[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const serverUrl = get('ksql.server.url');
  if (serverUrl === undefined) throw new MigrationsError('Missing required property: ksql.server.url');
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new MigrationsError(`Invalid ksql server URL: ${serverUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MigrationsError(`Invalid ksql server URL: ${serverUrl}`);

  for (const key of Object.keys(props).sort()) {
    if (get(key) !== undefined && UNSUPPORTED_PREFIXES.some((p) => key.startsWith(p)))
      log.warn(`${key} is not supported by sluice migrations yet and is ignored (client certificates and bearer tokens are not implemented).`);
  }
  const user = get('ksql.auth.basic.username');
  const password = get('ksql.auth.basic.password');
  const credentials: Credentials | undefined = user !== undefined || password !== undefined ? { user: user ?? '', password: password ?? '' } : undefined;
  const tls = url.protocol === 'https:' ? tlsOf(get) : {};

  const client = new SluiceClient(serverUrl, credentials, tls, headers);
  let serviceId: string;
  try {
    serviceId = (await client.info()).ksqlServiceId;
  } catch (e) {
    throw new MigrationsError(`Failed to query ${client.url}/info: ${(e as Error).message}`);
  }
  const streamName = get('ksql.migrations.stream.name') ?? 'MIGRATION_EVENTS';
  const tableName = get('ksql.migrations.table.name') ?? 'MIGRATION_SCHEMA_VERSIONS';
  const replicasText = get('ksql.migrations.topic.replicas') ?? '1';
  const replicas = Number(replicasText);
  if (!Number.isInteger(replicas) || replicas < 1)
    throw new MigrationsError(`Invalid value ${replicasText} for configuration ksql.migrations.topic.replicas: must be a positive integer`);
  const dirOverride = get('ksql.migrations.dir.override');
  return {
    serverUrl,
    streamName,
    tableName,
    streamTopic: get('ksql.migrations.stream.topic.name') ?? `${serviceId}ksql_${streamName}`,
    tableTopic: get('ksql.migrations.table.topic.name') ?? `${serviceId}ksql_${tableName}`,
    replicas,
    migrationsDir: dirOverride !== undefined ? resolve(dirOverride) : join(dirname(resolve(path)), MIGRATIONS_DIR),
    client,
  };
}

/** The truststore (a PEM file here; a JKS one is refused with how to convert it) and host verification. */
function tlsOf(get: (key: string) => string | undefined): ClientTls {
  const trust = get('ssl.truststore.location');
  let ca: string | undefined;
  try {
    ca = trust === undefined ? undefined : readCaFile(trust);
  } catch (e) {
    throw new MigrationsError(`Invalid ssl.truststore.location: ${(e as Error).message}`);
  }
  const verify = (get('ssl.verify.host') ?? 'true').toLowerCase();
  if (verify !== 'true' && verify !== 'false') throw new MigrationsError(`Invalid value ${verify} for configuration ssl.verify.host: must be true or false`);
  return { ...(ca !== undefined ? { ca } : {}), verifyHost: verify === 'true' };
}
