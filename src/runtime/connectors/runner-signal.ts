/**
 * How a connector runner waits without busy polling: until woken (new records
 * on its topic), until a delay passes (backoff, a source with nothing new), or
 * until stopped, whichever comes first. One instance per runner; no timers or
 * listeners outlive {@link RunnerSignal.stop}.
 */
export class RunnerSignal {
  private stopped = false;
  /** Set when woken while not waiting, so a wake between a read and the wait is not lost. */
  private pending = false;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** True once {@link stop} was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Ends the current or next wait early. */
  wake(): void {
    if (this.resolve !== undefined) this.settle();
    else this.pending = true;
  }

  /** Ends every wait now and makes later waits return at once. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /**
   * Resolves on the next {@link wake} (or one that came since the last wait),
   * on {@link stop}, or after `ms` when given.
   */
  wait(ms?: number): Promise<void> {
    if (this.stopped || this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
      if (ms !== undefined) this.timer = setTimeout(() => this.settle(), Math.max(0, ms));
    });
  }

  /** Waits `ms` unless stopped first; wakes do not cut it short. */
  async sleep(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped) {
      const left = until - Date.now();
      if (left <= 0) return;
      await this.wait(left);
    }
  }

  private settle(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const r = this.resolve;
    this.resolve = undefined;
    this.pending = false;
    r?.();
  }
}
