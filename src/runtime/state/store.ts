/**
 * A key-value state store used by stateful operators. Reads and writes are
 * synchronous against an in-memory cache; `flush` persists dirty entries in one
 * batch (a no-op for the pure in-memory store). Keys are strings from
 * `keyString`; values are JSON-serialisable.
 */
export interface KeyValueStore<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
  delete(key: string): void;
  entries(): IterableIterator<[string, V]>;
  readonly size: number;
  flush(): Promise<void>;
  /** Undoes the changes since the last flush, where the store can (durable stores). */
  revertDirty?(): Promise<void>;
}

/** The store for tests and transient queries: a Map. */
export class MemoryStore<V> implements KeyValueStore<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  put(key: string, value: V): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
  get size(): number {
    return this.map.size;
  }
  async flush(): Promise<void> {}
}
