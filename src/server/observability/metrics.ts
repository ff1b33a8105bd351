/**
 * The server's Prometheus metrics (`GET /metrics`), on a registry of its own
 * (never prom-client's global one): per query records in and out, processing
 * errors, state entries and lag per input partition, read from the engine on
 * each scrape (queries count per batch; nothing here runs per record); push,
 * pull and PRINT query counts and latencies and statement counts from engine
 * events; HTTP requests by route and status; and prom-client's process
 * metrics (event-loop lag, RSS, heap, CPU).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { assertNever } from '../../common/assert.js';
import type { EngineEvent, EngineEvents } from '../../common/engine-events.js';
import type { QueryMetrics } from '../../runtime/query/query-stats.js';

/** Latency buckets in seconds, from a millisecond to a minute. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** A server's metrics: hand {@link events} to the engine, call {@link observeRequest} per HTTP response. */
export class ServerMetrics implements EngineEvents {
  readonly registry = new Registry();
  private readonly transientQueries: Counter<'type'>;
  private readonly transientLatency: Histogram<'type'>;
  private readonly statements: Counter<'statement' | 'result'>;
  private readonly queryStops: Counter<'reason'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpLatency: Histogram<'method' | 'route'>;

  /** `snapshot`: the engine's per-query figures, read on each scrape (none when the engine offers none). */
  constructor(snapshot: () => Promise<readonly QueryMetrics[]>) {
    const register = this.registry;
    collectDefaultMetrics({ register });
    // One snapshot per scrape, shared by the per-query collectors below.
    let pending: Promise<readonly QueryMetrics[]> | undefined;
    const read = (): Promise<readonly QueryMetrics[]> => {
      pending ??= snapshot().finally(() => {
        pending = undefined;
      });
      return pending;
    };
    const perQuery = (name: string, help: string, value: (q: QueryMetrics) => number, kind: 'counter' | 'gauge'): void => {
      const Metric = kind === 'counter' ? Counter : Gauge;
      new Metric({
        name,
        help,
        labelNames: ['query_id'],
        registers: [register],
        async collect() {
          const qs = await read();
          this.reset();
          for (const q of qs) {
            const v = value(q);
            if (this instanceof Counter) this.inc({ query_id: q.queryId }, v);
            else (this as Gauge<'query_id'>).set({ query_id: q.queryId }, v);
          }
        },
      });
    };
    perQuery('sluice_query_records_in_total', 'Records a persistent query read from its sources.', (q) => q.stats.recordsIn.total, 'counter');
    perQuery('sluice_query_records_out_total', 'Records a persistent query wrote to its sink.', (q) => q.stats.recordsOut.total, 'counter');
    perQuery('sluice_query_processing_errors_total', 'Processing-log entries a persistent query reported.', (q) => q.stats.errors.total, 'counter');
    perQuery('sluice_query_state_entries', 'Entries in a persistent query state stores.', (q) => q.stateEntries, 'gauge');
    new Gauge({
      name: 'sluice_query_lag',
      help: 'Records of an input partition a persistent query has not read yet (log end offset less its position).',
      labelNames: ['query_id', 'topic', 'partition'],
      registers: [register],
      async collect() {
        const qs = await read();
        this.reset();
        for (const q of qs) for (const l of q.lag) this.set({ query_id: q.queryId, topic: l.topic, partition: String(l.partition) }, l.lag);
      },
    });
    new Gauge({
      name: 'sluice_persistent_queries',
      help: 'Persistent queries by state.',
      labelNames: ['state'],
      registers: [register],
      async collect() {
        const qs = await read();
        this.reset();
        for (const state of ['RUNNING', 'ERROR']) this.set({ state }, qs.filter((q) => q.state === state).length);
      },
    });
    const totals = (name: string, help: string, value: (q: QueryMetrics) => number): void => {
      new Counter({
        name,
        help,
        registers: [register],
        async collect() {
          const qs = await read();
          this.reset();
          this.inc(qs.reduce((n, q) => n + value(q), 0));
        },
      });
    };
    totals('sluice_records_in_total', 'Records read by all running persistent queries.', (q) => q.stats.recordsIn.total);
    totals('sluice_records_out_total', 'Records written by all running persistent queries.', (q) => q.stats.recordsOut.total);
    this.transientQueries = new Counter({
      name: 'sluice_transient_queries_total',
      help: 'Transient queries started, by type (push, pull, print).',
      labelNames: ['type'],
      registers: [register],
    });
    this.transientLatency = new Histogram({
      name: 'sluice_transient_query_duration_seconds',
      help: 'Pull queries and PRINT: from start until every row was produced. Push queries: time to plan and start.',
      labelNames: ['type'],
      buckets: LATENCY_BUCKETS,
      registers: [register],
    });
    this.statements = new Counter({
      name: 'sluice_statements_total',
      help: 'Statements executed, by kind and result (success or the ksqlDB error code).',
      labelNames: ['statement', 'result'],
      registers: [register],
    });
    this.queryStops = new Counter({
      name: 'sluice_query_stops_total',
      help: 'Queries stopped, by reason (terminated, completed, closed, failed).',
      labelNames: ['reason'],
      registers: [register],
    });
    this.httpRequests = new Counter({
      name: 'sluice_http_requests_total',
      help: 'HTTP requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [register],
    });
    this.httpLatency = new Histogram({
      name: 'sluice_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (streaming responses: until the response ended).',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [register],
    });
  }

  /** Engine events: statement and transient query counts and latencies. */
  emit(e: EngineEvent): void {
    switch (e.kind) {
      case 'statement':
        if (!e.replayed) this.statements.inc({ statement: e.statement, result: e.errorCode === undefined ? 'success' : String(e.errorCode) });
        return;
      case 'query-started':
        if (e.type === 'persistent') return;
        this.transientQueries.inc({ type: e.type });
        if (e.type === 'push' && e.durationMs !== undefined) this.transientLatency.observe({ type: e.type }, e.durationMs / 1000);
        return;
      case 'query-stopped':
        this.queryStops.inc({ reason: e.reason });
        if (e.type === 'pull' || e.type === 'print') this.transientLatency.observe({ type: e.type }, e.durationMs / 1000);
        return;
      case 'processing-errors':
        return; // counted per query from the engine's figures on each scrape
      default:
        assertNever(e, 'engine event');
    }
  }

  /** One HTTP response: `route` is the route's pattern (e.g. `/topics/:topic`), or `unmatched`. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpLatency.observe({ method, route }, seconds);
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** Its content type (`text/plain; version=0.0.4; charset=utf-8`). */
  get contentType(): string {
    return this.registry.contentType;
  }
}
