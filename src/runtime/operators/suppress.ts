import { assertNever } from '../../common/assert.js';
import type { WindowSpec } from '../../planner/logical-plan.js';
import { compareValues } from '../expr/values.js';
import { keyString } from '../state/key-codec.js';
import type { KeyValueStore } from '../state/store.js';
import type { Operator, Rec } from './record.js';

/** Store key of the operator's clock (buffer keys are `keyString@start`, never this). */
const CLOCK = '\u0000clock';

/**
 * The clocks as stored: per task (input partition), [stream time, last close time
 * emitted up to] (null for none). A store written before clocks were per task
 * holds one `streamTime`/`lastClose` for all of them.
 */
interface Clock {
  readonly tasks?: Readonly<Record<string, readonly (number | null)[]>>;
  readonly streamTime?: number | null;
  readonly lastClose?: number | null;
}

/** One task's clock. */
interface TaskClock {
  streamTime: number;
  lastClose: number | undefined;
}

/**
 * EMIT FINAL, as Kafka Streams' emit-on-window-close does it: keeps the latest
 * result per window; whenever the close time (stream time − grace) advances, emits
 * the windows whose start lies in [last close − size, close − size], in start
 * order, and forgets those the window store no longer retains (start < stream
 * time − retention). Time is kept per task, a task being the input partition of
 * the results (Kafka Streams' tasks): a partition read after another that ran
 * ahead in time does not find its windows closed by the other's clock.
 * The held-back results and the clocks live in a state store, so they survive a
 * restart (and, in Kafka mode, travel through the query's changelog).
 */
export class SuppressOperator implements Operator {
  private readonly buffer: KeyValueStore<Rec | Clock>;
  private readonly clocks = new Map<number, TaskClock>();
  /** Clock of a task not in `clocks` (what a store written before per-task clocks holds). */
  private readonly legacy: TaskClock = { streamTime: -Infinity, lastClose: undefined };
  private readonly sizeMs: number;
  private readonly graceMs: number;
  private readonly retentionMs: number;
  private readonly session: boolean;

  constructor(
    window: WindowSpec,
    private readonly next: Operator,
    store: KeyValueStore<Rec | Clock>,
  ) {
    switch (window.kind) {
      case 'TUMBLING':
      case 'HOPPING':
        this.session = false;
        this.sizeMs = window.sizeMs;
        break;
      case 'SESSION':
        this.session = true;
        this.sizeMs = 0;
        break;
      default:
        throw assertNever(window, 'window spec');
    }
    this.graceMs = window.graceMs;
    this.retentionMs = window.retentionMs;
    this.buffer = store;
    const clock = store.get(CLOCK) as Clock | undefined;
    if (clock) {
      this.legacy.streamTime = clock.streamTime ?? -Infinity;
      this.legacy.lastClose = clock.lastClose ?? undefined;
      for (const [task, c] of Object.entries(clock.tasks ?? {})) this.clocks.set(Number(task), { streamTime: c[0] ?? -Infinity, lastClose: c[1] ?? undefined });
    }
  }

  process(rec: Rec): void {
    const clock = this.clock(rec.partition);
    const before = clock.lastClose;
    const advanced = rec.ts >= clock.streamTime;
    if (rec.ts > clock.streamTime) clock.streamTime = rec.ts;
    if (rec.window) this.buffer.put(`${keyString(rec.key)}@${rec.window.start}`, rec);
    this.emitClosed(rec.partition, clock);
    if (advanced || clock.lastClose !== before) this.saveClocks();
  }

  private clock(task: number): TaskClock {
    let c = this.clocks.get(task);
    if (c === undefined) {
      c = { streamTime: this.legacy.streamTime, lastClose: this.legacy.lastClose };
      this.clocks.set(task, c);
    }
    return c;
  }

  private saveClocks(): void {
    const tasks: Record<string, (number | null)[]> = {};
    for (const [task, c] of this.clocks) tasks[task] = [Number.isFinite(c.streamTime) ? c.streamTime : null, c.lastClose ?? null];
    this.buffer.put(CLOCK, { tasks });
  }

  private emitClosed(task: number, clock: TaskClock): void {
    if (this.session) {
      this.emitClosedSessions(task, clock.streamTime);
      return;
    }
    const close = clock.streamTime - this.graceMs;
    if (clock.lastClose !== undefined && clock.lastClose >= close) return;
    const upper = close - this.sizeMs;
    if (upper < 0) return;
    const lower = clock.lastClose === undefined ? 0 : Math.max(0, clock.lastClose - this.sizeMs);
    const retained = clock.streamTime - this.retentionMs;
    const ready: Rec[] = [];
    for (const [k, held] of this.buffer.entries()) {
      if (k === CLOCK) continue;
      const r = held as Rec;
      if (r.partition !== task) continue;
      const start = r.window!.start;
      if (start < retained) {
        // The window store no longer holds it (stream time jumped past its retention): never emitted, as in ksqlDB.
        this.buffer.delete(k);
        continue;
      }
      if (start >= lower && start <= upper) {
        ready.push(r);
        this.buffer.delete(k);
      }
    }
    // Like a window store scan: by window start, then by key.
    ready.sort((a, b) => a.window!.start - b.window!.start || compareKeys(a.key, b.key));
    for (const r of ready) if (r.row !== null) this.next.process(r);
    clock.lastClose = close;
  }

  /** Sessions are final once their end plus grace falls behind stream time; emitted by end, then key. */
  private emitClosedSessions(task: number, streamTime: number): void {
    const ready: Rec[] = [];
    for (const [k, held] of this.buffer.entries()) {
      if (k === CLOCK) continue;
      const r = held as Rec;
      if (r.partition === task && r.window!.end + this.graceMs < streamTime) {
        ready.push(r);
        this.buffer.delete(k);
      }
    }
    ready.sort((a, b) => a.window!.end - b.window!.end || compareKeys(a.key, b.key));
    for (const r of ready) if (r.row !== null) this.next.process(r);
  }
}

function compareKeys(a: readonly unknown[] | null, b: readonly unknown[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x !== y) return x === null ? -1 : 1;
      continue;
    }
    const c = compareValues(x, y);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
