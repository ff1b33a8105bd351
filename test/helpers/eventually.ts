/**
 * The one way tests wait for something asynchronous (a background pump, a
 * heartbeat, a server closing a query): poll for the condition itself rather
 * than sleep for a guessed time.
 */

/** How long {@link eventually} keeps polling, and how often. */
export interface EventuallyOptions {
  /**
   * Give up after this many milliseconds. The default (20 s) is generous for a
   * loaded machine yet below vitest's 30 s test timeout, so a miss reports what
   * was awaited instead of a bare "test timed out".
   */
  readonly timeoutMs?: number;
  /** Wait this long between polls; default 25 ms. */
  readonly everyMs?: number;
}

/** What a probe answers: `undefined`, `null` or `false` mean "not yet"; anything else is the result. */
export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

/**
 * Polls `probe` until it answers something other than `undefined`, `null` or
 * `false`, and resolves with that answer. A probe that throws (an `expect`
 * that does not hold yet, a request refused while a server starts) counts as
 * "not yet", and so does one still running at the deadline. Once the deadline
 * passes it rejects with an error naming `what` was awaited, with the last
 * thrown error's message when there was one.
 *
 * To wait for assertions, end the probe with `return true`:
 * `await eventually('the query closed', async () => { expect(await list()).toEqual([]); return true; })`.
 */
export async function eventually<T>(what: string, probe: Probe<T>, opts: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const everyMs = opts.everyMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await beforeDeadline(probe, deadline);
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      // A probe cut off at the deadline says nothing new: keep the failure before it too.
      last = e instanceof ProbeUnfinished && last !== undefined ? new Error(`${messageOf(last)} (then the last probe did not finish)`) : e;
    }
    if (Date.now() >= deadline) {
      const why = last === undefined ? '' : `; last failure: ${messageOf(last)}`;
      throw new Error(`still waiting for ${what} after ${timeoutMs} ms${why}`, last === undefined ? undefined : { cause: last });
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs one probe, but stops waiting for it at the deadline (a probe that never settles counts as a miss). */
async function beforeDeadline<T>(probe: Probe<T>, deadline: number): Promise<T | undefined | null | false> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeUnfinished()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([probe(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The probe was still running at the deadline. */
class ProbeUnfinished extends Error {
  constructor() {
    super('the probe itself did not finish');
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
