import type { WindowSpec } from '../../planner/logical-plan.js';
import { compareValues } from '../expr/values.js';
import { keyString } from '../state/key-codec.js';
import type { KeyValueStore } from '../state/store.js';
import type { Operator, Rec } from './record.js';

/** Store key of the operator's clock (buffer keys are `keyString@start`, never this). */
const CLOCK = '\u0000clock';

/** The clock as stored: stream time and the last close time emitted up to. */
interface Clock {
  readonly streamTime: number;
  readonly lastClose: number | null;
}

/**
 * EMIT FINAL, as Kafka Streams' emit-on-window-close does it: keeps the latest
 * result per window; whenever the close time (stream time − grace) advances, emits
 * the windows whose start lies in [last close − size, close − size] and that the
 * window store still retains (start ≥ stream time − retention), in start order.
 * The held-back results and the clock live in a state store, so they survive a
 * restart (and, in Kafka mode, travel through the query's changelog).
 */
export class SuppressOperator implements Operator {
  private readonly buffer: KeyValueStore<Rec | Clock>;
  private streamTime = -Infinity;
  private lastClose: number | undefined;
  private readonly sizeMs: number;
  private readonly graceMs: number;
  private readonly retentionMs: number;
  private readonly session: boolean;

  constructor(
    window: WindowSpec,
    private readonly next: Operator,
    store: KeyValueStore<Rec | Clock>,
  ) {
    this.session = window.kind === 'SESSION';
    this.sizeMs = window.kind === 'SESSION' ? 0 : window.sizeMs;
    this.graceMs = window.graceMs;
    this.retentionMs = window.retentionMs;
    this.buffer = store;
    const clock = store.get(CLOCK) as Clock | undefined;
    if (clock) {
      this.streamTime = clock.streamTime;
      this.lastClose = clock.lastClose ?? undefined;
    }
  }

  process(rec: Rec): void {
    this.hold(rec);
    const before = this.lastClose;
    this.emitClosed();
    if (rec.ts >= this.streamTime || this.lastClose !== before) this.buffer.put(CLOCK, { streamTime: this.streamTime, lastClose: this.lastClose ?? null });
  }

  private hold(rec: Rec): void {
    if (rec.ts > this.streamTime) this.streamTime = rec.ts;
    if (rec.window) this.buffer.put(`${keyString(rec.key)}@${rec.window.start}`, rec);
  }

  private emitClosed(): void {
    if (this.session) {
      this.emitClosedSessions();
      return;
    }
    const close = this.streamTime - this.graceMs;
    if (this.lastClose !== undefined && this.lastClose >= close) return;
    const upper = close - this.sizeMs;
    if (upper < 0) return;
    const lower = this.lastClose === undefined ? 0 : Math.max(0, this.lastClose - this.sizeMs);
    const retained = this.streamTime - this.retentionMs;
    const ready: Rec[] = [];
    for (const [k, held] of this.buffer.entries()) {
      if (k === CLOCK) continue;
      const r = held as Rec;
      const start = r.window!.start;
      if (start < retained) {
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
    this.lastClose = close;
  }

  /** Sessions are final once their end plus grace falls behind stream time; emitted by end, then key. */
  private emitClosedSessions(): void {
    const ready: Rec[] = [];
    for (const [k, held] of this.buffer.entries()) {
      if (k === CLOCK) continue;
      const r = held as Rec;
      if (r.window!.end + this.graceMs < this.streamTime) {
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
