/**
 * The pump: steps every running query (persistent and transient) until none has
 * unread input. Concurrent calls share one run; a call during a run asks for
 * another round after it.
 */
import { SluiceError } from '../../common/errors.js';
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { Log } from '../log/log.js';
import type { TransientHandle } from '../query/row-queue.js';
import type { Steppable } from '../query/start-transient.js';

/** What a {@link Pump} steps and reports to. */
export interface PumpOptions {
  readonly log: Log;
  readonly logger: ProcessingLogger;
  /** The persistent queries, read afresh every round. */
  readonly persistent: () => Iterable<Steppable>;
  /** After every round (e.g. appending the processing log to its stream). */
  readonly afterRound: () => Promise<void>;
  /** Told when a persistent query fails (a transient one's caller sees its failure). */
  readonly failed?: (queryId: string, error: string, stack?: string) => void;
}

/** Rounds one run may take at most (each steps every query once). */
const MAX_ROUNDS = 100_000;

export class Pump {
  /** Running transient (push) queries, pumped with the persistent ones. */
  private readonly transients = new Map<string, { query: Steppable; handle: TransientHandle }>();
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** While held (start-up replay), scheduled runs are dropped; {@link release} ends it. */
  private held = false;

  constructor(private readonly opts: PumpOptions) {}

  /** Runs every query until none has unread input. Concurrent calls share one run. */
  all(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.rounds();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs the queries soon (engines that pump themselves, and queries asking to be woken). */
  schedule(): void {
    if (this.closed || this.held) return;
    if (this.running) {
      this.again = true;
      return;
    }
    setImmediate(() => void this.all());
  }

  /** Drops scheduled runs until {@link release} (the command log replaying at start). */
  hold(): void {
    this.held = true;
  }

  /** Ends {@link hold}; the caller schedules the next run. */
  release(): void {
    this.held = false;
  }

  /** Resolves once the current run (if any) is over. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Adds a push query (or PRINT) until its handle closes; a drained client queue wakes the pump. */
  addTransient(query: Steppable, handle: TransientHandle): void {
    this.transients.set(query.id, { query, handle });
    handle.queue.onDrained = () => this.schedule();
    this.schedule();
  }

  removeTransient(id: string): void {
    this.transients.delete(id);
  }

  /** Closes every transient query and waits for the current run; nothing runs afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of [...this.transients.values()]) t.handle.close();
    await this.running;
  }

  private async rounds(): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let progressed = false;
      const running: Steppable[] = [...this.opts.persistent()];
      // A push query whose client lags stays where it is until the client catches up (its queue wakes the pump).
      for (const t of this.transients.values()) if (!t.handle.backpressured) running.push(t.query);
      for (const q of running) {
        try {
          if (await q.step(this.opts.log)) progressed = true;
        } catch (e) {
          q.state = 'ERROR';
          q.error = e instanceof SluiceError ? e.message : String(e);
          this.opts.logger.error({ queryId: q.id, message: `Query failed: ${q.error}` });
          const transient = this.transients.get(q.id);
          if (transient) transient.handle.fail(q.error ?? 'query failed');
          else this.opts.failed?.(q.id, q.error, e instanceof SluiceError || !(e instanceof Error) ? undefined : e.stack);
        }
      }
      await this.opts.afterRound();
      if (!progressed || this.closed) return;
    }
  }
}
