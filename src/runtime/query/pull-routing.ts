import type { DataSource } from '../../planner/data-source.js';
import { partitionFor } from '../log/murmur2.js';
import type { RunningQuery } from './running-query.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { encodeValue } from '../state/level-store.js';

/** Where a pull query on a table runs: the partitions this server answers and those other servers do. */
export interface PullPlan {
  readonly local: ReadonlySet<number>;
  readonly remotes: readonly { readonly url: string; readonly partitions: readonly number[] }[];
}

/**
 * The task partition holding a key of the table a query writes: the hash of the
 * group key when the query repartitions (as the repartition topic's writer does),
 * else the source partition the key's records come from (the table's key is the
 * source key). Undefined when it cannot be known (another key shape).
 */
export function taskOfKey(q: RunningQuery, key: readonly unknown[], registry: SchemaRegistry): number | undefined {
  const n = q.taskCount;
  if (n <= 1) return 0;
  if (q.repartitioned) return partitionFor(Buffer.from(encodeValue(key)), n);
  const src = q.source;
  if (src.schema.key.length !== key.length) return undefined;
  const bytes = serdeFor(src.keyFormat, src.schema.key, true, registry, src.topic).serialize(key);
  return bytes === null ? 0 : partitionFor(bytes, n);
}

/**
 * Which server answers each partition of a table scan: this one for the partitions
 * it owns (and any whose owner has no REST endpoint yet), the owners for the rest.
 * Undefined when this server answers everything.
 */
export function scanPlan(q: RunningQuery): PullPlan | undefined {
  const tasks = q.tasks;
  if (!tasks) return undefined;
  const local = new Set<number>();
  const byUrl = new Map<string, number[]>();
  for (let p = 0; p < q.taskCount; p++) {
    const o = tasks.owner(p);
    if (!o || o.self || o.url === undefined) local.add(p);
    else byUrl.set(o.url, [...(byUrl.get(o.url) ?? []), p]);
  }
  if (byUrl.size === 0) return undefined;
  return { local, remotes: [...byUrl].map(([url, partitions]) => ({ url, partitions })) };
}

/**
 * Kafka mode's pull-query routing over the tables a service's queries write:
 * which server owns a key, which answers each partition of a scan, and the
 * task partition of a key. Each answers undefined for a table no running query
 * of this server shares with others (then every row is here).
 */
export interface PullRouting {
  /** The REST endpoint of the server owning `key` of `table`, when it is not this one. */
  route(table: DataSource, key: unknown): Promise<string | undefined>;
  scatter(table: DataSource): Promise<PullPlan | undefined>;
  partitionOf(table: DataSource, key: readonly unknown[]): number | undefined;
}

/** {@link PullRouting} over the persistent queries `queries` gives at each call. */
export function pullRouting(queries: () => ReadonlyMap<string, RunningQuery>, registry: SchemaRegistry): PullRouting {
  /** The running query writing a table, when its partitions are shared with other servers. */
  const writerOf = (table: DataSource): RunningQuery | undefined => {
    const q = table.writerQueryId === undefined ? undefined : queries().get(table.writerQueryId);
    return q?.tasks && (q.state === 'RUNNING' || q.state === 'PAUSED') ? q : undefined;
  };
  return {
    route: async (table, key) => {
      const q = writerOf(table);
      const p = q && taskOfKey(q, [key], registry);
      const owner = p === undefined ? undefined : q!.tasks!.owner(p);
      return owner && !owner.self ? owner.url : undefined;
    },
    scatter: async (table) => {
      const q = writerOf(table);
      return q && scanPlan(q);
    },
    partitionOf: (table, key) => {
      const q = writerOf(table);
      return q && taskOfKey(q, key, registry);
    },
  };
}
