/**
 * Kafka Streams' record cache in front of an aggregation's output
 * (`cache.max.bytes.buffering`, KIP-63): updates to the same key (key and
 * window for windowed aggregations) between two flushes collapse into the
 * latest, so downstream (sink, changelog of the output, EMIT CHANGES) sees one
 * record per key per flush. The store behind the aggregation is written on
 * every update as before; only the emission waits.
 *
 * Order: as Kafka Streams' NamedCache, an update moves its key to the end, so
 * a flush emits the keys in the order of their latest update. When the
 * estimated size passes the bound, everything cached is emitted (NamedCache
 * evicts its eldest entry, and evicting a dirty entry flushes every dirty one,
 * the eldest first).
 */
export class RecordCache<K, E> {
  private entries = new Map<K, E>();
  private bytes = 0;

  /**
   * @param maxBytes the bound on the estimated size; positive (0 = no cache: don't build one)
   * @param emit sends one cached entry downstream (at flush, its latest state)
   */
  constructor(
    private readonly maxBytes: number,
    private readonly emit: (entry: E) => void,
  ) {}

  /** Caches `entry` as the latest of `key`; `bytes` estimates its size when new. Flushes when over the bound. */
  put(key: K, entry: E, bytes: number): void {
    const entries = this.entries;
    if (entries.delete(key)) {
      entries.set(key, entry);
      return;
    }
    entries.set(key, entry);
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) this.flush();
  }

  /** Emits every cached entry, in the order of their latest update, and empties the cache. */
  flush(): void {
    const entries = this.entries;
    if (entries.size === 0) return;
    // A fresh map before emitting: downstream never writes here, but a flush stays whole if it did.
    this.entries = new Map();
    this.bytes = 0;
    for (const e of entries.values()) this.emit(e);
  }

  /** Number of keys waiting to be emitted. */
  get size(): number {
    return this.entries.size;
  }
}

/** An entry that is its key's only entry (one object per key): it carries its place in a {@link SlotRecordCache}. */
export interface CacheSlot {
  /** Index of its latest update in the cache's order; -1 when not cached. */
  cacheAt: number;
}

/**
 * {@link RecordCache} for entries that are their key's only object: an update
 * appends the entry to the order and records where, so a put hashes nothing; a
 * flush emits each entry at its last place (the order of latest updates).
 */
export class SlotRecordCache<E extends CacheSlot> {
  private order: E[] = [];
  private distinct = 0;
  private bytes = 0;

  /** As {@link RecordCache}'s: `maxBytes` positive, `emit` sends one entry downstream. */
  constructor(
    private readonly maxBytes: number,
    private readonly emit: (entry: E) => void,
  ) {}

  /** Caches `entry`'s latest state; `bytes` estimates its size when it was not cached. Flushes when over the bound. */
  put(entry: E, bytes: number): void {
    if (entry.cacheAt < 0) {
      this.distinct++;
      this.bytes += bytes;
    }
    const order = this.order;
    entry.cacheAt = order.length;
    order.push(entry);
    if (this.bytes > this.maxBytes) this.flush();
    else if (order.length > 4 * this.distinct + 4096) this.compact();
  }

  /** Emits every cached entry, in the order of their latest update, and empties the cache. */
  flush(): void {
    const order = this.order;
    if (order.length === 0) return;
    this.order = [];
    this.distinct = 0;
    this.bytes = 0;
    for (let i = 0; i < order.length; i++) {
      const e = order[i]!;
      if (e.cacheAt !== i) continue; // updated again later: emitted from there
      e.cacheAt = -1;
      this.emit(e);
    }
  }

  /** Number of entries waiting to be emitted. */
  get size(): number {
    return this.distinct;
  }

  /** Drops the superseded places of entries updated many times (the order stays a few times the entries). */
  private compact(): void {
    const order = this.order;
    let j = 0;
    for (let i = 0; i < order.length; i++) {
      const e = order[i]!;
      if (e.cacheAt !== i) continue;
      e.cacheAt = j;
      order[j++] = e;
    }
    order.length = j;
  }
}

/** What a query's operators flush at each commit point: the record caches, upstream first. */
export interface Flushable {
  flush(): void;
}

/** ksqlDB's default `ksql.streams.cache.max.bytes.buffering`: 10,000,000 bytes. */
export const DEFAULT_CACHE_MAX_BYTES = 10_000_000;

/**
 * `cache.max.bytes.buffering` as set for a query (plain or `ksql.streams.`-prefixed):
 * a non-negative whole number of bytes; ksqlDB's default ({@link DEFAULT_CACHE_MAX_BYTES})
 * when unset; 0 (every update is emitted, as ksqlDB's test runner configures it)
 * when set to 0 or to something that is not a byte count.
 */
export function cacheMaxBytes(properties: Readonly<Record<string, string>>): number {
  const text = properties['cache.max.bytes.buffering'] ?? properties['ksql.streams.cache.max.bytes.buffering'];
  if (text === undefined) return DEFAULT_CACHE_MAX_BYTES;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}
