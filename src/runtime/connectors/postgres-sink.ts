/**
 * The built-in PostgreSQL sink: Kafka Connect's JDBC sink connector (class
 * `io.confluent.connect.jdbc.JdbcSinkConnector`, same property names) writing a
 * Sluice stream or table into a PostgreSQL table through the `pg` client.
 *
 * Exactly once: each batch's rows and the positions after it are committed in
 * one PostgreSQL transaction (table `sluice_connector_offsets`), and `open`
 * returns those positions, so a crash at any point neither loses nor repeats a
 * row. A batch is collapsed per primary key first (last write wins, a tombstone
 * becomes a DELETE) and written with one multi-row statement per kind; when
 * PostgreSQL refuses it for a row's sake (SQLSTATE class 22 or 23, e.g. a
 * duplicate key in insert mode), the batch is written again row by row under
 * savepoints to return exactly the refused rows as failures. With
 * `errors.tolerance=none` (the default) the batch ends at its first refused
 * row instead and the saved position points at that row, so the task fails
 * there and a restart meets it again, as Kafka Connect retries the batch.
 */
import { ConnectorError } from './connector.js';
import { ErrorCode, ExecutionError } from '../../common/errors.js';
import type { BuiltinPlugin, SinkContext, SinkFailure, SinkRow, SinkTask } from './builtin-plugin.js';
import { JDBC_SINK_ALIASES, JDBC_SINK_CLASS, type PgSinkConfig, parsePgSinkConfig } from './postgres-config.js';
import {
  CREATE_OFFSETS_SQL,
  READ_OFFSETS_SQL,
  SAVE_OFFSETS_SQL,
  type TablePlan,
  addColumnsSql,
  columnArrays,
  columnValue,
  createTableSql,
  deleteSql,
  pgValueOf,
  planTable,
  writeSql,
} from './postgres-sql.js';

/** The subset of `pg.Client` the sink uses (the module is loaded only when a sink starts). */
interface PgClient {
  connect(): Promise<unknown>;
  query(text: string, values?: readonly unknown[]): Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

/** The built-in JDBC sink plugin (PostgreSQL only). */
export const postgresSinkPlugin: BuiltinPlugin = {
  className: JDBC_SINK_CLASS,
  aliases: JDBC_SINK_ALIASES,
  type: 'sink',
  version: '0.1.0',
  validate(config) {
    const parsed = parsePgSinkConfig(config);
    return 'problems' in parsed ? parsed.problems : [];
  },
  createSink(config, context) {
    const parsed = parsePgSinkConfig(config);
    if ('problems' in parsed) throw new ConnectorError(parsed.problems.join('\n'), ErrorCode.BAD_REQUEST);
    const plan = planTable(parsed.config, context.source, context.source.topic);
    if ('problem' in plan) throw new ConnectorError(plan.problem, ErrorCode.BAD_REQUEST);
    return new PostgresSinkTask(parsed.config, plan, context);
  },
};

/** SQLSTATE classes that blame one row (data exception, integrity constraint violation), not the batch. */
function isRowError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** The position after `rows` per partition. */
function nextPositions(rows: readonly SinkRow[]): Map<number, number> {
  const next = new Map<number, number>();
  for (const r of rows) next.set(r.partition, Math.max(next.get(r.partition) ?? 0, r.offset + 1));
  return next;
}

/** One write in a batch: rows to write or keys to delete. */
interface Op {
  readonly kind: 'write' | 'delete';
  readonly rows: SinkRow[];
}

/** A running PostgreSQL sink task (one `pg` connection, reopened after a connection failure). */
export class PostgresSinkTask implements SinkTask {
  private client: PgClient | undefined;
  private readonly topic: string;
  /** Next offset per partition, as committed in PostgreSQL with the rows. */
  private readonly positions = new Map<number, number>();
  /** A COMMIT failed without an answer: re-read the positions before writing again. */
  private uncertain = false;

  constructor(
    private readonly config: PgSinkConfig,
    private readonly plan: TablePlan,
    private readonly context: SinkContext,
  ) {
    this.topic = context.source.topic;
  }

  async open(_partitions: number): Promise<ReadonlyMap<number, number>> {
    const client = await this.connection();
    await client.query(CREATE_OFFSETS_SQL);
    await this.prepareTable(client);
    await this.loadPositions(client);
    return new Map(this.positions);
  }

  /**
   * Writes the rows after the saved positions (a batch the runner delivers
   * again after a failure may be partly or wholly committed already). Errors
   * that are not a row's fault are retried `max.retries` times on a new
   * connection, `retry.backoff.ms` apart; then the batch fails.
   */
  async put(batch: readonly SinkRow[]): Promise<readonly SinkFailure[]> {
    let rowByRow = false;
    for (let attempt = 0; ; attempt++) {
      let client: PgClient | undefined;
      try {
        client = await this.connection();
        if (this.uncertain) await this.loadPositions(client);
        const rows = batch.filter((r) => r.offset >= (this.positions.get(r.partition) ?? 0));
        if (rows.length === 0) return [];
        const refuse = (r: SinkRow): boolean => r.value === null && !this.config.deleteEnabled;
        // errors.tolerance=none: the batch ends at its first failure, which is where the task resumes (as Connect retries it).
        let stop: SinkFailure | undefined;
        let considered: readonly SinkRow[] = rows;
        const refused: SinkFailure[] = [];
        if (this.config.stopAtFirstFailure) {
          const i = rows.findIndex(refuse);
          if (i >= 0) {
            stop = this.refusal(rows[i] as SinkRow);
            considered = rows.slice(0, i);
          }
        } else for (const r of rows) if (refuse(r)) refused.push(this.refusal(r));
        const writable = considered.filter((r) => !refuse(r));
        await client.query('BEGIN');
        let failures = rowByRow ? await this.writeRows(client, writable) : await this.writeBatch(client, writable);
        let covered = considered;
        if (this.config.stopAtFirstFailure && failures.length > 0) {
          stop = failures[0] as SinkFailure;
          covered = considered.slice(0, considered.indexOf(stop.row));
          failures = [];
        }
        const next = nextPositions(covered);
        if (stop) next.set(stop.row.partition, stop.row.offset);
        await client.query(SAVE_OFFSETS_SQL, [this.context.connector, this.topic, [...next.keys()], [...next.values()]]);
        // From here until COMMIT answers, whether the batch committed is unknown.
        this.uncertain = true;
        await client.query('COMMIT');
        this.uncertain = false;
        for (const [p, o] of next) this.positions.set(p, o);
        return stop ? [...refused, ...failures, stop] : [...refused, ...failures];
      } catch (e) {
        await client?.query('ROLLBACK').catch(() => undefined);
        if (!rowByRow && isRowError(e)) {
          rowByRow = true;
          attempt--;
          continue;
        }
        if (attempt >= this.config.maxRetries) {
          throw new ExecutionError(`PostgreSQL sink ${this.context.connector} could not write to ${this.plan.sql}: ${(e as Error).message}`);
        }
        await this.reset();
        await new Promise((resolve) => setTimeout(resolve, this.config.retryBackoffMs));
      }
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  /** Connects (lazily loading `pg`) unless a healthy connection is open. */
  private async connection(): Promise<PgClient> {
    if (this.client) return this.client;
    const { default: pg } = await import('pg');
    const c = this.config.connection;
    const client: PgClient = new pg.Client({
      host: c.host,
      port: c.port,
      database: c.database,
      ...(c.user === undefined ? {} : { user: c.user }),
      ...(c.password === undefined ? {} : { password: c.password }),
      application_name: `sluice connector ${this.context.connector}`.slice(0, 63),
    });
    // A connection the server drops emits 'error' outside a query: forget it, the next query reconnects.
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw new ExecutionError(`PostgreSQL sink ${this.context.connector} could not connect to ${c.host}:${c.port}/${c.database}: ${(e as Error).message}`);
    }
    this.client = client;
    return client;
  }

  private async reset(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  /** Creates the table (auto.create) or adds missing columns (auto.evolve), else refuses a table that does not fit. */
  private async prepareTable(client: PgClient): Promise<void> {
    const plan = this.plan;
    const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [plan.sql]);
    if (found.rows[0]?.present !== true) {
      if (!this.config.autoCreate) throw new ExecutionError(`Table ${plan.sql} is missing and auto-creation is disabled`);
      await client.query(createTableSql(plan));
      return;
    }
    const { rows } = await client.query('SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped', [plan.sql]);
    const have = new Set(rows.map((r) => String(r.attname)));
    const missing = plan.columns.filter((c) => !have.has(c.pgName));
    if (missing.length === 0) return;
    if (!this.config.autoEvolve || missing.some((c) => c.pk)) {
      throw new ExecutionError(`Table ${plan.sql} is missing fields (${missing.map((c) => c.pgName).join(', ')}) and auto-evolution is disabled`);
    }
    await client.query(addColumnsSql(plan, missing));
  }

  /** The whole batch, collapsed per key, a few multi-row statements. */
  private async writeBatch(client: PgClient, rows: readonly SinkRow[]): Promise<SinkFailure[]> {
    for (const op of this.ops(rows)) {
      for (let i = 0; i < op.rows.length; i += this.config.batchSize) {
        await this.run(client, op.kind, op.rows.slice(i, i + this.config.batchSize));
      }
    }
    return [];
  }

  /** Row by row under savepoints: the rows PostgreSQL refuses become failures, the rest commit. */
  private async writeRows(client: PgClient, rows: readonly SinkRow[]): Promise<SinkFailure[]> {
    const failures: SinkFailure[] = [];
    for (const row of rows) {
      if (failures.length > 0 && this.config.stopAtFirstFailure) break;
      await client.query('SAVEPOINT sluice_row');
      try {
        await this.run(client, row.value === null ? 'delete' : 'write', [row]);
        await client.query('RELEASE SAVEPOINT sluice_row');
      } catch (e) {
        if (!isRowError(e)) throw e;
        await client.query('ROLLBACK TO SAVEPOINT sluice_row');
        failures.push({ row, error: e as Error });
      }
    }
    return failures;
  }

  private async run(client: PgClient, kind: Op['kind'], rows: readonly SinkRow[]): Promise<void> {
    if (kind === 'delete') await client.query(deleteSql(this.plan), columnArrays(this.plan.pk, rows));
    else await client.query(writeSql(this.plan, this.config.insertMode), columnArrays(this.plan.columns, rows));
  }

  /**
   * The statements a batch needs, in order. Upsert and update: one row per key
   * (the last), deletes then writes (their keys are disjoint). Insert: runs of
   * writes and deletes in record order, nothing collapsed (a repeated key is a
   * duplicate the table refuses, as the JDBC sink's insert mode does).
   */
  private ops(rows: readonly SinkRow[]): Op[] {
    if (this.config.insertMode === 'insert') {
      const ops: Op[] = [];
      for (const row of rows) {
        const kind = row.value === null ? 'delete' : 'write';
        const last = ops[ops.length - 1];
        if (last?.kind === kind) last.rows.push(row);
        else ops.push({ kind, rows: [row] });
      }
      return ops;
    }
    const latest = new Map<string, SinkRow>();
    for (const row of rows) {
      const key = this.keyOf(row);
      latest.delete(key);
      latest.set(key, row);
    }
    const deletes: SinkRow[] = [];
    const writes: SinkRow[] = [];
    for (const row of latest.values()) (row.value === null ? deletes : writes).push(row);
    return [
      { kind: 'delete', rows: deletes },
      { kind: 'write', rows: writes },
    ].filter((op): op is Op => op.rows.length > 0);
  }

  /** A row's primary key as one string (the values as sent to PostgreSQL). */
  private keyOf(row: SinkRow): string {
    let key = '';
    for (const c of this.plan.pk) {
      const v = pgValueOf(columnValue(c, row), c.type);
      key += v === null ? '\u0000n' : Buffer.isBuffer(v) ? `\u0000b${v.toString('hex')}` : `\u0000v${String(v)}`;
    }
    return key;
  }

  /** The saved positions, as PostgreSQL holds them (re-read when a COMMIT's outcome is unknown). */
  private async loadPositions(client: PgClient): Promise<void> {
    const { rows } = await client.query(READ_OFFSETS_SQL, [this.context.connector, this.topic]);
    this.positions.clear();
    for (const r of rows) this.positions.set(Number(r.partition), Number(r.next_offset));
    this.uncertain = false;
  }

  private refusal(row: SinkRow): SinkFailure {
    const message =
      `Sink connector '${this.context.connector}' is configured with 'delete.enabled=false' and 'pk.mode=${this.config.pkMode}' and therefore requires ` +
      `records with a non-null value, but found record at (topic='${row.topic}',partition=${row.partition},offset=${row.offset},timestamp=${row.timestamp}) with a null value`;
    return { row, error: new ExecutionError(message) };
  }
}
