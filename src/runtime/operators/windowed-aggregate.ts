import { assertNever } from '../../common/assert.js';
import type { WindowSpec } from '../../planner/logical-plan.js';
import { keyString } from '../state/key-codec.js';
import type { KeyValueStore } from '../state/store.js';
import { AggregatorBase, StoredAggregator, type AggregateSpec, type AggState } from './aggregate.js';
import type { Operator, OperatorContext, Rec } from './record.js';
import { SlotRecordCache, type CacheSlot } from './record-cache.js';

/** A windowed aggregation: its group keys and aggregate calls, and the window they are over. */
export interface WindowedAggregateSpec<W extends WindowSpec> extends AggregateSpec {
  readonly window: W;
}

/** Stream time per input partition: the largest timestamp seen so far. */
class StreamTime {
  /** Indexed by partition; holes for partitions not seen. */
  private readonly byPartition: number[] = [];
  observe(partition: number, ts: number): number {
    const prev = this.byPartition[partition];
    const t = prev === undefined ? ts : Math.max(prev, ts);
    this.byPartition[partition] = t;
    return t;
  }
  /** The smallest stream time over the partitions seen so far (-Infinity before any). */
  min(): number {
    let m = Infinity;
    for (const t of this.byPartition) if (t !== undefined && t < m) m = t;
    return m === Infinity ? -Infinity : m;
  }
}

/**
 * One (key, window) in state: its store key, window start and the state object
 * the store holds under it; with the record cache, it is its own cache slot and
 * carries what its pending output is emitted with (the group key and the
 * latest record's position): one object per (key, window), not two.
 */
interface WindowEntry extends CacheSlot {
  readonly sk: string;
  readonly start: number;
  st: AggState | undefined;
  key: unknown[] | undefined;
  partition: number;
  offset: number;
  headers: Rec['headers'] | undefined;
}

/** A new entry of window `start` under store key `sk`. */
function windowEntry(sk: string, start: number, st: AggState | undefined): WindowEntry {
  return { sk, start, st, key: undefined, partition: 0, offset: 0, headers: undefined, cacheAt: -1 };
}

/** The entries of one window start, by group key: a single string/number key itself, else its keyString. */
interface WindowKeys {
  readonly prim: Map<string | number, WindowEntry>;
  other: Map<string, WindowEntry> | undefined;
}

/** How far apart consecutive windows start: a hopping window's advance, a tumbling window's size. */
function advanceOf(window: Extract<WindowSpec, { kind: 'TUMBLING' | 'HOPPING' }>): number {
  switch (window.kind) {
    case 'TUMBLING':
      return window.sizeMs;
    case 'HOPPING':
      return window.advanceMs;
    default:
      return assertNever(window, 'time window');
  }
}

/**
 * TUMBLING and HOPPING aggregation (Kafka Streams' windowed aggregate): a record
 * updates every window containing it that has not closed (window end + grace
 * beyond stream time); records for closed windows are dropped as late.
 */
export class TimeWindowAggregateOperator extends StoredAggregator {
  private readonly streamTime = new StreamTime();
  private readonly sizeMs: number;
  private readonly advanceMs: number;
  private readonly graceMs: number;
  private readonly retentionMs: number;
  /** The (key, window) entries in state, by window start: the store's content, indexed. */
  private readonly windows = new Map<number, WindowKeys>();
  /** The smallest start in `windows` (Infinity when empty). */
  private oldestStart = Infinity;
  private indexed = false;
  /** Outputs waiting for the next flush, one per (key, window) entry (`cache.max.bytes.buffering` > 0). */
  private readonly cache: SlotRecordCache<WindowEntry> | undefined;
  /** Windows a record can fall in: size / advance, rounded up. */
  private readonly ringSize: number;
  /**
   * Per single string/number key, its entries of the windows last in reach, by
   * (start / advance) mod ringSize: a record finds its windows with one lookup.
   * A cache of `windows`, emptied when windows expire.
   */
  private readonly recent = new Map<string | number, (WindowEntry | undefined)[]>();

  constructor(
    spec: WindowedAggregateSpec<Extract<WindowSpec, { kind: 'TUMBLING' | 'HOPPING' }>>,
    store: KeyValueStore<AggState>,
    next: Operator,
    ctx: OperatorContext,
  ) {
    super(spec, store, next, ctx);
    const window = spec.window;
    this.sizeMs = window.sizeMs;
    this.advanceMs = advanceOf(window);
    this.graceMs = window.graceMs;
    this.retentionMs = Math.max(window.retentionMs, window.sizeMs);
    this.ringSize = Math.ceil(this.sizeMs / this.advanceMs);
    const max = spec.cacheMaxBytes ?? 0;
    this.cache = max > 0 ? new SlotRecordCache(max, (e) => this.forward(e)) : undefined;
  }

  override flush(): void {
    this.cache?.flush();
  }

  /** Emits a cached entry's latest result. */
  private forward(e: WindowEntry): void {
    const st = e.st!;
    const key = e.key!;
    const start = e.start;
    const end = start + this.sizeMs;
    this.next.process({
      key,
      row: this.windowRow(key, st.acc, start, end),
      ts: st.ts,
      window: { start, end },
      partition: e.partition,
      offset: e.offset,
      headers: e.headers!,
    });
  }

  process(rec: Rec): void {
    const ts = rec.ts;
    if (rec.row === null || ts < 0) return;
    if (!this.indexed) this.buildIndex();
    const now = this.streamTime.observe(rec.partition, ts);
    if (this.oldestStart + this.sizeMs <= now - this.retentionMs) this.expire();
    const key = this.groupKey(rec.row, rec);
    if (key === undefined) return;
    const args = this.args(rec.row, rec);
    if (args === undefined) return;
    const closeTime = now - this.graceMs;
    // Store keys are `${keyString(key)}@${start}`, built once per (key, window) and
    // found again through the index: no string building or hashing of new strings per record.
    const k0 = key.length === 1 ? key[0] : undefined;
    const prim = typeof k0 === 'string' || typeof k0 === 'number' ? k0 : undefined;
    let keyStr: string | undefined;
    const adv = this.advanceMs;
    const ringSize = this.ringSize;
    let ring: (WindowEntry | undefined)[] | undefined;
    if (prim !== undefined) {
      ring = this.recent.get(prim);
      if (ring === undefined) {
        ring = new Array<WindowEntry | undefined>(ringSize).fill(undefined);
        this.recent.set(prim, ring);
      }
    }
    let start = Math.floor(Math.max(0, ts - this.sizeMs + adv) / adv) * adv;
    for (; start <= ts; start += adv) {
      const end = start + this.sizeMs;
      if (end <= closeTime || end <= now - this.retentionMs) {
        this.log.error({
          queryId: this.queryId,
          message: `Skipping record for expired window. key=[${key.join(',')}] window=[${start},${end}) streamTime=${now}`,
          partition: rec.partition,
          offset: rec.offset,
        });
        continue;
      }
      let e: WindowEntry | undefined;
      if (ring !== undefined) {
        // The key's windows in reach of a record are ringSize consecutive starts: one slot each.
        const slot = (start / adv) % ringSize;
        e = ring[slot];
        if (e === undefined || e.start !== start) {
          e = this.primEntry(key, prim!, start);
          ring[slot] = e;
        }
      } else {
        keyStr ??= keyString(key);
        const other = (this.windowKeys(start).other ??= new Map());
        e = other.get(keyStr);
        if (e === undefined) {
          e = windowEntry(`${keyStr}@${start}`, start, undefined);
          other.set(keyStr, e);
        }
      }
      // As update(): the store always holds e.st under e.sk, so no store.get.
      const prev = e.st;
      const st: AggState = prev ?? { acc: this.init(), ts };
      this.add(st.acc, args);
      st.ts = prev ? Math.max(prev.ts, ts) : ts;
      const cache = this.cache;
      if (cache !== undefined) {
        // st changes in place, so one put per cache interval marks it for the store's
        // flush: caches flush at every commit point, before the stores do.
        if (e.cacheAt < 0 || prev === undefined) this.store.put(e.sk, st);
        e.st = st;
        e.key = key;
        e.partition = rec.partition;
        e.offset = rec.offset;
        e.headers = rec.headers;
        cache.put(e, this.cachedBytes(e.sk.length));
        continue;
      }
      this.store.put(e.sk, st);
      e.st = st;
      this.next.process({
        key,
        row: this.windowRow(key, st.acc, start, end),
        ts: st.ts,
        window: { start, end },
        partition: rec.partition,
        offset: rec.offset,
        headers: rec.headers,
      });
    }
  }

  /** The index of window `start`, created empty when new. */
  private windowKeys(start: number): WindowKeys {
    let wk = this.windows.get(start);
    if (wk === undefined) {
      wk = { prim: new Map(), other: undefined };
      this.windows.set(start, wk);
      if (start < this.oldestStart) this.oldestStart = start;
    }
    return wk;
  }

  /** The entry of a single string/number key in window `start`, created (not yet in state) when new. */
  private primEntry(key: readonly unknown[], prim: string | number, start: number): WindowEntry {
    const wk = this.windowKeys(start);
    let e = wk.prim.get(prim);
    if (e === undefined) {
      e = windowEntry(`${keyString(key)}@${start}`, start, undefined);
      wk.prim.set(prim, e);
    }
    return e;
  }

  /** Output row: key values, aggregate results, window start and end. */
  private windowRow(key: readonly unknown[], acc: readonly unknown[], start: number, end: number): unknown[] {
    const row = new Array<unknown>(key.length + acc.length + 2);
    let j = 0;
    for (let i = 0; i < key.length; i++) row[j++] = key[i];
    for (let i = 0; i < acc.length; i++) {
      const r = this.aggs[i]!.fn.result(acc[i]);
      row[j++] = r === undefined ? null : r;
    }
    row[j++] = start;
    row[j] = end;
    return row;
  }

  /**
   * Deletes from the store every window that ended at or before the smallest
   * stream time of the partitions seen minus the retention: every partition seen
   * drops records for those windows as expired, so they can never change again.
   */
  private expire(): void {
    const horizon = this.streamTime.min() - this.retentionMs;
    if (this.oldestStart + this.sizeMs > horizon) return;
    let oldest = Infinity;
    for (const [start, wk] of this.windows) {
      if (start + this.sizeMs <= horizon) {
        for (const e of wk.prim.values()) this.store.delete(e.sk);
        if (wk.other) for (const e of wk.other.values()) this.store.delete(e.sk);
        this.windows.delete(start);
      } else if (start < oldest) {
        oldest = start;
      }
    }
    this.oldestStart = oldest;
    // The rings may hold expired entries (never matched again: their records are dropped): let them go.
    this.recent.clear();
  }

  /** Indexes the windows already in the store (state restored from disk), once, before the first record. */
  private buildIndex(): void {
    this.indexed = true;
    if (this.store.size === 0) return;
    for (const [sk, st] of this.store.entries()) {
      const at = sk.lastIndexOf('@');
      if (at < 0) continue;
      const start = Number(sk.slice(at + 1));
      let wk = this.windows.get(start);
      if (wk === undefined) {
        wk = { prim: new Map(), other: undefined };
        this.windows.set(start, wk);
        if (start < this.oldestStart) this.oldestStart = start;
      }
      // keyString: `s` + the string, `n` + the number, other tags for everything else.
      const tag = sk.charCodeAt(0);
      const e = windowEntry(sk, start, st);
      if (tag === 115 /* s */) wk.prim.set(sk.slice(1, at), e);
      else if (tag === 110 /* n */) wk.prim.set(Number(sk.slice(1, at)), e);
      else (wk.other ??= new Map()).set(sk.slice(0, at), e);
    }
  }
}

interface Session {
  start: number;
  end: number;
  acc: unknown[];
}

/**
 * SESSION aggregation: a record joins every session of its key within the gap,
 * merging them into one; merged-away sessions are retracted with tombstones, then
 * the merged session is emitted (timestamp = session end, as Kafka Streams does).
 * Every update is emitted: `cache.max.bytes.buffering` does not apply to sessions.
 */
export class SessionAggregateOperator extends AggregatorBase {
  private readonly streamTime = new StreamTime();
  private readonly window: Extract<WindowSpec, { kind: 'SESSION' }>;
  constructor(
    spec: WindowedAggregateSpec<Extract<WindowSpec, { kind: 'SESSION' }>>,
    private readonly store: KeyValueStore<Session[]>,
    next: Operator,
    ctx: OperatorContext,
  ) {
    super(spec, next, ctx);
    this.window = spec.window;
  }

  process(rec: Rec): void {
    const ts = rec.ts;
    if (rec.row === null || ts < 0) return;
    const now = this.streamTime.observe(rec.partition, ts);
    const ka = this.keyAndArgs(rec);
    if (!ka) return;
    const { key, args } = ka;
    const gap = this.window.gapMs;
    const closeTime = now - this.window.graceMs;
    const k = keyString(key);
    const sessions = this.store.get(k) ?? [];
    const overlapping = sessions.filter((s) => s.end >= ts - gap && s.start <= ts + gap && s.end >= closeTime);
    let start = ts;
    let end = ts;
    let acc = this.init();
    for (const s of overlapping) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
      acc = acc.map((a, i) => {
        const merge = this.aggs[i]!.fn.merge;
        return merge ? merge(a, s.acc[i]) : s.acc[i];
      });
    }
    if (end < closeTime) {
      this.log.error({
        queryId: this.queryId,
        message: `Skipping record for expired session. key=[${key.join(',')}] streamTime=${now}`,
        partition: rec.partition,
        offset: rec.offset,
      });
      return;
    }
    const merged = overlapping.length > 0 && !(overlapping.length === 1 && overlapping[0]!.start === start && overlapping[0]!.end === end);
    if (merged) {
      for (const s of overlapping) {
        this.next.process({
          key,
          row: null,
          ts: s.end,
          window: { start: s.start, end: s.end },
          partition: rec.partition,
          offset: rec.offset,
          headers: rec.headers,
        });
      }
    }
    this.add(acc, args);
    const kept = sessions.filter((s) => !overlapping.includes(s) && s.end >= now - this.window.retentionMs);
    kept.push({ start, end, acc });
    kept.sort((a, b) => a.start - b.start);
    this.store.put(k, kept);
    this.next.process({
      key,
      row: this.outputRow(key, acc, [start, end]),
      ts: end,
      window: { start, end },
      partition: rec.partition,
      offset: rec.offset,
      headers: [],
    });
  }
}
