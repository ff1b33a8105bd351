import type { ResolvedAggregate } from '../../functions/define/function-types.js';
import type { Evaluator } from '../expr/compile.js';
import { keyString } from '../state/key-codec.js';
import type { KeyValueStore } from '../state/store.js';
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { Operator, OperatorContext, Rec } from './record.js';
import { SlotRecordCache, type CacheSlot, type Flushable } from './record-cache.js';

/** One aggregate call compiled: the function and its argument evaluators. */
export interface CompiledAggregate {
  readonly fn: ResolvedAggregate;
  readonly args: readonly Evaluator[];
}

/** What an aggregation computes: the group key expressions and the aggregate calls. */
export interface AggregateSpec {
  readonly groupBy: readonly Evaluator[];
  readonly aggs: readonly CompiledAggregate[];
  /**
   * `cache.max.bytes.buffering`: the bound of the record cache in front of the
   * output (see {@link RecordCache}); 0 or absent = every update is emitted.
   */
  readonly cacheMaxBytes?: number;
}

/** The argument list of every aggregate call without arguments. */
const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** Stored per group: the accumulators and the timestamp of the latest result. */
export interface AggState {
  acc: unknown[];
  ts: number;
}

/**
 * Shared work of all aggregations: computing group keys and aggregate
 * arguments from a row, and producing output rows.
 */
export abstract class AggregatorBase implements Operator, Flushable {
  protected readonly vars: unknown[] = [];
  protected readonly groupBy: readonly Evaluator[];
  protected readonly aggs: readonly CompiledAggregate[];
  protected readonly log: ProcessingLogger;
  protected readonly queryId: string;
  /** When no aggregate call takes arguments (COUNT(*) only): every row's arguments, shared. */
  private readonly noArgs: readonly (readonly unknown[])[] | undefined;
  constructor(
    spec: AggregateSpec,
    protected readonly next: Operator,
    ctx: OperatorContext,
  ) {
    this.groupBy = spec.groupBy;
    this.aggs = spec.aggs;
    this.log = ctx.log;
    this.queryId = ctx.queryId;
    this.noArgs = spec.aggs.every((a) => a.args.length === 0) ? Object.freeze(spec.aggs.map(() => NO_ARGS)) : undefined;
  }

  abstract process(rec: Rec): void;

  /** Emits what the record cache holds (a commit point); nothing to do without a cache. */
  flush(): void {}

  /** Estimated bytes of one cached output for a key string of `keyChars` characters (as Kafka Streams counts key, value and entry overhead). */
  protected cachedBytes(keyChars: number): number {
    return 64 + 2 * keyChars + 16 * (this.groupBy.length + this.aggs.length);
  }

  /** The group key of a row, or undefined (logged) when it cannot be computed or has a null. */
  protected groupKey(row: unknown[], rec: Rec): unknown[] | undefined {
    const key = new Array<unknown>(this.groupBy.length);
    for (let i = 0; i < this.groupBy.length; i++) {
      let v: unknown;
      try {
        v = this.groupBy[i]!(row, this.vars);
      } catch (e) {
        this.log.error({
          queryId: this.queryId,
          message: `Error computing GROUP BY expression: ${(e as Error).message}`,
          partition: rec.partition,
          offset: rec.offset,
        });
        return undefined;
      }
      if (v === null) {
        this.log.error({ queryId: this.queryId, message: 'Group-by column with null value. Record dropped.', partition: rec.partition, offset: rec.offset });
        return undefined;
      }
      key[i] = v;
    }
    return key;
  }

  /** Evaluated arguments of every aggregate, or undefined (logged) on error. */
  protected args(row: unknown[], rec: Rec): readonly (readonly unknown[])[] | undefined {
    if (this.noArgs !== undefined) return this.noArgs;
    const out: (readonly unknown[])[] = new Array(this.aggs.length);
    for (let i = 0; i < this.aggs.length; i++) {
      const a = this.aggs[i]!;
      if (a.args.length === 0) {
        out[i] = NO_ARGS; // COUNT(*): aggregates take their arguments read-only
        continue;
      }
      const vals = new Array<unknown>(a.args.length);
      for (let j = 0; j < a.args.length; j++) {
        try {
          vals[j] = a.args[j]!(row, this.vars);
        } catch (e) {
          this.log.error({
            queryId: this.queryId,
            message: `Error computing aggregate argument: ${(e as Error).message}`,
            partition: rec.partition,
            offset: rec.offset,
          });
          return undefined;
        }
      }
      out[i] = vals;
    }
    return out;
  }

  /** A stream record's group key and aggregate arguments, or undefined (tombstone, or logged failure). */
  protected keyAndArgs(rec: Rec): { key: unknown[]; args: readonly (readonly unknown[])[] } | undefined {
    const row = rec.row;
    if (row === null) return undefined;
    const key = this.groupKey(row, rec);
    if (!key) return undefined;
    const args = this.args(row, rec);
    return args ? { key, args } : undefined;
  }

  protected init(): unknown[] {
    const aggs = this.aggs;
    const acc = new Array<unknown>(aggs.length);
    for (let i = 0; i < aggs.length; i++) acc[i] = aggs[i]!.fn.init();
    return acc;
  }

  protected add(acc: unknown[], args: readonly (readonly unknown[])[]): void {
    for (let i = 0; i < this.aggs.length; i++) acc[i] = this.aggs[i]!.fn.add(acc[i], args[i]!);
  }

  protected undo(acc: unknown[], args: readonly (readonly unknown[])[]): void {
    for (let i = 0; i < this.aggs.length; i++) {
      const undo = this.aggs[i]!.fn.undo;
      if (undo) acc[i] = undo(acc[i], args[i]!);
    }
  }

  /**
   * Updates the group stored under `k`: retracts `undoArgs` (only from an existing
   * group), adds `addArgs`, and keeps the latest timestamp (Kafka Streams stamps an
   * aggregate with the max of its inputs'). Returns the stored state, or undefined
   * when there was nothing to retract from and nothing to add.
   */
  protected update(
    store: KeyValueStore<AggState>,
    k: string,
    ts: number,
    addArgs?: readonly (readonly unknown[])[],
    undoArgs?: readonly (readonly unknown[])[],
  ): AggState | undefined {
    const prev = store.get(k);
    if (!prev && !addArgs) return undefined;
    const st: AggState = prev ?? { acc: this.init(), ts };
    if (prev && undoArgs) this.undo(st.acc, undoArgs);
    if (addArgs) this.add(st.acc, addArgs);
    st.ts = prev ? Math.max(prev.ts, ts) : ts;
    store.put(k, st);
    return st;
  }

  /** Output row: key values, aggregate results, then any extra (window bounds). */
  protected outputRow(key: readonly unknown[], acc: readonly unknown[], extra?: readonly unknown[]): unknown[] {
    const row = new Array<unknown>(key.length + acc.length + (extra?.length ?? 0));
    let j = 0;
    for (let i = 0; i < key.length; i++) row[j++] = key[i];
    for (let i = 0; i < acc.length; i++) {
      const r = this.aggs[i]!.fn.result(acc[i]);
      row[j++] = r === undefined ? null : r;
    }
    if (extra) for (let i = 0; i < extra.length; i++) row[j++] = extra[i];
    return row;
  }
}

/** An aggregation keeping one {@link AggState} per group (or group and window) in a store. */
export abstract class StoredAggregator extends AggregatorBase {
  constructor(
    spec: AggregateSpec,
    protected readonly store: KeyValueStore<AggState>,
    next: Operator,
    ctx: OperatorContext,
  ) {
    super(spec, next, ctx);
  }
}

/**
 * Where a group's state object points at its output waiting in the record cache
 * (while it is cached): a symbol, so neither JSON nor the store's encoding sees it.
 */
const CACHED: unique symbol = Symbol('cached');

/** A group's state while its output waits in the record cache. */
type CachedState = AggState & { [CACHED]?: CachedGroup | undefined };

/** A group's latest output waiting in the record cache: the state is read when it is emitted. */
interface CachedGroup extends CacheSlot {
  key: unknown[];
  readonly st: CachedState;
  /** Of the record that last updated the group (not the record itself: upstream may reuse it). */
  partition: number;
  offset: number;
  headers: Rec['headers'];
}

/**
 * An aggregation without windows: each update of a group emits its new result,
 * at once or through the record cache (latest per group at each flush). The
 * cached output hangs off the group's state object, so caching an update hashes
 * nothing (the store lookup already found the state).
 */
abstract class GroupAggregator extends StoredAggregator {
  private readonly cache: SlotRecordCache<CachedGroup> | undefined;
  constructor(spec: AggregateSpec, store: KeyValueStore<AggState>, next: Operator, ctx: OperatorContext) {
    super(spec, store, next, ctx);
    const max = spec.cacheMaxBytes ?? 0;
    this.cache =
      max > 0
        ? new SlotRecordCache<CachedGroup>(max, (c) => {
            c.st[CACHED] = undefined;
            this.forward(c.key, c.st, c);
          })
        : undefined;
  }

  override flush(): void {
    this.cache?.flush();
  }

  /** Emits group `k`'s (`key`'s) state after `rec` updated it. */
  protected emit(k: string, key: unknown[], st: CachedState, rec: Rec): void {
    const cache = this.cache;
    if (cache === undefined) {
      this.forward(key, st, rec);
      return;
    }
    const c = st[CACHED];
    if (c === undefined) {
      const added: CachedGroup = { key, st, partition: rec.partition, offset: rec.offset, headers: rec.headers, cacheAt: -1 };
      st[CACHED] = added;
      cache.put(added, this.cachedBytes(k.length));
      return;
    }
    c.key = key;
    c.partition = rec.partition;
    c.offset = rec.offset;
    c.headers = rec.headers;
    cache.put(c, 0);
  }

  private forward(key: unknown[], st: AggState, rec: Pick<Rec, 'partition' | 'offset' | 'headers'>): void {
    this.next.process({ key, row: this.outputRow(key, st.acc), ts: st.ts, window: null, partition: rec.partition, offset: rec.offset, headers: rec.headers });
  }
}

/** GROUP BY over a stream: each record updates its group and emits the new result. */
export class StreamAggregateOperator extends GroupAggregator {
  process(rec: Rec): void {
    const row = rec.row;
    if (row === null) return;
    const key = this.groupKey(row, rec);
    if (key === undefined) return;
    const args = this.args(row, rec);
    if (args === undefined) return;
    // As update(), without its optional retraction.
    const k = keyString(key);
    const ts = rec.ts;
    let st = this.store.get(k);
    if (st === undefined)
      st = { acc: this.init(), ts, [CACHED]: undefined } as CachedState; // the symbol in the object's shape from the start
    else if (ts > st.ts) st.ts = ts;
    this.add(st.acc, args);
    this.store.put(k, st);
    this.emit(k, key, st, rec);
  }
}

/**
 * GROUP BY over a table: a change retracts the old row from its group and adds
 * the new row to its group (ksqlDB's undo), emitting each affected group.
 */
export class TableAggregateOperator extends GroupAggregator {
  process(rec: Rec): void {
    const oldRow = rec.old ?? null;
    const newRow = rec.row;
    const oldKey = oldRow ? this.groupKey(oldRow, rec) : undefined;
    const newKey = newRow ? this.groupKey(newRow, rec) : undefined;
    const oldArgs = oldRow && oldKey ? this.args(oldRow, rec) : undefined;
    const newArgs = newRow && newKey ? this.args(newRow, rec) : undefined;
    const oldK = oldKey ? keyString(oldKey) : undefined;
    const newK = newKey ? keyString(newKey) : undefined;
    if (oldKey && newKey && oldK === newK) {
      const st = this.update(this.store, newK!, rec.ts, newArgs, oldArgs);
      if (st) this.emit(newK!, newKey, st, rec);
      return;
    }
    if (oldKey && oldArgs) {
      const st = this.update(this.store, oldK!, rec.ts, undefined, oldArgs);
      if (st) this.emit(oldK!, oldKey, st, rec);
    }
    if (newKey && newArgs) {
      const st = this.update(this.store, newK!, rec.ts, newArgs)!;
      this.emit(newK!, newKey, st, rec);
    }
  }
}
