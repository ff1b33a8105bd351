import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { Decimal } from '../../common/decimal.js';
import { DamagedDataError, ExecutionError } from '../../common/errors.js';
import type { KeyValueStore } from './store.js';

/** One write of a flush batch. */
type Op = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/** Entries read per iterator call while loading. */
const LOAD_BATCH = 4096;

/**
 * Encodes a state value as JSON that {@link decodeValue} turns back into an equal
 * value, including what plain JSON loses: `Decimal` (unscaled digits and scale,
 * so the scale survives), `Buffer`/`Uint8Array`, `Map`, `bigint`, non-finite
 * numbers and a top-level `undefined`. Tags are objects with one `$`-key
 * (`{"$decimal": "150", "scale": 2}`), as in `key-codec.ts`.
 */
export function encodeValue(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const numeric = numericAggStateJson(value as Record<string, unknown>);
    if (numeric !== undefined) return numeric;
  }
  // Plain JSON values (most aggregation states) need no replacer, which costs a call per node.
  return isPlainJson(value) ? JSON.stringify(value) : JSON.stringify(value, replacer);
}

/**
 * The JSON of the commonest state, an aggregation's `{acc, ts}` whose
 * accumulators are finite numbers (COUNT, SUM of numbers), written directly
 * (what `JSON.stringify` gives, for a fraction of its cost); undefined for
 * anything else.
 */
function numericAggStateJson(v: Record<string, unknown>): string | undefined {
  const acc = v.acc;
  const ts = v.ts;
  if (!Array.isArray(acc) || typeof ts !== 'number' || !Number.isFinite(ts)) return undefined;
  if (Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  let fields = 0;
  for (const _ in v) fields++;
  if (fields !== 2) return undefined;
  let out = '{"acc":[';
  for (let i = 0; i < acc.length; i++) {
    const x: unknown = acc[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return undefined;
    out += i === 0 ? String(x) : `,${x}`;
  }
  return `${out}],"ts":${ts}}`;
}

/**
 * Whether plain `JSON.stringify` gives what the replacer would: strings, booleans,
 * null, finite numbers, arrays and plain objects of those (undefined nested in
 * them is dropped or written as null the same way by both). Anything else (a
 * class instance, Map, Buffer, bigint, a non-finite number, a top-level
 * undefined) takes the replacer.
 */
function isPlainJson(v: unknown, depth = 0): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'undefined':
      return depth > 0;
    case 'object': {
      if (v === null) return true;
      if (depth > 32) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isPlainJson(v[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      for (const k in o) if (!isPlainJson(o[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Inverse of {@link encodeValue}. */
export function decodeValue(text: string): unknown {
  // Only tagged values contain `"$`; plain JSON parses much faster without a reviver.
  return text.includes('"$') ? JSON.parse(text, reviver) : JSON.parse(text);
}

function replacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key]; // before toJSON: Decimal and Buffer define one
  if (raw instanceof Decimal) return { $decimal: raw.unscaled.toString(), scale: raw.scale };
  if (raw instanceof Uint8Array) return { $buffer: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  if (raw instanceof Map) return { $map: [...raw] };
  if (typeof raw === 'bigint') return { $bigint: raw.toString() };
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { $number: String(raw) };
  if (raw === undefined && key === '') return { $undefined: true };
  return v;
}

function reviver(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (typeof o.$decimal === 'string' && typeof o.scale === 'number') return new Decimal(BigInt(o.$decimal), o.scale);
  if (typeof o.$buffer === 'string') return Buffer.from(o.$buffer, 'base64');
  if (Array.isArray(o.$map)) return new Map(o.$map as [unknown, unknown][]);
  if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
  if (typeof o.$number === 'string') return Number(o.$number);
  if (o.$undefined === true) return undefined;
  return v;
}

/**
 * A {@link KeyValueStore} persisted in the factory's LevelDB under the prefix
 * `name\x00`. Every entry lives in memory (loaded when the factory opens):
 * entries read from disk stay encoded until first accessed, then move to the
 * decoded Map. `put`/`delete` change memory and mark the key dirty, and `flush`
 * writes the dirty keys' current values (or deletions) in one atomic batch.
 * Changed keys are tracked in two places: a key `put` adds to the Map is
 * appended to `fresh` with its value (its size grew, so no second hash lookup
 * is needed to know it is new, which is most records of a count over many keys),
 * every other change goes to the `dirty` Set. A fresh key not also dirty still
 * has the value it was added with (a later `put` of another object, a delete or
 * a restore makes it dirty), so a flush writes that value without looking the
 * key up again. A key can be in both (deleted and added again): a flush writes
 * each key once, with its current value.
 * Invariants: a key is in at most one of the two Maps, a changed key is still
 * encoded only when it was restored from a changelog and not read since, and the
 * database holds the memory content as of the last completed flush.
 */
export class LevelStore<V> implements KeyValueStore<V> {
  private readonly map = new Map<string, V>();
  private dirty = new Set<string>();
  /** Keys `put` added to `map` since the last flush (each once, unless also in `dirty`). */
  private fresh: string[] = [];
  /** The values `fresh` keys were added with, at the same positions. */
  private freshValues: V[] = [];

  /** @internal Use {@link LevelStoreFactory.store}. */
  constructor(
    private readonly factory: LevelStoreFactory,
    readonly name: string,
    /** Entries loaded from disk and not yet decoded. */
    private readonly encoded: Map<string, string>,
  ) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined || this.encoded.size === 0) return v;
    const text = this.encoded.get(key);
    if (text === undefined) return undefined;
    return this.decode(key, text);
  }
  put(key: string, value: V): void {
    const map = this.map;
    const before = map.size;
    map.set(key, value);
    if (this.encoded.size > 0) this.encoded.delete(key);
    if (map.size !== before) {
      this.fresh.push(key);
      this.freshValues.push(value);
    } else this.dirty.add(key);
  }
  delete(key: string): void {
    if (this.map.delete(key) || (this.encoded.size > 0 && this.encoded.delete(key))) this.dirty.add(key);
  }
  entries(): IterableIterator<[string, V]> {
    for (const [key, text] of this.encoded) this.decode(key, text);
    return this.map.entries();
  }
  get size(): number {
    return this.map.size + this.encoded.size;
  }
  /** Number of keys changed since the last flush. */
  get dirtyCount(): number {
    return this.changedKeys().size;
  }

  /** Every key changed since the last flush, once each. */
  private changedKeys(): Set<string> {
    const keys = this.dirty;
    for (const k of this.fresh) keys.add(k);
    this.fresh = [];
    this.freshValues = [];
    return keys;
  }

  private decode(key: string, text: string): V {
    const v = decodeValue(text) as V;
    this.encoded.delete(key);
    this.map.set(key, v);
    return v;
  }

  async flush(): Promise<void> {
    const ops: Op[] = [];
    const taken = this.takeOps(ops);
    if (ops.length === 0) return;
    try {
      await this.factory.write(ops);
    } catch (e) {
      this.restoreDirty(taken);
      throw e;
    }
  }

  /**
   * The dirty keys' current values, encoded (null = deleted), keyed as in the
   * database (`name\x00key`), without clearing them: what a Kafka-mode query
   * writes to its changelog before the local flush.
   */
  pendingChanges(out: { key: string; value: string | null }[]): void {
    const prefix = this.name + '\u0000';
    for (const key of this.changedKeys()) {
      if (this.map.has(key)) out.push({ key: prefix + key, value: encodeValue(this.map.get(key)) });
      else {
        const text = this.encoded.get(key);
        out.push({ key: prefix + key, value: text ?? null });
      }
    }
  }

  /**
   * Sets one key to an encoded value (null deletes it) read from a changelog, and
   * marks it dirty so the next flush writes it to the database.
   */
  restoreEncoded(key: string, text: string | null): void {
    this.map.delete(key);
    if (text === null) this.encoded.delete(key);
    else this.encoded.set(key, text);
    this.dirty.add(key);
  }

  /**
   * Undoes every change since the last flush: the dirty keys get their values
   * from the database back (or go, if it has none). For a batch that must not
   * commit (its partition went to another server meanwhile).
   */
  async revertDirty(): Promise<void> {
    const keys = [...this.changedKeys()];
    this.dirty = new Set();
    if (keys.length === 0) return;
    const prefix = this.name + '\u0000';
    const saved = await this.factory.read(keys.map((k) => prefix + k));
    keys.forEach((k, i) => {
      this.map.delete(k);
      const text = saved[i];
      if (text === undefined) this.encoded.delete(k);
      else this.encoded.set(k, text);
    });
  }

  /** @internal Moves the changed keys' writes into `ops`; returns the keys taken. */
  takeOps(ops: Op[]): { readonly dirty: Set<string>; readonly fresh: readonly string[] } {
    const dirty = this.dirty;
    const fresh = this.fresh;
    const values = this.freshValues;
    this.dirty = new Set();
    this.fresh = [];
    this.freshValues = [];
    const prefix = this.name + '\u0000';
    // Fresh keys first, skipping those also dirty (written below): a key once per batch.
    const both = dirty.size > 0;
    for (let i = 0; i < fresh.length; i++) {
      const key = fresh[i]!;
      if (both && dirty.has(key)) continue;
      ops.push({ type: 'put', key: prefix + key, value: encodeValue(values[i]) });
    }
    for (const key of dirty) ops.push(this.op(prefix, key));
    return { dirty, fresh };
  }

  /** The write that brings the database's entry for `key` to its current value. */
  private op(prefix: string, key: string): Op {
    const v = this.map.get(key);
    if (v !== undefined || this.map.has(key)) return { type: 'put', key: prefix + key, value: encodeValue(v) };
    const text = this.encoded.get(key); // restored from a changelog, not decoded yet
    return text === undefined ? { type: 'del', key: prefix + key } : { type: 'put', key: prefix + key, value: text };
  }

  /** @internal After a failed write the keys are dirty again (the Map holds their latest values). */
  restoreDirty(keys: { readonly dirty: Set<string>; readonly fresh: readonly string[] }): void {
    for (const k of keys.dirty) this.dirty.add(k);
    for (const k of keys.fresh) this.dirty.add(k);
  }
}

/**
 * Opens one LevelDB per data directory (`<dataDir>/state`) and hands out
 * {@link LevelStore}s by name (names must not contain `\x00`). Opening reads the
 * whole database into memory with batched iterator reads (values are decoded
 * lazily, on first access). Writes to
 * the database are serialised in submission order.
 */
export class LevelStoreFactory {
  private readonly stores = new Map<string, LevelStore<unknown>>();
  /** Encoded entries loaded at open for stores not yet asked for. */
  private readonly loaded = new Map<string, Map<string, string>>();
  private writing: Promise<void> = Promise.resolve();

  /** A store factory in the shape `EngineOptions.storeFactory` expects: one store per query and name. */
  readonly forQuery = (queryId: string, name: string): KeyValueStore<unknown> => this.store(`${queryId}/${name}`);

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  /** Opens (creating if needed) `<dataDir>/state` and loads every entry. */
  static async open(dataDir: string): Promise<LevelStoreFactory> {
    const location = join(dataDir, 'state');
    mkdirSync(location, { recursive: true });
    const db = new ClassicLevel<string, string>(location, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const damaged = (e: unknown): DamagedDataError =>
      new DamagedDataError(
        `State directory ${location} cannot be read (${(e as Error).message}${(e as { cause?: Error }).cause ? `: ${(e as { cause: Error }).cause.message}` : ''}). ` +
          `Run 'sluice repair --data-dir ${dataDir}' to move it aside; queries then rebuild their state from the log.`,
        location,
      );
    try {
      await db.open();
    } catch (e) {
      throw damaged(e);
    }
    const factory = new LevelStoreFactory(db);
    try {
      await factory.load();
    } catch (e) {
      await db.close();
      throw damaged(e);
    }
    return factory;
  }

  private async load(): Promise<void> {
    // Keys come as bytes and each store key is decoded on its own: a slice of the
    // database key's string would keep the whole `name\x00key` string alive (for a
    // million keys, about a third of what the loaded entries cost).
    const it = this.db.iterator<Buffer, string>({ keyEncoding: 'buffer' });
    try {
      let prefix: Buffer | undefined;
      let map: Map<string, string> | undefined;
      for (;;) {
        const entries = await it.nextv(LOAD_BATCH);
        if (entries.length === 0) break;
        for (const [k, v] of entries) {
          const sep = k.indexOf(0);
          if (sep < 0) continue; // not written by a store
          // Keys are sorted, so a store's entries are contiguous: compare the prefix only on change.
          if (map === undefined || prefix === undefined || sep !== prefix.length || k.compare(prefix, 0, sep, 0, sep) !== 0) {
            prefix = Buffer.from(k.subarray(0, sep));
            const name = prefix.toString('utf8');
            map = this.loaded.get(name);
            if (!map) this.loaded.set(name, (map = new Map()));
          }
          map.set(k.toString('utf8', sep + 1), v);
        }
      }
    } finally {
      await it.close();
    }
  }

  /** The store called `name`, with its persisted entries; the same instance on every call. */
  store<V>(name: string): LevelStore<V> {
    if (name.includes('\u0000')) throw new ExecutionError(`Invalid state store name: ${JSON.stringify(name)}`);
    let s = this.stores.get(name);
    if (!s) {
      s = new LevelStore<unknown>(this, name, this.loaded.get(name) ?? new Map());
      this.loaded.delete(name);
      this.stores.set(name, s);
    }
    return s as LevelStore<V>;
  }

  /** Names of the stores that exist (persisted or handed out). */
  storeNames(): string[] {
    return [...new Set([...this.loaded.keys(), ...this.stores.keys()])].sort();
  }

  /** Removes the stores whose names start with `prefix` (e.g. a dropped query's `<queryId>/`) and their data. */
  async deleteStores(prefix: string): Promise<void> {
    for (const name of this.storeNames()) {
      if (!name.startsWith(prefix)) continue;
      this.stores.delete(name);
      this.loaded.delete(name);
      await this.serial(() => this.db.clear({ gte: name + '\u0000', lt: name + '\u0001' }));
    }
  }

  /** Flushes every store's dirty entries in one batch. */
  async flushAll(): Promise<void> {
    const ops: Op[] = [];
    const taken: [LevelStore<unknown>, ReturnType<LevelStore<unknown>['takeOps']>][] = [];
    for (const s of this.stores.values()) taken.push([s, s.takeOps(ops)]);
    if (ops.length === 0) return;
    try {
      await this.write(ops);
    } catch (e) {
      for (const [s, keys] of taken) s.restoreDirty(keys);
      throw e;
    }
  }

  /** Flushes all stores and closes the database. */
  async close(): Promise<void> {
    if (this.db.status !== 'open') return;
    await this.flushAll();
    await this.writing;
    await this.db.close();
  }

  /** @internal Current database values of keys (after every write submitted so far). */
  async read(keys: string[]): Promise<(string | undefined)[]> {
    await this.writing;
    return this.db.getMany(keys);
  }

  /**
   * @internal One atomic batch write, after every earlier write. Through a chained
   * batch: `db.batch(array)` clones and re-validates every operation object in
   * JavaScript before the native call, about 1 µs of CPU per entry more.
   */
  write(ops: Op[]): Promise<void> {
    return this.serial(() => {
      const batch = this.db.batch();
      try {
        for (let i = 0; i < ops.length; i++) {
          const op = ops[i]!;
          if (op.type === 'put') batch.put(op.key, op.value);
          else batch.del(op.key);
        }
      } catch (e) {
        return batch.close().then(() => Promise.reject(e));
      }
      return batch.write();
    });
  }

  private serial(f: () => Promise<void>): Promise<void> {
    const next = this.writing.then(f);
    this.writing = next.catch(() => undefined);
    return next;
  }
}
