import type { Log } from '../log/log.js';
import type { RunningQuery } from '../query/running-query.js';
import type { Membership, MemberReport, PartitionLag } from './membership.js';

/** How often the source lag a server reports is read from the cluster. */
const LAG_REFRESH_MS = 2_000;

/**
 * What this server reports in its heartbeats: the partitions each persistent
 * query processes here, and their source lag (position and end summed over the
 * query's sources), refreshed in the background every couple of seconds.
 */
export class MemberReporter {
  private lags: Record<string, Record<string, PartitionLag>> = {};
  private refreshing = false;
  private refreshedAt = 0;

  constructor(
    private readonly queries: () => Iterable<RunningQuery>,
    private readonly log: Log,
  ) {}

  report(): MemberReport {
    const active: Record<string, number[]> = {};
    for (const q of this.queries()) if (q.active.size > 0) active[q.id] = [...q.active].sort((a, b) => a - b);
    if (!this.refreshing && Date.now() - this.refreshedAt > LAG_REFRESH_MS) {
      this.refreshing = true;
      void this.refresh().finally(() => {
        this.refreshing = false;
        this.refreshedAt = Date.now();
      });
    }
    const lags: Record<string, Record<string, PartitionLag>> = {};
    for (const id of Object.keys(active)) if (this.lags[id]) lags[id] = this.lags[id]!;
    return { active, lags };
  }

  private async refresh(): Promise<void> {
    const lags: Record<string, Record<string, PartitionLag>> = {};
    for (const q of [...this.queries()]) {
      const byPartition: Record<string, PartitionLag> = {};
      for (const p of q.active) {
        let position = 0;
        let end = 0;
        for (let i = 0; i < q.sources.length; i++) {
          const at = q.position(i, p);
          if (at === undefined) continue;
          position += at;
          end += await this.log.endOffset(q.sources[i]!.topic, p).catch(() => at);
        }
        byPartition[String(p)] = { position, end };
      }
      lags[q.id] = byPartition;
    }
    this.lags = lags;
  }
}

/**
 * `/clusterStatus`'s `clusterStatus` object in ksqlDB's shape: one entry per
 * server of the service heard from, keyed `host:port` of its REST endpoint, with
 * liveness, its last heartbeat, the partitions it processes per query (as
 * active partitions of each source topic) and their lag.
 */
export function clusterStatusJson(membership: Membership, queries: ReadonlyMap<string, RunningQuery>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { member, alive } of membership.allMembers()) {
    const activeStandbyPerQuery: Record<string, unknown> = {};
    const stateStoreLags: Record<string, unknown> = {};
    for (const [queryId, partitions] of Object.entries(member.active)) {
      const q = queries.get(queryId);
      const topics = q ? q.sources.map((s) => s.topic) : [];
      activeStandbyPerQuery[queryId] = {
        activeStores: q ? q.stores.map((s) => (s as { name?: string }).name ?? queryId) : [],
        activePartitions: partitions.flatMap((partition) => topics.map((topic) => ({ topic, partition }))),
        standByStores: [],
        standByPartitions: [],
      };
      const lagByPartition: Record<string, unknown> = {};
      for (const [p, lag] of Object.entries(member.lags[queryId] ?? {})) {
        lagByPartition[p] = { currentOffsetPosition: lag.position, endOffsetPosition: lag.end, offsetLag: Math.max(0, lag.end - lag.position) };
      }
      stateStoreLags[queryId] = { lagByPartition, size: partitions.length };
    }
    const host = member.url ? member.url.replace(/^https?:\/\//, '') : `member-${member.id}`;
    out[host] = {
      hostAlive: alive,
      lastStatusUpdateMs: member.lastSeen,
      activeStandbyPerQuery,
      hostStoreLags: { stateStoreLags, updateTimeMs: member.lastSeen },
    };
  }
  return out;
}
