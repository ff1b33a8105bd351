/**
 * What a query has processed, counted once per batch (never per record): the
 * figures `/metrics`, `DESCRIBE … EXTENDED` and `SHOW QUERIES EXTENDED` show.
 */

/** Seconds a rate looks back over (ksqlDB's metrics keep 100 one-second samples). */
const RATE_WINDOW_S = 100;

/**
 * A running total with its recent rate per second: a ring of one-second
 * buckets, each added to once per batch.
 */
export class RateCounter {
  /** Everything counted since the query started. */
  total = 0;
  /** When something was last counted (epoch ms), 0 for never. */
  last = 0;
  private readonly buckets = new Float64Array(RATE_WINDOW_S);
  private bucketSecond = 0;
  private readonly started = Date.now();

  /** Adds `n` (one batch's worth) at time `now`. */
  add(n: number, now: number = Date.now()): void {
    if (n <= 0) return;
    this.total += n;
    this.last = now;
    this.advance(now);
    this.buckets[this.bucketSecond % RATE_WINDOW_S]! += n;
  }

  /** Per second over the window (or since start, when younger than it). */
  rate(now: number = Date.now()): number {
    this.advance(now);
    let sum = 0;
    for (let i = 0; i < RATE_WINDOW_S; i++) sum += this.buckets[i]!;
    const elapsed = Math.min(RATE_WINDOW_S, Math.max(1, (now - this.started) / 1000));
    return sum / elapsed;
  }

  /** Clears buckets of seconds that passed since the last one written. */
  private advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (this.bucketSecond === 0) this.bucketSecond = second;
    const gap = Math.min(second - this.bucketSecond, RATE_WINDOW_S);
    for (let i = 1; i <= gap; i++) this.buckets[(this.bucketSecond + i) % RATE_WINDOW_S] = 0;
    if (second > this.bucketSecond) this.bucketSecond = second;
  }
}

/**
 * Per-query counters. `recordsIn` counts records read from the query's sources
 * (not its internal repartition topics), `recordsOut` records written to its
 * sink topic, `errors` the processing-log entries it reported.
 */
export class QueryStats {
  readonly recordsIn = new RateCounter();
  readonly recordsOut = new RateCounter();
  readonly errors = new RateCounter();
}

/** How far a query is behind in one partition of an input: the log's end less the query's position. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** One persistent query's figures at a moment (what `/metrics` reads on a scrape). */
export interface QueryMetrics {
  readonly queryId: string;
  readonly state: string;
  readonly stats: QueryStats;
  /** Per source partition. */
  readonly lag: readonly PartitionLag[];
  /** Entries in the query's state stores. */
  readonly stateEntries: number;
}

/** One figure of ksqlDB's runtime statistics text: its name, value and when its last event was (epoch ms, 0 never). */
export interface NamedStat {
  readonly name: string;
  readonly value: number;
  readonly last: number;
}

/** An instant as Java's `ISO_OFFSET_DATE_TIME` prints a UTC one: the fraction only as long as needed, `Z`. */
export function isoOffsetDateTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.670Z
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}

/**
 * ksqlDB's statistics text (`DESCRIBE … EXTENDED`'s `statistics` and
 * `errorStats`): each figure as `%16s:%10.0f` (or `%10.2f` when not whole),
 * each followed by a space, then `lastLabel` as `%16s: ` and the first
 * figure's last event time as `%9s` (`n/a` when never). Empty without figures.
 */
export function formatStats(stats: readonly NamedStat[], lastLabel: string): string {
  if (stats.length === 0) return '';
  let out = '';
  for (const s of stats) out += `${s.name.padStart(16)}:${(Number.isInteger(s.value) ? s.value.toFixed(0) : s.value.toFixed(2)).padStart(10)} `;
  const last = stats[0]!.last;
  return `${out}${lastLabel.padStart(16)}: ${(last === 0 ? 'n/a' : isoOffsetDateTime(last)).padStart(9)}`;
}
