/**
 * Where and how an engine runs, chosen once when it is built: embedded (every
 * partition of every query runs here, state in memory or the data directory)
 * or Kafka mode (kafka-backend.ts: a service of servers sharing partitions).
 * The engine and the statement handlers ask the backend; nothing else tests
 * which mode it is.
 */
import type { CommandStore } from '../commands/command-log.js';
import type { PullRouting } from '../query/pull-routing.js';
import type { Log } from '../log/log.js';
import type { PartitionTasks } from '../query/partition-tasks.js';
import type { Checkpoint, Durability } from '../query/running-query.js';
import type { LevelStoreFactory } from '../state/level-store.js';
import { MemoryStore, type KeyValueStore } from '../state/store.js';
import type { QueryBackend, StoreProvider, TaskLayout } from '../statements/context.js';

/** A backend's store provider, with what only the engine does with it. */
export interface EngineStores extends StoreProvider {
  /** Writes every query's dirty state in one atomic batch (durable stores; nothing in memory). */
  flushAll(): Promise<void>;
}

/** What the engine runs on: its log, command store, state stores and how queries share partitions. */
export interface ExecutionBackend extends QueryBackend {
  readonly log: Log;
  /** Durable engines: where accepted statements are recorded and replayed from; undefined in memory. */
  readonly commands: CommandStore | undefined;
  readonly stores: EngineStores;
  /** A query stopped here for good (TERMINATE, DROP, CREATE OR REPLACE): deletes what it kept (Kafka: its internal topics). */
  dropQuery(queryId: string): Promise<void>;
  /** Kafka mode: pull-query routing over the tables this service's queries write; undefined when every row is here. */
  readonly pull: PullRouting | undefined;
  /** Kafka mode: `/clusterStatus`'s `clusterStatus` object (every server heard from); undefined embedded. */
  clusterStatus(): Record<string, unknown> | undefined;
  /** Kafka mode: the REST endpoint other servers forward pull queries to. */
  advertise(url: string): void;
  /** Calls `f` whenever which server runs which partition may have changed; returns the unsubscribe. */
  onOwnershipChange(f: () => void): () => void;
  /** Kafka mode: announces leaving the service, once no query runs here any more (the others take over at once). */
  leave(): Promise<void>;
  /** Releases what the backend was opened with (state database, log files, command log, connections). */
  close(): Promise<void>;
}

/** Stores in memory: nothing survives the engine. */
const MEMORY_STORES: EngineStores = {
  open: () => new MemoryStore<unknown>(),
  durability: () => undefined,
  flushAll: async () => undefined,
};

/** Stores in the data directory's state database, checkpointed with the query's positions. */
export function durableStores(factory: LevelStoreFactory): EngineStores {
  return {
    open: factory.forQuery,
    durability: (queryId: string): Durability => ({
      checkpoints: factory.forQuery(queryId, '__checkpoint') as KeyValueStore<Checkpoint>,
      flush: () => factory.flushAll(),
    }),
    flushAll: () => factory.flushAll(),
  };
}

/**
 * One server running every partition of every query as one task: on a given
 * log with memory stores (tests, `sluice test`), or opened on a data directory
 * (open.ts) with its file log, state database and command log.
 */
export class EmbeddedBackend implements ExecutionBackend {
  readonly partitionedTime = false;
  readonly pull = undefined;
  readonly log: Log;
  readonly commands: CommandStore | undefined;
  readonly stores: EngineStores;
  private readonly release: (() => Promise<void>) | undefined;

  constructor(opts: { readonly log: Log; readonly commands?: CommandStore; readonly stores?: EngineStores; readonly close?: () => Promise<void> }) {
    this.log = opts.log;
    this.commands = opts.commands;
    this.stores = opts.stores ?? MEMORY_STORES;
    this.release = opts.close;
  }

  async layout(): Promise<TaskLayout> {
    return { taskCount: 1 };
  }

  async tasksFor(): Promise<PartitionTasks | undefined> {
    return undefined;
  }

  async dropQuery(): Promise<void> {}

  clusterStatus(): undefined {
    return undefined;
  }

  advertise(): void {}

  onOwnershipChange(): () => void {
    return () => undefined;
  }

  async leave(): Promise<void> {}

  async close(): Promise<void> {
    await this.release?.();
  }
}
