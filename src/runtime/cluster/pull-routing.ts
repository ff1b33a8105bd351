import { partitionFor } from '../log/murmur2.js';
import type { RunningQuery } from '../query/running-query.js';
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
