import { ExecutionError } from '../../common/errors.js';
import type { Cluster, ClusteredQuery } from './cluster.js';
import type { KafkaLog } from '../log/kafka-log.js';
import type { Log } from '../log/log.js';
import type { PartitionTasks } from '../query/partition-tasks.js';
import { LevelStore, type LevelStoreFactory } from '../state/level-store.js';
import { ChangelogTasks } from './changelog-tasks.js';
import { Membership, type MemberReport } from './membership.js';
import { partitionsIndependent } from './splittable.js';

/**
 * Joins the service on a Kafka cluster: starts the heartbeats (so the servers
 * alive now are known before any query claims a partition) and hands each
 * persistent query its {@link ChangelogTasks}. Timing comes from the server
 * properties `ksql.heartbeat.send.interval.ms` (default 500) and
 * `ksql.heartbeat.window.ms` (how long a silent server counts as alive, default 3000).
 */
export async function joinCluster(
  log: Log,
  serviceId: string,
  stores: LevelStoreFactory,
  report: () => MemberReport,
  properties: Readonly<Record<string, string>>,
): Promise<Cluster> {
  const kafka = log as KafkaLog;
  const ms = (name: string, fallback: number): number => {
    const v = properties[name];
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new ExecutionError(`${name} must be a positive number of milliseconds, got '${v}'`);
    return n;
  };
  const membership = await Membership.join(log, serviceId, report, {
    heartbeatMs: ms('ksql.heartbeat.send.interval.ms', 500),
    timeoutMs: ms('ksql.heartbeat.window.ms', 3_000),
  });
  const internalTopic = (queryId: string, suffix: string) => `_sluice_${serviceId}_query_${queryId}-${suffix}`;
  return {
    membership,
    internalTopic,
    async dropQuery(queryId: string): Promise<void> {
      // Every server of the service runs the TERMINATE: whichever gets there first deletes (a missing topic is skipped).
      for (const suffix of ['changelog', 'Aggregate-GroupBy-repartition']) await log.deleteTopic(internalTopic(queryId, suffix));
    },
    async tasksFor(q: ClusteredQuery): Promise<PartitionTasks> {
      const levelStores = q.stores.map((s) => {
        if (!(s instanceof LevelStore)) throw new ExecutionError(`Query ${q.queryId}: Kafka mode needs its state in the data directory's stores`);
        return s as LevelStore<unknown>;
      });
      return ChangelogTasks.create({
        topic: internalTopic(q.queryId, 'changelog'),
        log: kafka,
        membership,
        serviceId,
        queryId: q.queryId,
        stores: levelStores,
        storeByName: (name) => stores.store(name),
        sources: q.sources,
        partitions: q.partitions,
        splittable: partitionsIndependent(q.physical, q.repartitioned),
        exactlyOnce: q.exactlyOnce,
        changelogEnds: q.changelogEnds,
        onLog: (message) => console.log(message),
      });
    },
  };
}
