/**
 * Opening a durable engine's backend on a data directory: embedded (file log,
 * command log file, state database) or Kafka mode (kafka-backend.ts), and the
 * embedded schema registry saved beside them.
 */
import type { EngineEvents } from '../../common/engine-events.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySchemaRegistry, type RegistrySnapshot } from '../../serde/schema-registry.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { CommandLog } from '../commands/command-log.js';
import type { ConnectorDeps, ConnectorService } from '../connectors/connector.js';
import { FileLog } from '../log/file-log.js';
import { DEFAULT_MAX_PARTITIONS } from '../log/memory-log.js';
import type { RunningQuery } from '../query/running-query.js';
import { LevelStoreFactory } from '../state/level-store.js';
import { EmbeddedBackend, durableStores, type ExecutionBackend } from './backend.js';

/** What `Engine.open` opens an engine on. */
export interface OpenOptions {
  readonly dataDir: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly autoPump?: boolean;
  /** An external (e.g. remote Confluent) schema registry instead of the embedded one. */
  readonly schemaRegistry?: SchemaRegistry;
  /** Kafka mode: the cluster (`--bootstrap-servers`) and the service id naming its groups and internal topics. */
  readonly kafka?: { readonly brokers: readonly string[]; readonly serviceId: string };
  /** Where statements, query starts and stops and processing errors are reported (logs, metrics). */
  readonly events?: EngineEvents;
  /** Opens the connector service (see `EngineSettings.connectors`). */
  readonly connectors?: (deps: ConnectorDeps) => ConnectorService;
}

/** A durable engine's backend and schema registry. */
export interface OpenedBackend {
  readonly backend: ExecutionBackend;
  readonly registry: SchemaRegistry;
}

/**
 * Opens the backend `options` ask for on the data directory (created private to
 * the server's user). `queries` gives the engine's persistent queries once it
 * exists (Kafka mode reports and routes by them).
 */
export async function openBackend(options: OpenOptions, queries: () => ReadonlyMap<string, RunningQuery>): Promise<OpenedBackend> {
  // Private to the server's user: the data holds every record and the statements that made it.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(options.dataDir, 0o700);
  } catch (e) {
    // A directory the server's user does not own keeps its mode; everything created in it is still private.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  }
  // The embedded schema registry lives in the data directory too: saved on every change.
  const registry = options.schemaRegistry ?? openRegistry(join(options.dataDir, 'schemas.json'));
  if (options.kafka) {
    // Loaded only in Kafka mode: kafkajs costs the embedded default start-up time and memory.
    const { KafkaBackend } = await import('./kafka-backend.js');
    const backend = await KafkaBackend.open({ ...options.kafka, dataDir: options.dataDir, registry, properties: options.properties ?? {}, queries });
    return { backend, registry };
  }
  return { backend: await openEmbedded(options), registry };
}

/** The embedded backend on a data directory: `log/`, `commands.jsonl` and the `state/` database. */
async function openEmbedded(options: OpenOptions): Promise<EmbeddedBackend> {
  const log = await FileLog.open(join(options.dataDir, 'log'));
  log.maxPartitions = maxPartitionsOf(options.properties);
  let commands: CommandLog;
  try {
    commands = CommandLog.open(join(options.dataDir, 'commands.jsonl'));
  } catch (e) {
    await log.close();
    throw e;
  }
  let stores: LevelStoreFactory;
  try {
    stores = await LevelStoreFactory.open(options.dataDir);
  } catch (e) {
    await log.close();
    await commands.close();
    throw e;
  }
  return new EmbeddedBackend({
    log,
    commands,
    stores: durableStores(stores),
    close: async () => {
      await stores.close();
      await log.close();
      await commands.close();
    },
  });
}

/** The embedded log's partition bound from server property `sluice.embedded.max.partitions`. */
function maxPartitionsOf(properties: Readonly<Record<string, string>> | undefined): number {
  const raw = properties?.['sluice.embedded.max.partitions'];
  if (raw === undefined) return DEFAULT_MAX_PARTITIONS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid sluice.embedded.max.partitions: '${raw}' (a positive integer)`);
  return n;
}

/** The embedded registry saved in `path`: loaded now, rewritten (atomically) after each change. */
function openRegistry(path: string): InMemorySchemaRegistry {
  const registry = new InMemorySchemaRegistry();
  if (existsSync(path)) registry.restore(JSON.parse(readFileSync(path, 'utf8')) as RegistrySnapshot);
  registry.onChange = () => {
    writeFileSync(`${path}.tmp`, JSON.stringify(registry.snapshot()));
    renameSync(`${path}.tmp`, path);
  };
  return registry;
}
