import { assertNever } from '../../common/assert.js';
import type { JoinSpec } from '../../planner/logical-plan.js';
import type { Evaluator } from '../expr/compile.js';
import { keyString } from '../state/key-codec.js';
import type { KeyValueStore } from '../state/store.js';
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { Operator, Rec, WindowBounds } from './record.js';
import type { WindowFrame } from '../../common/windows.js';

type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * How the inputs' keys are windowed: windowed sources join on the key and its
 * window, as Kafka Streams compares the windowed key bytes (the start for time
 * windows, start and end for sessions).
 */
export type JoinKeyWindow = WindowFrame | undefined;

/** What every join operator is built from. */
export interface JoinSetup {
  readonly joinType: JoinType;
  /** The join expression of each side, evaluated over that side's row. */
  readonly leftKey: Evaluator;
  readonly rightKey: Evaluator;
  /** Columns of each side's row (a missing side is this many nulls). */
  readonly leftWidth: number;
  readonly rightWidth: number;
  readonly next: Operator;
  readonly log: ProcessingLogger;
  readonly queryId: string;
  readonly keyWindow?: JoinKeyWindow;
  /** Key columns leading the joined row (1, or a foreign-key join's left key columns); default 1. */
  readonly keyWidth?: number;
}

/**
 * Shared parts of the join operators: computing a side's join key and building
 * the joined row [join key, left row or nulls, right row or nulls]. A join has two
 * input ports, `left` and `right`, each an Operator.
 */
abstract class JoinBase {
  readonly left: Operator;
  readonly right: Operator;
  protected readonly vars: unknown[] = [];
  protected readonly joinType: JoinType;
  private readonly leftKey: Evaluator;
  private readonly rightKey: Evaluator;
  private readonly leftWidth: number;
  private readonly rightWidth: number;
  protected readonly next: Operator;
  protected readonly log: ProcessingLogger;
  protected readonly queryId: string;
  private readonly keyWindow: JoinKeyWindow;
  private readonly keyWidth: number;

  constructor(setup: JoinSetup) {
    this.joinType = setup.joinType;
    this.leftKey = setup.leftKey;
    this.rightKey = setup.rightKey;
    this.leftWidth = setup.leftWidth;
    this.rightWidth = setup.rightWidth;
    this.next = setup.next;
    this.log = setup.log;
    this.queryId = setup.queryId;
    this.keyWindow = setup.keyWindow;
    this.keyWidth = setup.keyWidth ?? 1;
    this.left = { process: (rec) => this.onLeft(rec) };
    this.right = { process: (rec) => this.onRight(rec) };
  }

  protected abstract onLeft(rec: Rec): void;
  protected abstract onRight(rec: Rec): void;

  protected keyOf(rec: Rec, isLeft: boolean): unknown {
    if (rec.row === null) return rec.key !== null && rec.key.length === 1 ? rec.key[0] : null;
    try {
      return (isLeft ? this.leftKey : this.rightKey)(rec.row, this.vars);
    } catch (e) {
      this.log.error({ queryId: this.queryId, message: `Error computing join key: ${(e as Error).message}`, partition: rec.partition, offset: rec.offset });
      return null;
    }
  }

  /** The identity two records must share to join: the join key, with the window for windowed inputs. */
  protected idOf(key: unknown, rec: Rec): string {
    const w = rec.window;
    if (this.keyWindow === undefined || w === null) return keyString([key]);
    switch (this.keyWindow) {
      case 'SESSION':
        return keyString([key, w.start, w.end]);
      case 'TIME':
        return keyString([key, w.start]);
      default:
        return assertNever(this.keyWindow, 'window frame');
    }
  }

  protected get leftOuter(): boolean {
    return this.joinType === 'LEFT' || this.joinType === 'FULL';
  }
  protected get rightOuter(): boolean {
    return this.joinType === 'RIGHT' || this.joinType === 'FULL';
  }

  /**
   * Emits the joined row; null `left`/`right` are padded with nulls; both null = tombstone.
   * `window`: the joined key's window (windowed inputs), else that of `src`.
   */
  protected emit(
    key: unknown,
    left: readonly unknown[] | null,
    right: readonly unknown[] | null,
    ts: number,
    src: Rec,
    window: WindowBounds | null = src.window,
  ): unknown[] | null {
    return this.emitKeyed([key], left, right, ts, src, window);
  }

  /** {@link emit} with the key as its columns (a foreign-key join's multi-column left key). */
  protected emitKeyed(
    keys: readonly unknown[],
    left: readonly unknown[] | null,
    right: readonly unknown[] | null,
    ts: number,
    src: Rec,
    window: WindowBounds | null = src.window,
  ): unknown[] | null {
    let row: unknown[] | null = null;
    const kw = this.keyWidth;
    if (left !== null || right !== null) {
      row = new Array<unknown>(kw + this.leftWidth + this.rightWidth);
      for (let i = 0; i < kw; i++) row[i] = keys[i] ?? null;
      for (let i = 0; i < this.leftWidth; i++) row[kw + i] = left === null ? null : (left[i] ?? null);
      for (let i = 0; i < this.rightWidth; i++) row[kw + this.leftWidth + i] = right === null ? null : (right[i] ?? null);
    }
    const rec: Rec = {
      key: keys.slice(),
      row,
      ts,
      window: this.keyWindow === undefined ? null : window,
      partition: src.partition,
      offset: src.offset,
      headers: [],
    };
    if (this.trackOld) {
      const k = keys.length === 1 ? this.idOf(keys[0], rec) : keyString(keys as unknown[]);
      rec.old = this.lastEmitted.get(k) ?? null;
      if (row === null) this.lastEmitted.delete(k);
      else this.lastEmitted.set(k, row);
    }
    this.next.process(rec);
    return row;
  }

  /** Table joins remember each key's last joined row, so a downstream aggregation can retract it. */
  protected trackOld = false;
  private readonly lastEmitted = new Map<string, unknown[]>();
}

interface Buffered {
  readonly key: unknown;
  readonly ts: number;
  readonly row: unknown[];
  /** For outer sides with a grace period: whether it has joined yet. */
  joined: boolean;
  readonly rec: Rec;
}

/** Store key of a stream-stream join's clock (side buffers are keyed `0…`/`1…` + keyString). */
const JOIN_CLOCK = '\u0000clock';

/**
 * A stream-stream join's clocks as stored: per task, [stream time, left side's,
 * right side's] (null for -Infinity, which JSON cannot hold). Stores written
 * before clocks were per task hold one `streamTime`/`sideTime` for every task.
 */
interface JoinClock {
  readonly tasks?: Readonly<Record<string, readonly (number | null)[]>>;
  readonly streamTime?: number | null;
  readonly sideTime?: readonly (number | null)[];
}

/** One task's clocks: the stream time and each side's window store time. */
type TaskClock = [stream: number, left: number, right: number];

const time = (t: number | null | undefined): number => (typeof t === 'number' ? t : -Infinity);
const stored = (t: number): number | null => (Number.isFinite(t) ? t : null);

/**
 * Stream-stream join within a time window (Kafka Streams' KStreamKStreamJoin).
 * Without a grace period, unmatched outer records are emitted at once (ksqlDB's
 * legacy behaviour); with one, when their window closes. Records later than
 * the window plus grace never join; on an outer side they are emitted unmatched.
 * Both sides' window buffers (per join key) and the clocks live in a state store,
 * so a restart (or a take-over in Kafka mode) continues with them.
 *
 * Time is kept per task, as Kafka Streams keeps it per task: with
 * `partitionedTime` each input partition is a task (Kafka mode, where a server
 * may own any set of partitions); without, the whole query is one task (embedded
 * mode, which merges every partition of its inputs by event time).
 */
export class StreamStreamJoinOperator extends JoinBase {
  private readonly clocks = new Map<number, TaskClock>();
  /**
   * Per side, the buffered keys in the order their records arrived (with the
   * record's time and task): expiry walks it from the front while the front is
   * older than its task's horizon, instead of scanning every key per record.
   * Records that arrive out of order only wait longer to be dropped, which no
   * one sees (matching ignores records past the horizon anyway).
   */
  private readonly expiry: ExpiryQueue[] = [new ExpiryQueue(), new ExpiryQueue()];
  /**
   * The earliest time an unjoined outer record falls due (ts + window after +
   * grace), a lower bound that lets most records skip the scan for due records;
   * -Infinity until the first scan computes it (after a restart too).
   */
  private minDue = -Infinity;
  /** Clock of a task not in `clocks` (what a store written before per-task clocks holds). */
  private readonly legacy: TaskClock = [-Infinity, -Infinity, -Infinity];
  private readonly retentionMs: number;
  private readonly beforeMs: number;
  private readonly afterMs: number;
  private readonly graceMs: number | undefined;

  constructor(
    setup: JoinSetup,
    spec: Extract<JoinSpec, { kind: 'STREAM_STREAM' }>,
    private readonly store: KeyValueStore<Buffered[] | JoinClock>,
    private readonly partitionedTime: boolean,
  ) {
    super(setup);
    this.beforeMs = spec.beforeMs;
    this.afterMs = spec.afterMs;
    this.graceMs = spec.graceMs;
    this.retentionMs = spec.beforeMs + spec.afterMs + (spec.graceMs ?? 24 * 3600 * 1000);
    const clock = store.get(JOIN_CLOCK) as JoinClock | undefined;
    if (clock) {
      this.legacy[0] = time(clock.streamTime);
      this.legacy[1] = time(clock.sideTime?.[0]);
      this.legacy[2] = time(clock.sideTime?.[1]);
      for (const [task, c] of Object.entries(clock.tasks ?? {})) this.clocks.set(Number(task), [time(c[0]), time(c[1]), time(c[2])]);
    }
    // Records kept from before a restart: queued for expiry oldest first.
    const kept: [number, ExpiryEntry][] = [];
    for (const [side, k, list] of this.allBuffered()) {
      let ts = Infinity;
      for (const b of list) ts = Math.min(ts, b.ts);
      if (list.length > 0) kept.push([side, { ts, k, task: this.taskOf(list[0]!.rec) }]);
    }
    kept.sort((x, y) => x[1].ts - y[1].ts);
    for (const [side, e] of kept) this.expiry[side]!.push(e);
  }

  /** The task a record belongs to (see the class comment). */
  private taskOf(rec: Rec): number {
    return this.partitionedTime ? rec.partition : 0;
  }

  private clock(task: number): TaskClock {
    let c = this.clocks.get(task);
    if (c === undefined) {
      c = [this.legacy[0], this.legacy[1], this.legacy[2]];
      this.clocks.set(task, c);
    }
    return c;
  }

  private saveClocks(): void {
    const tasks: Record<string, (number | null)[]> = {};
    for (const [task, c] of this.clocks) tasks[task] = [stored(c[0]), stored(c[1]), stored(c[2])];
    this.store.put(JOIN_CLOCK, { tasks });
  }

  /** The buffered records of one side for a join key (store key: side digit + keyString). */
  private buffered(side: number, k: string): Buffered[] | undefined {
    return this.store.get(`${side}${k}`) as Buffered[] | undefined;
  }

  /** Every side's buffers: [side, keyString, records]. */
  private *allBuffered(): Generator<[number, string, Buffered[]]> {
    for (const [sk, v] of this.store.entries()) {
      if (sk === JOIN_CLOCK) continue;
      yield [sk.charCodeAt(0) - 48, sk.slice(1), v as Buffered[]];
    }
  }

  protected onLeft(rec: Rec): void {
    this.onSide(rec, true);
  }
  protected onRight(rec: Rec): void {
    this.onSide(rec, false);
  }

  private onSide(rec: Rec, isLeft: boolean): void {
    const row = rec.row;
    if (row === null) return;
    const key = this.keyOf(rec, isLeft);
    if (key === null || key === undefined) return;
    const ts = rec.ts;
    const me = isLeft ? 0 : 1;
    const them = 1 - me;
    const task = this.taskOf(rec);
    const clock = this.clock(task);
    if (ts > clock[0] || ts > clock[1 + me]!) {
      if (ts > clock[0]) clock[0] = ts;
      if (ts > clock[1 + me]!) clock[1 + me] = ts;
      this.saveClocks();
    }
    const streamTime = clock[0];
    const outer = isLeft ? this.leftOuter : this.rightOuter;
    const grace = this.graceMs;
    if (grace !== undefined && ts === streamTime) this.emitExpired(task, streamTime);
    // The other side's timestamps that match this record.
    const from = isLeft ? ts - this.beforeMs : ts - this.afterMs;
    const to = isLeft ? ts + this.afterMs : ts + this.beforeMs;
    const k = this.idOf(key, rec);
    const otherFloor = clock[1 + them]! - this.retentionMs;
    let matched = false;
    const others = this.buffered(them, k);
    let changed = false;
    for (const o of others ?? []) {
      if (o.ts < from || o.ts > to || o.ts < otherFloor) continue;
      matched = true;
      if (!o.joined) changed = true;
      o.joined = true;
      this.emit(key, isLeft ? row : o.row, isLeft ? o.row : row, Math.max(ts, o.ts), rec, isLeft ? rec.window : o.rec.window);
    }
    if (changed) this.store.put(`${them}${k}`, others!);
    // Each side's window store drops records older than its own stream time − retention.
    const kept = ts >= clock[1 + me]! - this.retentionMs;
    if (kept) {
      const list = this.buffered(me, k) ?? [];
      const joined = matched || !outer || grace === undefined || to < streamTime;
      list.push({ key, ts, row, joined, rec });
      this.expiry[me]!.push({ ts, k, task });
      if (!joined) this.minDue = Math.min(this.minDue, ts + (isLeft ? this.afterMs : this.beforeMs) + grace!);
      this.store.put(`${me}${k}`, list);
    }
    if (!matched && outer && (grace === undefined || to < streamTime)) this.emit(key, isLeft ? row : null, isLeft ? null : row, ts, rec);
    this.expire();
  }

  /**
   * With a grace period: unmatched outer records of `task` whose window has closed
   * are emitted now, oldest first across both sides (Kafka Streams' outer-join store order).
   */
  private emitExpired(task: number, streamTime: number): void {
    if (streamTime <= this.minDue) return; // nothing falls due yet: no scan
    const grace = this.graceMs!;
    const due: { side: number; b: Buffered }[] = [];
    const touched = new Map<string, Buffered[]>();
    let minDue = Infinity;
    for (const [side, k, list] of this.allBuffered()) {
      const outer = side === 0 ? this.leftOuter : this.rightOuter;
      if (!outer) continue;
      const after = side === 0 ? this.afterMs : this.beforeMs;
      for (const b of list) {
        if (b.joined) continue;
        if (this.taskOf(b.rec) === task && b.ts + after + grace < streamTime) {
          due.push({ side, b });
          touched.set(`${side}${k}`, list);
        } else minDue = Math.min(minDue, b.ts + after + grace);
      }
    }
    this.minDue = minDue;
    due.sort((x, y) => x.b.ts - y.b.ts);
    for (const { side, b } of due) {
      b.joined = true;
      this.emit(b.key, side === 0 ? b.row : null, side === 0 ? null : b.row, b.ts, b.rec);
    }
    for (const [sk, list] of touched) this.store.put(sk, list);
  }

  /**
   * Drops buffered records no future record can join (and, with grace, already
   * reported), walking each side's arrival queue while its front is past its
   * task's horizon. A key whose old records still wait to be reported as
   * unmatched goes to the back of the queue, to be dropped once reported.
   */
  private expire(): void {
    for (let side = 0; side < 2; side++) {
      const q = this.expiry[side]!;
      // Entries queued again during this walk wait for a later one.
      for (let n = q.size; n > 0; n--) {
        const e = q.front()!;
        const horizon = this.clock(e.task)[1 + side]! - this.retentionMs;
        if (e.ts >= horizon) break;
        q.pop();
        const list = this.buffered(side, e.k);
        if (list === undefined) continue;
        const kept = list.filter((b) => b.ts >= horizon || !b.joined);
        if (kept.length !== list.length) {
          if (kept.length === 0) this.store.delete(`${side}${e.k}`);
          else this.store.put(`${side}${e.k}`, kept);
        }
        let pending = Infinity;
        for (const b of kept) if (b.ts < horizon) pending = Math.min(pending, b.ts);
        if (pending !== Infinity) q.push({ ts: pending, k: e.k, task: e.task });
      }
    }
  }
}

/**
 * Stream-table join: each stream record looks up the table's current row for its
 * key; table updates only change the state (ksqlDB's KStream-KTable join).
 */
export class StreamTableJoinOperator extends JoinBase {
  private readonly table = new Map<string, unknown[]>();

  protected onLeft(rec: Rec): void {
    const row = rec.row;
    if (row === null) return;
    const key = this.keyOf(rec, true);
    if (key === null || key === undefined) {
      if (this.leftOuter)
        this.log.error({
          queryId: this.queryId,
          message: 'Stream record with null join key dropped from stream-table join.',
          partition: rec.partition,
          offset: rec.offset,
        });
      return;
    }
    const match = this.table.get(this.idOf(key, rec)) ?? null;
    if (match === null && !this.leftOuter) return;
    this.emit(key, row, match, rec.ts, rec);
  }

  protected onRight(rec: Rec): void {
    const key = this.keyOf(rec, false);
    if (key === null || key === undefined) return;
    const k = this.idOf(key, rec);
    if (rec.row === null) this.table.delete(k);
    else this.table.set(k, rec.row);
  }
}

interface TableRow {
  readonly row: unknown[];
  readonly ts: number;
}

/**
 * Table-table join on primary keys (Kafka Streams' KTable-KTable joins): a change
 * on either side re-joins the key with the other side's current row and emits the
 * result, or a tombstone when the join no longer produces a row.
 */
export class TableTableJoinOperator extends JoinBase {
  private readonly sides = [new Map<string, TableRow>(), new Map<string, TableRow>()];
  protected override trackOld = true;

  protected onLeft(rec: Rec): void {
    this.onSide(rec, true);
  }
  protected onRight(rec: Rec): void {
    this.onSide(rec, false);
  }

  private onSide(rec: Rec, isLeft: boolean): void {
    const key = this.keyOf(rec, isLeft);
    if (key === null || key === undefined) return;
    const k = this.idOf(key, rec);
    const mine = this.sides[isLeft ? 0 : 1]!;
    const other = this.sides[isLeft ? 1 : 0]!;
    const had = mine.has(k);
    if (rec.row === null) mine.delete(k);
    else mine.set(k, { row: rec.row, ts: rec.ts });
    const o = other.get(k);
    const l = isLeft ? rec.row : (o?.row ?? null);
    const r = isLeft ? (o?.row ?? null) : rec.row;
    const ts = Math.max(rec.ts, o?.ts ?? -Infinity);
    const produces = (l !== null && r !== null) || (l !== null && this.leftOuter) || (r !== null && this.rightOuter);
    if (produces) {
      this.emit(key, l, r, ts, rec);
      return;
    }
    // No row now: retract if the key produced one before this change.
    const myOuter = isLeft ? this.leftOuter : this.rightOuter;
    const otherOuter = isLeft ? this.rightOuter : this.leftOuter;
    const before = (had && o !== undefined) || (had && myOuter) || (o !== undefined && otherOuter);
    if (before) this.emit(key, null, null, ts, rec);
  }
}

interface FkLeft {
  readonly key: unknown[];
  readonly row: unknown[];
  readonly fk: string | undefined;
}

/**
 * Foreign-key table-table join (Kafka Streams' KTable-KTable FK join): each left
 * row points at the right row whose key equals its join expression. A left change
 * re-joins that row; a right change re-joins every left row pointing at it (in key
 * order). Output is keyed by the left key; an inner join retracts rows that lose
 * their match, a left join keeps them with nulls.
 */
export class ForeignKeyJoinOperator extends JoinBase {
  private readonly lefts = new Map<string, FkLeft>();
  private readonly byFk = new Map<string, Set<string>>();
  private readonly rights = new Map<string, unknown[]>();
  private readonly joined = new Set<string>();
  protected override trackOld = true;

  protected onLeft(rec: Rec): void {
    if (rec.key === null) return;
    const k = keyString(rec.key);
    const previous = this.lefts.get(k);
    if (previous?.fk !== undefined) this.byFk.get(previous.fk)?.delete(k);
    const keys = rec.key;
    if (rec.row === null) {
      this.lefts.delete(k);
      this.joined.delete(k);
      this.emitKeyed(keys, null, null, rec.ts, rec);
      return;
    }
    const fkValue = this.keyOf(rec, true);
    const fk = fkValue === null || fkValue === undefined ? undefined : keyString([fkValue]);
    this.lefts.set(k, { key: rec.key, row: rec.row, fk });
    if (fk !== undefined) {
      let set = this.byFk.get(fk);
      if (!set) this.byFk.set(fk, (set = new Set()));
      set.add(k);
    }
    this.rejoin(k, keys, rec.row, fk === undefined ? null : (this.rights.get(fk) ?? null), rec);
  }

  protected onRight(rec: Rec): void {
    const keyValue = this.keyOf(rec, false);
    if (keyValue === null || keyValue === undefined) return;
    const fk = keyString([keyValue]);
    if (rec.row === null) this.rights.delete(fk);
    else this.rights.set(fk, rec.row);
    const lefts = [...(this.byFk.get(fk) ?? [])].map((k) => [k, this.lefts.get(k)!] as const);
    lefts.sort(([, a], [, b]) => compareKeys(a.key, b.key));
    for (const [k, l] of lefts) this.rejoin(k, l.key, l.row, rec.row, rec);
  }

  private rejoin(k: string, keys: readonly unknown[], left: unknown[], right: unknown[] | null, src: Rec): void {
    if (right !== null || this.leftOuter) {
      this.joined.add(k);
      this.emitKeyed(keys, left, right, src.ts, src);
    } else if (this.joined.delete(k)) {
      this.emitKeyed(keys, null, null, src.ts, src);
    }
  }
}

/** Orders keys column by column (numbers numerically, anything else as text). */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = compareKeyValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareKeyValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A key of a stream-stream join's buffer queued for expiry: the time of its record, its key string, its task. */
interface ExpiryEntry {
  readonly ts: number;
  readonly k: string;
  readonly task: number;
}

/** A FIFO of expiry entries: an array with a moving head, compacted as it drains. */
class ExpiryQueue {
  private items: ExpiryEntry[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(e: ExpiryEntry): void {
    this.items.push(e);
  }

  front(): ExpiryEntry | undefined {
    return this.items[this.head];
  }

  pop(): void {
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
