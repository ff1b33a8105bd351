import { PlanError } from '../../common/errors.js';
import { T } from '../../common/types.js';
import type { Expression, Print, QueryStatement } from '../../parser/ast/index.js';
import type { DataSource } from '../../planner/data-source.js';
import type { MaterializedTable } from '../operators/materialized-table.js';
import { serdeFor } from '../../serde/serde-for.js';
import { STRICT_NUMBERS_PROPERTY } from '../../serde/serde-types.js';
import type { Catalog } from '../../planner/catalog.js';
import { toPhysical } from '../../planner/physical-plan.js';
import { planQuery } from '../../planner/query-planner.js';
import { PSEUDO } from '../../planner/schema.js';
import { validatePullQuery, validatePullSource } from '../../planner/pull-validation.js';
import type { Log } from '../log/log.js';
import type { ProcessingLogger } from '../../common/processing-log.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import { MemoryStore } from '../state/store.js';
import type { TransientQuery } from './transient-query.js';
import { RunningQuery, type QueryState } from './running-query.js';
import { maxTaskIdleMs } from './task-inputs.js';
import { cacheMaxBytes } from '../operators/record-cache.js';
import { buildTopology } from './topology.js';
import { FORWARDED_PROPERTY, PARTITIONS_PROPERTY, forwardPull } from './pull-forwarding.js';
import type { PullRouting } from './pull-routing.js';
import { PullCollector, PushTerminal, TransientHandle, tableScanOrder } from './row-queue.js';
import { PrintFormatter } from './print-format.js';
import { fillView } from './view-rebuild.js';
import { SCALABLE_PUSH_QUERY_PREFIX, isScalablePush, tapOutput } from './scalable-push.js';

/** Something the engine's pump can advance: a running query or a PRINT. */
export interface Steppable {
  readonly id: string;
  state: QueryState;
  error: string | undefined;
  step(log: Log): Promise<boolean>;
}

/** What starting a transient query needs from the engine. */
export interface TransientContext {
  readonly catalog: Catalog;
  readonly log: Log;
  readonly logger: ProcessingLogger;
  readonly registry: SchemaRegistry;
  /** Materialized views of tables written by persistent queries. */
  readonly views: ReadonlyMap<string, MaterializedTable>;
  readonly properties: Readonly<Record<string, string>>;
  /**
   * Kafka mode: where pull queries on tables run (a key on its owner, a scan on
   * every server for its partitions); undefined = every row is answered here.
   */
  readonly pull?: PullRouting;
  /**
   * The running persistent queries writing the source named `name` (ksqlDB's
   * getQueriesWithSink): a scalable push query needs exactly one, whose output
   * it taps (embedded mode; in Kafka mode, where this server writes only some
   * partitions of that output, it reads the topic from its end instead).
   */
  writersOf?(name: string): readonly RunningQuery[];
  /** Adds a push query to the engine's pump until its handle closes. */
  register(query: Steppable, handle: TransientHandle): void;
  unregister(id: string): void;
  /** Asks for the queries to be stepped again soon. */
  wake(): void;
}

/**
 * Records a push query reads per partition and step: small enough that one step
 * queues far less than a client's buffer bound (see RowQueue), so backpressure
 * pauses the query before the bound closes it.
 */
const PUSH_BATCH = 256;

/** A 12-hex-digit id for a transient query (unique enough within a server; no crypto needed). */
function shortId(): string {
  const hi = (Math.random() * 0x1000000) >>> 0;
  const lo = (Math.random() * 0x1000000) >>> 0;
  return hi.toString(16).padStart(6, '0') + lo.toString(16).padStart(6, '0');
}

/**
 * Starts a SELECT: with EMIT it is a push query registered with the engine; without,
 * a pull query that reads each source to its current end, then finishes (tables
 * give their latest row per key, streams every row).
 */
export async function startSelect(ctx: TransientContext, stmt: QueryStatement): Promise<TransientQuery> {
  const q = stmt.query;
  const isPush = q.emit !== undefined;
  if (!isPush) validatePullQuery(q, q.from.kind === 'AliasedSource' ? ctx.catalog.getSource(q.from.name) : undefined);
  const planned = planQuery(q, { catalog: ctx.catalog, persistent: false, properties: ctx.properties });
  const first = planned.sources[0]!;
  if (!isPush) validatePullSource(first, q.where, ctx.properties);
  const writers = isPush && q.from.kind === 'AliasedSource' ? (ctx.writersOf?.(first.name) ?? []) : [];
  const scalable = isPush && isScalablePush(q, writers.length, ctx.properties);
  const id = scalable ? `${SCALABLE_PUSH_QUERY_PREFIX}${shortId()}` : isPush ? `transient_${first.name}_${shortId()}` : `query_${Date.now()}_${shortId()}`;
  const columns = planned.output.value.map((c) => ({ name: c.name, type: c.type }));
  const keyColumns = isPush || first.sourceType !== 'TABLE' ? [] : resultKeyColumns(first, columns);
  // Kafka mode: a pull query by key runs on the key's owner; a scan on every server, each answering its partitions.
  let only: ReadonlySet<number> | undefined;
  let remote: Promise<TransientQuery>[] = [];
  if (!isPush && ctx.pull && planned.sources.length === 1 && !first.window) {
    const asked = ctx.properties[PARTITIONS_PROPERTY];
    if (asked !== undefined) only = new Set(JSON.parse(asked) as number[]);
    else if (ctx.properties[FORWARDED_PROPERTY] === undefined) {
      const keyed = keyLookup(q.where, first);
      if (keyed?.length === 1) {
        const owner = await ctx.pull.route(first, keyed[0]);
        if (owner !== undefined) return forwardPull(owner, stmt.text, ctx.properties, id, columns, keyColumns);
      } else if (keyed === undefined) {
        const plan = await ctx.pull.scatter(first);
        if (plan) {
          only = plan.local;
          remote = plan.remotes.map((r) =>
            forwardPull(r.url, stmt.text, { ...ctx.properties, [PARTITIONS_PROPERTY]: JSON.stringify(r.partitions) }, id, columns, keyColumns),
          );
        }
      }
    }
  }
  let detach: (() => void) | undefined;
  const handle = new TransientHandle(id, isPush ? 'push' : 'pull', columns, keyColumns, () => {
    ctx.unregister(id);
    detach?.();
  });
  if (isPush && q.limit === 0) {
    // LIMIT 0: the header, then at once the end (no row is read).
    handle.close();
    return handle;
  }
  const physical = toPhysical(planned.plan);
  let keyOrder: ((key: readonly unknown[]) => Buffer) | undefined;
  // One key of an unwindowed table is at most one row: nothing to order.
  const oneRow = !first.window && keyLookup(q.where, first)?.length === 1;
  if (planned.isTable && !isPush && !oneRow) {
    const keySerde = serdeFor(first.keyFormat, first.schema.key, true, ctx.registry);
    keyOrder = tableScanOrder((key) => keySerde.serialize(key), (await ctx.log.topic(first.topic))?.partitions ?? 1);
  }
  const collector = new PullCollector(planned.isTable, keyOrder);
  const terminal = isPush ? new PushTerminal(handle, q.limit, scalable && first.schema.key.length > 0) : collector;
  const topology = buildTopology(
    physical,
    {
      queryId: id,
      log: ctx.logger,
      sinkPartitions: 1,
      registry: ctx.registry,
      strictNumbers: ctx.properties[STRICT_NUMBERS_PROPERTY] === 'true',
      cacheMaxBytes: cacheMaxBytes(ctx.properties),
      store: () => new MemoryStore(),
    },
    terminal,
  );
  // Served from a materialized view, a pull query runs no RunningQuery: made only when one is stepped.
  const runningQuery = () =>
    new RunningQuery({
      id,
      statementText: stmt.text,
      logical: planned.plan,
      physical,
      sources: planned.sources,
      topology,
      maxTaskIdleMs: maxTaskIdleMs(ctx.properties),
      wake: ctx.wake,
      ...(isPush ? { batchSize: PUSH_BATCH } : {}),
    });
  const taps = scalable && !ctx.pull ? writers[0]!.taps : undefined;
  if (taps) {
    // A scalable push query reads its upstream query's output as it is written: nothing to step.
    detach = tapOutput(taps, first, topology.sources[0]!, handle, stmt.text);
    ctx.register({ id, state: 'RUNNING', error: undefined, step: async () => false }, handle);
    return handle;
  }
  if (isPush) {
    const reset = (ctx.properties['auto.offset.reset'] ?? ctx.properties['ksql.streams.auto.offset.reset'] ?? 'latest').toLowerCase();
    const running = runningQuery();
    await running.init(ctx.log, reset === 'earliest');
    ctx.register(running, handle);
    return handle;
  }
  const view = planned.sources.length === 1 ? ctx.views.get(first.name) : undefined;
  if (view && !view.complete) await fillView(ctx, first, view);
  if (view?.complete) {
    // Served from the table's materialized view: one key when the WHERE names it, else every row.
    const source = topology.sources[0]!;
    const keyed = keyLookup(q.where, first);
    if (keyed !== undefined && !first.window) {
      for (const k of keyed) {
        const r = view.get([k]);
        if (r) source.injectRow(r.key, r.value, r.window, r.ts);
      }
    } else {
      const partitionOf = only && ctx.pull?.partitionOf;
      for (const r of view.values()) {
        if (partitionOf) {
          const p = partitionOf(first, r.key);
          if (p !== undefined && !only!.has(p)) continue; // another server answers that partition
        }
        source.injectRow(r.key, r.value, r.window, r.ts);
      }
    }
  } else {
    const running = runningQuery();
    await running.init(ctx.log, true);
    while (await running.step(ctx.log)) {
      // read every source to its current end
    }
  }
  const rows: (readonly unknown[])[] = [...collector.rows()];
  // The other servers' partitions of a scan.
  for (const r of await Promise.all(remote)) {
    for await (const row of r.rows) rows.push(row);
    if (r.error !== undefined) {
      handle.fail(r.error);
      return handle;
    }
  }
  const n = q.limit === undefined ? rows.length : Math.min(q.limit, rows.length);
  for (let i = 0; i < n; i++) handle.queue.push(rows[i]!);
  if (first.sourceType === 'STREAM') {
    // ksqlDB: a stream's pull query ends "Query Completed", or "Limit Reached" when its LIMIT was hit.
    handle.finalMessage = q.limit === undefined ? 'Query Completed' : rows.length >= q.limit ? 'Limit Reached' : undefined;
  }
  handle.close();
  return handle;
}

/**
 * The key columns of a pull query's result on a table, as ksqlDB's header marks
 * them: the table's key columns and, when windowed, WINDOWSTART and WINDOWEND,
 * where the projection has them.
 */
function resultKeyColumns(table: DataSource, columns: readonly { readonly name: string }[]): string[] {
  const keys = table.schema.key.map((c) => c.name);
  if (table.window) keys.push(PSEUDO.WINDOWSTART, PSEUDO.WINDOWEND);
  return keys.filter((n) => columns.some((c) => c.name === n));
}

/**
 * The key values a pull query's WHERE pins its single key column to
 * (`k = literal` or `k IN (literals)`), or undefined when it does not.
 */
function keyLookup(where: Expression | undefined, source: DataSource): unknown[] | undefined {
  if (!where || source.schema.key.length !== 1) return undefined;
  const keyCol = source.schema.key[0]!;
  const isKey = (e: Expression) => e.kind === 'ColumnRef' && e.name === keyCol.name;
  const literal = (e: Expression): unknown => {
    if (e.kind !== 'Literal' || e.value === null) return undefined;
    const numeric = ['INTEGER', 'BIGINT', 'DOUBLE'].includes(keyCol.type.kind);
    if (numeric && typeof e.value === 'number') return e.value;
    if (keyCol.type.kind === 'STRING' && e.literalType === 'STRING') return e.value;
    return undefined;
  };
  if (where.kind === 'Comparison' && where.op === '=') {
    const v = isKey(where.left) ? literal(where.right) : isKey(where.right) ? literal(where.left) : undefined;
    return v === undefined ? undefined : [v];
  }
  if (where.kind === 'InList' && !where.negated && isKey(where.operand)) {
    const vs = where.list.map(literal);
    return vs.every((v) => v !== undefined) ? vs : undefined;
  }
  return undefined;
}

/**
 * PRINT topic: `Key format:` / `Value format:` lines (print-format.ts), then each
 * record as one line of text, as ksqlDB prints them
 * (`rowtime: …, key: …, value: …, partition: n`), from the end of the topic or
 * FROM BEGINNING, every INTERVAL-th record, until LIMIT.
 */
export async function startPrint(ctx: TransientContext, stmt: Print): Promise<TransientQuery> {
  const info = (await ctx.log.topic(stmt.topic)) ?? (await ctx.log.topic(stmt.topic.toUpperCase()));
  if (!info)
    throw new PlanError(
      `Could not find topic '${stmt.topic}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.`,
      stmt.pos,
    );
  const id = `print_${info.name}_${shortId()}`;
  const handle = new TransientHandle(id, 'print', [{ name: 'ROW', type: T.STRING }], [], () => ctx.unregister(id));
  const positions: number[] = [];
  for (let p = 0; p < info.partitions; p++) positions.push(stmt.fromBeginning ? 0 : await ctx.log.endOffset(info.name, p));
  const interval = Math.max(1, stmt.interval ?? 1);
  let seen = 0;
  let printed = 0;
  const formatter = new PrintFormatter(ctx.registry);
  const printer: Steppable = {
    id,
    state: 'RUNNING',
    error: undefined,
    async step(log: Log): Promise<boolean> {
      if (handle.isClosed) return false;
      let progressed = false;
      for (let p = 0; p < positions.length; p++) {
        const records = await log.read(info.name, p, positions[p]!, 1000);
        if (records.length === 0) continue;
        progressed = true;
        positions[p] = records[records.length - 1]!.offset + 1;
        // As ksqlDB: every record of the batch narrows the formats; the header
        // lines that changed come before the batch's records.
        const lines = formatter.format(records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, partition: p })));
        const out: string[] = [];
        let done = false;
        for (const text of lines) {
          if (seen++ % interval !== 0) continue;
          out.push(text);
          if (stmt.limit !== undefined && ++printed >= stmt.limit) {
            done = true;
            break;
          }
        }
        for (const h of formatter.headerUpdates()) handle.queue.push([h]);
        for (const text of out) handle.queue.push([text]);
        if (done) {
          handle.close();
          return progressed;
        }
      }
      return progressed;
    },
  };
  ctx.register(printer, handle);
  return handle;
}
