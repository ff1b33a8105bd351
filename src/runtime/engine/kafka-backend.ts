/**
 * Kafka mode's backend: topics on a Kafka cluster, statements in the service's
 * command topic, state in the data directory, and every query's partitions
 * shared with the service's other servers. Loaded only in Kafka mode (it pulls
 * in kafkajs).
 */
import type { DataSource } from '../../planner/data-source.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import type { Cluster, ClusteredQuery } from '../cluster/cluster.js';
import { MemberReporter, clusterStatusJson } from '../cluster/cluster-status.js';
import { joinCluster } from '../cluster/kafka-cluster.js';
import { pullRouting, type PullRouting } from '../query/pull-routing.js';
import { repartitionStep } from '../cluster/splittable.js';
import { KafkaCommandLog } from '../commands/kafka-command-log.js';
import { KafkaLog } from '../log/kafka-log.js';
import type { PartitionTasks } from '../query/partition-tasks.js';
import type { RunningQuery } from '../query/running-query.js';
import { LevelStoreFactory } from '../state/level-store.js';
import type { TaskLayout } from '../statements/context.js';
import { durableStores, type EngineStores, type ExecutionBackend } from './backend.js';

/** What {@link KafkaBackend.open} connects to and with. */
export interface KafkaBackendOptions {
  readonly brokers: readonly string[];
  /** Names the service's consumer groups, command topic and internal topics. */
  readonly serviceId: string;
  /** Where the state stores and their checkpoints live. */
  readonly dataDir: string;
  readonly registry: SchemaRegistry;
  /** Server properties (heartbeat timing). */
  readonly properties: Readonly<Record<string, string>>;
  /**
   * The engine's persistent queries (bound late: the backend exists before the
   * engine), which heartbeats report and pull queries are routed by.
   */
  readonly queries: () => ReadonlyMap<string, RunningQuery>;
}

/** What {@link KafkaBackend.open} opened, in the order it opened them. */
interface Opened {
  readonly log: KafkaLog;
  readonly commands: KafkaCommandLog;
  readonly stores: LevelStoreFactory;
  readonly cluster: Cluster;
}

export class KafkaBackend implements ExecutionBackend {
  readonly partitionedTime = true;
  readonly log: KafkaLog;
  readonly commands: KafkaCommandLog;
  readonly stores: EngineStores;
  readonly pull: PullRouting;
  private readonly levelStores: LevelStoreFactory;
  private readonly cluster: Cluster;

  private constructor(
    opened: Opened,
    private readonly opts: KafkaBackendOptions,
  ) {
    this.log = opened.log;
    this.commands = opened.commands;
    this.levelStores = opened.stores;
    this.cluster = opened.cluster;
    this.stores = durableStores(opened.stores);
    this.pull = pullRouting(opts.queries, opts.registry);
  }

  /** Connects, reads the command topic, opens the state stores and joins the service; on failure releases what it opened. */
  static async open(opts: KafkaBackendOptions): Promise<KafkaBackend> {
    const log = await KafkaLog.connect({ brokers: opts.brokers, serviceId: opts.serviceId });
    let commands: KafkaCommandLog;
    try {
      commands = await KafkaCommandLog.open(log, opts.serviceId);
    } catch (e) {
      await log.close();
      throw e;
    }
    let stores: LevelStoreFactory;
    try {
      stores = await LevelStoreFactory.open(opts.dataDir);
    } catch (e) {
      await log.close();
      await commands.close();
      throw e;
    }
    const reporter = new MemberReporter(() => opts.queries().values(), log);
    const cluster = await joinCluster(log, opts.serviceId, stores, () => reporter.report(), opts.properties);
    return new KafkaBackend({ log, commands, stores, cluster }, opts);
  }

  async layout(queryId: string, physical: PhysicalPlan, sources: readonly DataSource[]): Promise<TaskLayout> {
    let taskCount = 1;
    for (const src of sources) taskCount = Math.max(taskCount, (await this.log.topic(src.topic))?.partitions ?? 1);
    // One partition is one task: every group is in it already, so nothing to move.
    const step = taskCount > 1 ? repartitionStep(physical) : undefined;
    if (step === undefined) return { taskCount };
    const topic = this.cluster.internalTopic(queryId, 'Aggregate-GroupBy-repartition');
    await this.log.createTopic(topic, taskCount);
    return { taskCount, repartition: { step, topic, partitions: taskCount } };
  }

  tasksFor(q: ClusteredQuery): Promise<PartitionTasks> {
    return this.cluster.tasksFor(q);
  }

  dropQuery(queryId: string): Promise<void> {
    return this.cluster.dropQuery(queryId);
  }

  clusterStatus(): Record<string, unknown> {
    return clusterStatusJson(this.cluster.membership, this.opts.queries());
  }

  advertise(url: string): void {
    this.cluster.membership.advertise(url);
  }

  onOwnershipChange(f: () => void): () => void {
    return this.cluster.membership.onChange(f);
  }

  leave(): Promise<void> {
    return this.cluster.membership.close();
  }

  async close(): Promise<void> {
    await this.levelStores.close();
    await this.log.close();
    await this.commands.close();
  }
}
