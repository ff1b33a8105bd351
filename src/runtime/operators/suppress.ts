import type { WindowSpec } from '../../planner/logical-plan.js';
import { compareValues } from '../expr/values.js';
import { keyString } from '../state/key-codec.js';
import type { Operator, Rec } from './record.js';

/**
 * EMIT FINAL, as Kafka Streams' emit-on-window-close does it: keeps the latest
 * result per window; whenever the close time (stream time − grace) advances, emits
 * the windows whose start lies in [last close − size, close − size] and that the
 * window store still retains (start ≥ stream time − retention), in start order.
 */
export class SuppressOperator implements Operator {
  private readonly buffer = new Map<string, Rec>();
  private streamTime = -Infinity;
  private lastClose: number | undefined;
  private readonly sizeMs: number;
  private readonly graceMs: number;
  private readonly retentionMs: number;
  private readonly session: boolean;

  constructor(
    window: WindowSpec,
    private readonly next: Operator,
  ) {
    this.session = window.kind === 'SESSION';
    this.sizeMs = window.kind === 'SESSION' ? 0 : window.sizeMs;
    this.graceMs = window.graceMs;
    this.retentionMs = window.retentionMs;
  }

  process(rec: Rec): void {
    if (rec.ts > this.streamTime) this.streamTime = rec.ts;
    if (rec.window) this.buffer.set(`${keyString(rec.key)}@${rec.window.start}`, rec);
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
    for (const [k, r] of this.buffer) {
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
    for (const [k, r] of this.buffer) {
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
