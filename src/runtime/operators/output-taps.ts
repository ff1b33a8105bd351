import type { Rec } from './record.js';

/** A reader of a persistent query's output as it is produced (a scalable push query). */
export interface OutputTap {
  /** One record the query's sink wrote (its row, key, window and timestamp as written). */
  process(rec: Rec): void;
  /** The query stopped (terminated, replaced, dropped): no more records will come. */
  upstreamEnded(): void;
}

/**
 * The taps on one persistent query's output (ksqlDB's ScalablePushRegistry):
 * its sink hands each record it wrote to every tap, synchronously, in the
 * pump's batch loop. Taps added between batches see the records written from
 * then on; none read the topic.
 */
export class OutputTaps {
  private taps: OutputTap[] = [];
  private ended = false;

  /** Taps attached now. */
  get size(): number {
    return this.taps.length;
  }

  /** Whether the query stopped (no tap can be added any more). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Attaches `tap`; returns how to detach it. */
  add(tap: OutputTap): () => void {
    if (this.ended) {
      tap.upstreamEnded();
      return () => undefined;
    }
    this.taps = [...this.taps, tap];
    return () => {
      this.taps = this.taps.filter((t) => t !== tap);
    };
  }

  /** Hands `rec` to every tap (called by the sink once per record written). */
  process(rec: Rec): void {
    const taps = this.taps;
    for (let i = 0; i < taps.length; i++) taps[i]!.process(rec);
  }

  /** The query stopped: tells every tap, then detaches them all. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const taps = this.taps;
    this.taps = [];
    for (const t of taps) t.upstreamEnded();
  }
}
