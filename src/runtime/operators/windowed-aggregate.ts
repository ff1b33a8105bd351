import type { WindowSpec } from '../../planner/logical-plan.js';
import type { Evaluator } from '../expr/compile.js';
import { keyString } from '../state/key-codec.js';
import type { KeyValueStore } from '../state/store.js';
import { AggregatorBase, type AggState, type CompiledAggregate } from './aggregate.js';
import type { Operator, ProcessingLogger, Rec } from './record.js';

/** Stream time per input partition: the largest timestamp seen so far. */
class StreamTime {
  private readonly byPartition = new Map<number, number>();
  observe(partition: number, ts: number): number {
    const t = Math.max(this.byPartition.get(partition) ?? -Infinity, ts);
    this.byPartition.set(partition, t);
    return t;
  }
}

/**
 * TUMBLING and HOPPING aggregation (Kafka Streams' windowed aggregate): a record
 * updates every window containing it that has not closed (window end + grace
 * beyond stream time); records for closed windows are dropped as late.
 */
export class TimeWindowAggregateOperator extends AggregatorBase {
  private readonly streamTime = new StreamTime();
  private readonly sizeMs: number;
  private readonly advanceMs: number;
  private readonly graceMs: number;
  private readonly retentionMs: number;

  constructor(
    window: Extract<WindowSpec, { kind: 'TUMBLING' | 'HOPPING' }>,
    groupBy: readonly Evaluator[],
    aggs: readonly CompiledAggregate[],
    private readonly store: KeyValueStore<AggState>,
    next: Operator,
    log: ProcessingLogger,
    queryId: string,
  ) {
    super(groupBy, aggs, next, log, queryId);
    this.sizeMs = window.sizeMs;
    this.advanceMs = window.kind === 'HOPPING' ? window.advanceMs : window.sizeMs;
    this.graceMs = window.graceMs;
    this.retentionMs = Math.max(window.retentionMs, window.sizeMs);
  }

  process(rec: Rec): void {
    const ts = rec.ts;
    if (rec.row === null || ts < 0) return;
    const now = this.streamTime.observe(rec.partition, ts);
    const ka = this.keyAndArgs(rec);
    if (!ka) return;
    const { key, args } = ka;
    const closeTime = now - this.graceMs;
    const keyStr = keyString(key);
    let start = Math.floor(Math.max(0, ts - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    for (; start <= ts; start += this.advanceMs) {
      const end = start + this.sizeMs;
      if (end <= closeTime || end <= now - this.retentionMs) {
        this.log.error({ queryId: this.queryId, message: `Skipping record for expired window. key=[${key.join(',')}] window=[${start},${end}) streamTime=${now}`, partition: rec.partition, offset: rec.offset });
        continue;
      }
      const st = this.update(this.store, `${keyStr}@${start}`, ts, args)!;
      this.next.process({
        key,
        row: this.outputRow(key, st.acc, [start, end]),
        ts: st.ts,
        window: { start, end },
        partition: rec.partition,
        offset: rec.offset,
        headers: rec.headers,
      });
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
 */
export class SessionAggregateOperator extends AggregatorBase {
  private readonly streamTime = new StreamTime();
  constructor(
    private readonly window: Extract<WindowSpec, { kind: 'SESSION' }>,
    groupBy: readonly Evaluator[],
    aggs: readonly CompiledAggregate[],
    private readonly store: KeyValueStore<Session[]>,
    next: Operator,
    log: ProcessingLogger,
    queryId: string,
  ) {
    super(groupBy, aggs, next, log, queryId);
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
      this.log.error({ queryId: this.queryId, message: `Skipping record for expired session. key=[${key.join(',')}] streamTime=${now}`, partition: rec.partition, offset: rec.offset });
      return;
    }
    const merged = overlapping.length > 0 && !(overlapping.length === 1 && overlapping[0]!.start === start && overlapping[0]!.end === end);
    if (merged) {
      for (const s of overlapping) {
        this.next.process({ key, row: null, ts: s.end, window: { start: s.start, end: s.end }, partition: rec.partition, offset: rec.offset, headers: rec.headers });
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
