/**
 * The PostgreSQL sink's configuration: the Confluent JDBC sink connector's
 * property names, defaults and Connect-worded validation messages, so a
 * `CREATE SINK CONNECTOR` written for Kafka Connect's JDBC sink runs unchanged
 * on Sluice's built-in one. Pure: no I/O.
 */

/** JDBC sink `insert.mode`. */
export type InsertMode = 'insert' | 'upsert' | 'update';
/** JDBC sink `pk.mode`. */
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';

/** Where and as whom to connect (the `pg` client's fields). */
export interface PgConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user?: string;
  readonly password?: string;
}

/** A validated PostgreSQL sink configuration. */
export interface PgSinkConfig {
  readonly connection: PgConnection;
  readonly topics: readonly string[];
  /** `table.name.format`, `${topic}` replaced by the topic. */
  readonly tableNameFormat: string;
  readonly insertMode: InsertMode;
  readonly pkMode: PkMode;
  readonly pkFields: readonly string[];
  /** `fields.whitelist` / `fields.included`: value columns written (empty: all). */
  readonly fieldsIncluded: readonly string[];
  readonly deleteEnabled: boolean;
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
  readonly batchSize: number;
  /** `quote.sql.identifiers`: `always` quotes (case kept), `never` leaves identifiers to PostgreSQL's folding. */
  readonly quoteIdentifiers: boolean;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
  /**
   * Connect's `errors.tolerance=none` (the default): a batch ends at its first
   * refused row, and the position saved with the rows points at it, so a
   * restart tries it again; `all` writes the others and moves on.
   */
  readonly stopAtFirstFailure: boolean;
}

/** The JDBC sink's class and the short names Connect also accepts. */
export const JDBC_SINK_CLASS = 'io.confluent.connect.jdbc.JdbcSinkConnector';
export const JDBC_SINK_ALIASES: readonly string[] = ['JdbcSinkConnector', 'JdbcSink'];

const DEFAULT_PG_PORT = 5432;

/** Connect's `ConfigException(name, value, message)` wording. */
function invalid(name: string, value: string, why: string): string {
  return `Invalid value ${value} for configuration ${name}: ${why}`;
}

function missing(name: string): string {
  return `Missing required configuration "${name}" which has no default value.`;
}

/** Reads Connect-typed values, collecting Connect-worded problems instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly config: Readonly<Record<string, string>>) {}

  raw(name: string): string | undefined {
    const v = this.config[name];
    return v === undefined ? undefined : v.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** The JDBC sink's EnumValidator: the lower- or upper-case spelling of a value. */
  choice<T extends string>(name: string, fallback: T, values: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const found = values.find((x) => x === v || x.toUpperCase() === v);
    if (found === undefined) this.problems.push(invalid(name, v, 'Invalid enumerator'));
    return found ?? fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    this.problems.push(invalid(name, v, 'Expected value to be either true or false'));
    return fallback;
  }

  /** An INT at least `min`. */
  int(name: string, fallback: number, min: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^[+-]?\d+$/.test(v) || Math.abs(Number(v)) > 2 ** 31 - 1) {
      this.problems.push(invalid(name, v, 'Not a number of type INT'));
      return fallback;
    }
    const n = Number(v);
    if (n < min) {
      this.problems.push(invalid(name, v, `Value must be at least ${min}`));
      return fallback;
    }
    return n;
  }

  /** A Connect LIST: comma-separated, items trimmed, empty items dropped. */
  list(name: string): string[] {
    const v = this.raw(name);
    if (v === undefined || v === '') return [];
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
}

/**
 * Parses `connection.url`: `jdbc:postgresql://host[:port]/database[?user=…&password=…]`
 * (the JDBC sink's form) or a libpq URL `postgres[ql]://[user[:password]@]host[:port]/database`.
 * Returns a reason instead when the URL is neither.
 */
export function parseConnectionUrl(url: string): PgConnection | { readonly problem: string } {
  const jdbc = /^jdbc:postgresql:\/\//i.test(url);
  const libpq = /^postgres(ql)?:\/\//i.test(url);
  if (!jdbc && !libpq) return { problem: 'expected jdbc:postgresql://host:port/database or postgres://user@host:port/database' };
  let parsed: URL;
  try {
    parsed = new URL(jdbc ? url.slice('jdbc:'.length) : url);
  } catch {
    return { problem: 'not a valid URL' };
  }
  if (parsed.hostname === '') return { problem: 'no host' };
  const port = parsed.port === '' ? DEFAULT_PG_PORT : Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = parsed.searchParams.get('user') ?? (parsed.username === '' ? undefined : decodeURIComponent(parsed.username));
  const password = parsed.searchParams.get('password') ?? (parsed.password === '' ? undefined : decodeURIComponent(parsed.password));
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    database: database === '' ? (user ?? 'postgres') : database,
    ...(user === undefined ? {} : { user }),
    ...(password === undefined ? {} : { password }),
  };
}

/**
 * Validates a JDBC sink config. Returns the parsed config, or the Connect-worded
 * problems (every one found, as Connect's validate endpoint lists them).
 */
export function parsePgSinkConfig(config: Readonly<Record<string, string>>): { readonly config: PgSinkConfig } | { readonly problems: readonly string[] } {
  const r = new Reader(config);
  const url = r.raw('connection.url');
  let connection: PgConnection | undefined;
  if (url === undefined) r.problems.push(missing('connection.url'));
  else {
    const c = parseConnectionUrl(url);
    if ('problem' in c) r.problems.push(invalid('connection.url', url, c.problem));
    else {
      const user = r.raw('connection.user');
      const password = config['connection.password'];
      connection = {
        ...c,
        ...(user === undefined || user === '' ? {} : { user }),
        ...(password === undefined || password === '' ? {} : { password }),
      };
    }
  }
  const topics = r.list('topics');
  if (topics.length === 0 && r.raw('topics.regex') === undefined) r.problems.push(missing('topics'));
  else if (r.raw('topics.regex') !== undefined)
    r.problems.push(invalid('topics.regex', r.raw('topics.regex') ?? '', 'the built-in PostgreSQL sink reads the topics listed in topics'));
  const dialect = r.raw('dialect.name');
  if (dialect !== undefined && dialect !== '' && dialect !== 'PostgreSqlDatabaseDialect') {
    r.problems.push(invalid('dialect.name', dialect, 'the built-in JDBC sink writes to PostgreSQL only (PostgreSqlDatabaseDialect)'));
  }
  const tableNameFormat = r.string('table.name.format', '${topic}');
  if (tableNameFormat === '') r.problems.push(invalid('table.name.format', '', 'String must be non-empty'));
  const insertMode = r.choice<InsertMode>('insert.mode', 'insert', ['insert', 'upsert', 'update']);
  const pkMode = r.choice<PkMode>('pk.mode', 'none', ['none', 'kafka', 'record_key', 'record_value']);
  const pkFields = r.list('pk.fields');
  const fieldsIncluded = [...r.list('fields.whitelist'), ...r.list('fields.included')];
  const deleteEnabled = r.boolean('delete.enabled', false);
  const autoCreate = r.boolean('auto.create', false);
  const autoEvolve = r.boolean('auto.evolve', false);
  const batchSize = r.int('batch.size', 3000, 0);
  const quote = r.choice<'always' | 'never'>('quote.sql.identifiers', 'always', ['always', 'never']);
  const maxRetries = r.int('max.retries', 10, 0);
  const retryBackoffMs = r.int('retry.backoff.ms', 3000, 0);
  r.int('connection.attempts', 3, 1);
  if (deleteEnabled && pkMode !== 'record_key') r.problems.push("Primary key mode must be 'record_key' when delete support is enabled");
  if (pkMode === 'kafka' && pkFields.length !== 0 && pkFields.length !== 3) {
    r.problems.push(invalid('pk.fields', pkFields.join(','), 'PK mode kafka needs exactly 3 field names (topic, partition, offset) or none'));
  }
  if (r.problems.length > 0 || connection === undefined) return { problems: r.problems };
  return {
    config: {
      connection,
      topics,
      tableNameFormat,
      insertMode,
      pkMode,
      pkFields,
      fieldsIncluded,
      deleteEnabled,
      autoCreate,
      autoEvolve,
      batchSize: batchSize === 0 ? 3000 : batchSize,
      quoteIdentifiers: quote === 'always',
      maxRetries,
      retryBackoffMs,
      // errors.tolerance is validated with the other errors.* properties by the runner (error-handling.ts).
      stopAtFirstFailure: (config['errors.tolerance'] ?? 'none').trim().toLowerCase() !== 'all',
    },
  };
}
