import type { WindowSpec } from '../../planner/logical-plan.js';
import { keyString } from '../state/key-codec.js';
import type { Operator, Rec } from './record.js';

/**
 * EMIT FINAL: holds the latest result of each window and emits it once stream
 * time passes the window's end plus grace (ksqlDB's suppress untilWindowCloses).
 */
export class SuppressOperator implements Operator {
  private readonly buffer = new Map<string, Rec>();
  private streamTime = -Infinity;
  private readonly graceMs: number;

  constructor(
    window: WindowSpec,
    private readonly next: Operator,
  ) {
    this.graceMs = window.graceMs;
  }

  process(rec: Rec): void {
    if (rec.ts > this.streamTime) this.streamTime = rec.ts;
    if (rec.window) {
      const k = `${keyString(rec.key)}@${rec.window.start}`;
      this.buffer.delete(k);
      this.buffer.set(k, rec);
    }
    this.evict();
  }

  private evict(): void {
    const close = this.streamTime - this.graceMs;
    const ready: Rec[] = [];
    for (const [k, r] of this.buffer) {
      if (r.window && r.window.end <= close) {
        ready.push(r);
        this.buffer.delete(k);
      }
    }
    ready.sort((a, b) => a.window!.end - b.window!.end);
    for (const r of ready) if (r.row !== null) this.next.process(r);
  }
}
