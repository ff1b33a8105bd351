/**
 * Reading the server's `GET /metrics` (Prometheus text exposition format)
 * into per-query figures, and turning two readings into rates. No DOM: the
 * tests import this module directly.
 */

/** One sample line: `name{label="value",…} 12.5`. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** What `/metrics` says about one persistent query at one moment (counters are totals since it started). */
export interface QueryCounters {
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Sum of `sluice_query_lag` over the query's source partitions. */
  readonly lag: number;
  readonly processingErrors: number;
}

/** One reading of `/metrics`: the counters of every query it named, and when it was taken (ms, any monotonic clock). */
export interface MetricsReading {
  readonly at: number;
  readonly queries: ReadonlyMap<string, QueryCounters>;
}

/**
 * A query's live figures: its latest counters, and rates per second over the
 * last two readings (undefined until there are two readings naming it).
 */
export interface QueryFigures extends QueryCounters {
  readonly inPerSec: number | undefined;
  readonly outPerSec: number | undefined;
}

/** Parses a sample's value: numbers, and `NaN`, `+Inf`, `-Inf` as Prometheus spells them. */
function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/**
 * Reads the labels from `line` starting just after `{`; returns them and the
 * index just past the closing `}`, or undefined when the braces are malformed.
 * Values unescape `\\`, `\"` and `\n`.
 */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') return undefined;
    const key = line.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    while (j < line.length && line[j] !== '"') {
      if (line[j] === '\\' && j + 1 < line.length) {
        const next = line[j + 1];
        value += next === 'n' ? '\n' : next;
        j += 2;
      } else {
        value += line[j];
        j++;
      }
    }
    if (j >= line.length) return undefined;
    labels[key] = value;
    i = j + 1;
  }
}

/**
 * Parses Prometheus text: every sample line (comments, `# HELP`/`# TYPE`
 * lines, blank and malformed lines are skipped). An optional timestamp after
 * the value is ignored.
 */
export function parsePrometheus(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    let i = 0;
    while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
    const name = line.slice(0, i);
    let labels: Readonly<Record<string, string>> = {};
    if (line[i] === '{') {
      const parsed = parseLabels(line, i + 1);
      if (!parsed) continue;
      labels = parsed.labels;
      i = parsed.end;
    }
    const valueText = line.slice(i).trim().split(/\s+/)[0] ?? '';
    const value = parseValue(valueText);
    if (name === '' || valueText === '' || Number.isNaN(value)) continue;
    out.push({ name, labels, value });
  }
  return out;
}

/** Mutable counters while a reading is summed up. */
interface Tally {
  recordsIn: number;
  recordsOut: number;
  lag: number;
  processingErrors: number;
}

/**
 * The per-query counters in `samples`: `sluice_query_records_in_total`,
 * `sluice_query_records_out_total`, `sluice_query_processing_errors_total`
 * and `sluice_query_lag` (summed over topics and partitions), by `query_id`.
 * A query named by any of them gets an entry (missing counters are 0).
 */
export function queryCounters(samples: readonly MetricSample[]): Map<string, QueryCounters> {
  const out = new Map<string, Tally>();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const id = s.labels['query_id'];
    if (id === undefined) continue;
    let field: keyof Tally;
    switch (s.name) {
      case 'sluice_query_records_in_total':
        field = 'recordsIn';
        break;
      case 'sluice_query_records_out_total':
        field = 'recordsOut';
        break;
      case 'sluice_query_lag':
        field = 'lag';
        break;
      case 'sluice_query_processing_errors_total':
        field = 'processingErrors';
        break;
      default:
        continue;
    }
    let t = out.get(id);
    if (!t) {
      t = { recordsIn: 0, recordsOut: 0, lag: 0, processingErrors: 0 };
      out.set(id, t);
    }
    t[field] += s.value;
  }
  return out;
}

/** A reading of `/metrics` text taken at `at` (ms). */
export function readMetrics(text: string, at: number): MetricsReading {
  return { at, queries: queryCounters(parsePrometheus(text)) };
}

/** Per-second rate of a counter between two readings; a counter that went down (a restart) counts from 0. */
function rate(before: number, after: number, seconds: number): number {
  const delta = after >= before ? after - before : after;
  return delta / seconds;
}

/**
 * The live figures of every query in `current`, with rates against `previous`
 * (the reading before it, if any). Rates stay undefined for a query the
 * previous reading did not name, or when no time passed between them.
 */
export function queryFigures(previous: MetricsReading | undefined, current: MetricsReading): Map<string, QueryFigures> {
  const out = new Map<string, QueryFigures>();
  const seconds = previous ? (current.at - previous.at) / 1000 : 0;
  for (const [id, now] of current.queries) {
    const before = seconds > 0 ? previous?.queries.get(id) : undefined;
    out.set(id, {
      ...now,
      inPerSec: before ? rate(before.recordsIn, now.recordsIn, seconds) : undefined,
      outPerSec: before ? rate(before.recordsOut, now.recordsOut, seconds) : undefined,
    });
  }
  return out;
}

/** A rate for people: `0/s`, `3.5/s`, `1,204/s`, or `–/s` when unknown. */
export function formatRate(perSec: number | undefined): string {
  if (perSec === undefined) return '–/s';
  const digits = perSec > 0 && perSec < 10 ? 1 : 0;
  return `${perSec.toLocaleString('en', { maximumFractionDigits: digits })}/s`;
}

/** A count for people: `1,204`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en', { maximumFractionDigits: 0 });
}
