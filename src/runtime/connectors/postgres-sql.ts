/**
 * The PostgreSQL sink's table plan and SQL: which columns a sink writes (the
 * JDBC sink's `pk.mode` rules applied to a Sluice source's schema), their
 * PostgreSQL types, values in the form `pg` sends, and the multi-row statements
 * (one `unnest` of column arrays per statement, not a round trip per row).
 * Pure: no I/O.
 */
import { assertNever } from '../../common/assert.js';
import { Decimal } from '../../common/decimal.js';
import type { SqlType } from '../../common/types.js';
import type { DataSource } from '../../planner/data-source.js';
import type { SinkRow } from './builtin-plugin.js';
import type { PgSinkConfig } from './postgres-config.js';

/** Where a written column's value comes from in a {@link SinkRow}. */
export type PgColumnSource =
  | { readonly kind: 'key'; readonly index: number }
  | { readonly kind: 'value'; readonly index: number }
  | { readonly kind: 'topic' }
  | { readonly kind: 'partition' }
  | { readonly kind: 'offset' };

/** One column the sink writes. */
export interface PgColumn {
  /** The name as PostgreSQL stores it (folded to lower case when identifiers are not quoted). */
  readonly pgName: string;
  /** The identifier as written in SQL (quoted or not, per `quote.sql.identifiers`). */
  readonly sql: string;
  /** The PostgreSQL type, e.g. `numeric(10,2)`, `jsonb`. */
  readonly pgType: string;
  /** The Sluice type of the value (kafka coordinates: STRING / INTEGER / BIGINT). */
  readonly type: SqlType;
  readonly from: PgColumnSource;
  readonly pk: boolean;
}

/** The target table and the columns written, primary key columns first. */
export interface TablePlan {
  /** Schema-qualified name as written in SQL. */
  readonly sql: string;
  /** Schema (undefined: the search path's) and table name as PostgreSQL stores them. */
  readonly schema: string | undefined;
  readonly name: string;
  readonly columns: readonly PgColumn[];
  readonly pk: readonly PgColumn[];
}

/** Names, as PostgreSQL stores and prints them, and SQL spelling of an identifier. */
function ident(name: string, quote: boolean): { readonly pgName: string; readonly sql: string } {
  if (quote) return { pgName: name, sql: `"${name.replace(/"/g, '""')}"` };
  return { pgName: name.toLowerCase(), sql: name };
}

/** The PostgreSQL column type for a Sluice type (ARRAY, MAP and STRUCT are stored as jsonb: Sluice-only). */
export function pgTypeOf(t: SqlType): string {
  switch (t.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
      return 'integer';
    case 'BIGINT':
      return 'bigint';
    case 'DOUBLE':
      return 'double precision';
    case 'DECIMAL':
      return `numeric(${t.precision},${t.scale})`;
    case 'STRING':
      return 'text';
    case 'BYTES':
      return 'bytea';
    case 'DATE':
      return 'date';
    case 'TIME':
      return 'time';
    case 'TIMESTAMP':
      return 'timestamp';
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return 'jsonb';
    default:
      return assertNever(t);
  }
}

/** A nested value as JSON (ksqlDB's JSON format: decimals as numbers, bytes as base64, times as numbers). */
function jsonOf(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'DECIMAL':
      return (v as Decimal).toNumber();
    case 'BYTES':
      return (v as Buffer).toString('base64');
    case 'ARRAY':
      return (v as unknown[]).map((x) => jsonOf(x, t.item));
    case 'MAP': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v as Map<unknown, unknown>) out[String(k)] = jsonOf(x, t.value);
      return out;
    }
    case 'STRUCT': {
      const out: Record<string, unknown> = {};
      const o = v as Record<string, unknown>;
      for (const f of t.fields) out[f.name] = jsonOf(o[f.name] ?? null, f.type);
      return out;
    }
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return v;
    default:
      return assertNever(t);
  }
}

const MS_PER_DAY = 86_400_000;

/** A Sluice runtime value (common/types.ts) as the text or bytes `pg` sends for its PostgreSQL type. */
export function pgValueOf(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
    case 'BYTES':
      return v;
    case 'DECIMAL':
      return v instanceof Decimal ? v.toString() : String(v);
    case 'DATE':
      return new Date((v as number) * MS_PER_DAY).toISOString().slice(0, 10);
    case 'TIME':
      return new Date(v as number).toISOString().slice(11, 23);
    case 'TIMESTAMP':
      // `timestamp` (without time zone) holds UTC, as the JDBC sink's default db.timezone=UTC.
      return new Date(v as number).toISOString().slice(0, 23);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return JSON.stringify(jsonOf(v, t));
    default:
      return assertNever(t);
  }
}

/** The raw value of a column in a row (tombstones have no value columns). */
export function columnValue(c: PgColumn, row: SinkRow): unknown {
  switch (c.from.kind) {
    case 'key':
      return row.key[c.from.index] ?? null;
    case 'value':
      return row.value === null ? null : (row.value[c.from.index] ?? null);
    case 'topic':
      return row.topic;
    case 'partition':
      return row.partition;
    case 'offset':
      return row.offset;
    default:
      return assertNever(c.from);
  }
}

/** Splits `schema.table` (no quoting syntax: dots separate). */
function tableName(format: string, topic: string, quote: boolean): Pick<TablePlan, 'sql' | 'schema' | 'name'> {
  const full = format.replace(/\$\{topic\}/g, topic);
  const parts = full.split('.').map((p) => ident(p, quote));
  const name = parts[parts.length - 1] ?? ident(full, quote);
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return { sql: parts.map((p) => p.sql).join('.'), schema: schema?.pgName, name: name.pgName };
}

/**
 * The columns a sink of `source` writes to its table, by the JDBC sink's rules:
 * `record_key` writes the key columns named in `pk.fields` (all when empty; a
 * single key column is renamed to a single `pk.fields` name) as the primary key;
 * `record_value` makes value columns the primary key; `kafka` adds
 * `__connect_topic`, `__connect_partition`, `__connect_offset`; `none` writes no
 * key. Value columns follow (`fields.whitelist` keeps the listed ones).
 * Returns a Connect-worded problem when the config does not fit the schema.
 */
export function planTable(config: PgSinkConfig, source: DataSource, topic: string): TablePlan | { readonly problem: string } {
  const q = config.quoteIdentifiers;
  const col = (name: string, type: SqlType, from: PgColumnSource, pk: boolean): PgColumn => ({ ...ident(name, q), pgType: pgTypeOf(type), type, from, pk });
  const keyCols = source.schema.key;
  // A SinkRow's value holds every value column in schema order, header columns included.
  const valueCols = source.schema.value;
  const pk: PgColumn[] = [];
  switch (config.pkMode) {
    case 'none':
      break;
    case 'kafka': {
      const [t, p, o] = config.pkFields.length === 3 ? config.pkFields : ['__connect_topic', '__connect_partition', '__connect_offset'];
      pk.push(col(t as string, { kind: 'STRING' }, { kind: 'topic' }, true));
      pk.push(col(p as string, { kind: 'INTEGER' }, { kind: 'partition' }, true));
      pk.push(col(o as string, { kind: 'BIGINT' }, { kind: 'offset' }, true));
      break;
    }
    case 'record_key': {
      if (keyCols.length === 0)
        return { problem: `PK mode for table '${topic}' is RECORD_KEY, but record key schema is missing (${source.name} has no key columns)` };
      if (config.pkFields.length === 0)
        keyCols.forEach((c, i) => {
          pk.push(col(c.name, c.type, { kind: 'key', index: i }, true));
        });
      else if (keyCols.length === 1 && config.pkFields.length === 1 && keyCols[0]?.name !== config.pkFields[0]) {
        const only = keyCols[0] as (typeof keyCols)[number];
        pk.push(col(config.pkFields[0] as string, only.type, { kind: 'key', index: 0 }, true));
      } else {
        for (const f of config.pkFields) {
          const i = keyCols.findIndex((c) => c.name === f);
          if (i < 0) return { problem: `PK field '${f}' is not a key column of ${source.name} (key columns: ${keyCols.map((c) => c.name).join(', ')})` };
          pk.push(col(f, (keyCols[i] as (typeof keyCols)[number]).type, { kind: 'key', index: i }, true));
        }
      }
      break;
    }
    case 'record_value': {
      const names = config.pkFields.length === 0 ? valueCols.map((c) => c.name) : config.pkFields;
      for (const f of names) {
        const i = valueCols.findIndex((c) => c.name === f);
        if (i < 0) return { problem: `PK field '${f}' is not a value column of ${source.name} (value columns: ${valueCols.map((c) => c.name).join(', ')})` };
        pk.push(col(f, (valueCols[i] as (typeof valueCols)[number]).type, { kind: 'value', index: i }, true));
      }
      break;
    }
    default:
      return assertNever(config.pkMode);
  }
  if (config.insertMode !== 'insert' && pk.length === 0) {
    return {
      problem: `Write to table '${topic}' in ${config.insertMode.toUpperCase()} mode requires key field names to be known, check the primary key configuration`,
    };
  }
  const included = new Set(config.fieldsIncluded);
  const inPk = new Set(pk.map((c) => c.pgName));
  const rest: PgColumn[] = [];
  for (let i = 0; i < valueCols.length; i++) {
    const c = valueCols[i] as (typeof valueCols)[number];
    if (included.size > 0 && !included.has(c.name)) continue;
    const written = col(c.name, c.type, { kind: 'value', index: i }, false);
    if (!inPk.has(written.pgName)) rest.push(written);
  }
  return { ...tableName(config.tableNameFormat, topic, q), columns: [...pk, ...rest], pk };
}

/** `CREATE TABLE IF NOT EXISTS` with the primary key (auto.create). */
export function createTableSql(plan: TablePlan): string {
  const cols = plan.columns.map((c) => `${c.sql} ${c.pgType}${c.pk ? ' NOT NULL' : ''}`);
  if (plan.pk.length > 0) cols.push(`PRIMARY KEY (${plan.pk.map((c) => c.sql).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${plan.sql} (${cols.join(', ')})`;
}

/** `ALTER TABLE … ADD COLUMN` for columns the table lacks (auto.evolve: nullable, never dropped or retyped). */
export function addColumnsSql(plan: TablePlan, missing: readonly PgColumn[]): string {
  return `ALTER TABLE ${plan.sql} ${missing.map((c) => `ADD COLUMN ${c.sql} ${c.pgType}`).join(', ')}`;
}

/** `unnest($1::t1[], $2::t2[], …) AS v(c0, c1, …)` over `columns`, parameters from `first`. */
function unnestOf(columns: readonly PgColumn[], first: number): string {
  const args = columns.map((c, i) => `$${first + i}::${c.pgType}[]`).join(', ');
  return `unnest(${args}) AS v(${columns.map((_, i) => `c${i}`).join(', ')})`;
}

/** The rows' values of `columns`, one array per column (the statement's parameters). */
export function columnArrays(columns: readonly PgColumn[], rows: readonly SinkRow[]): unknown[][] {
  const out: unknown[][] = columns.map(() => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as SinkRow;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as PgColumn;
      (out[c] as unknown[])[r] = pgValueOf(columnValue(column, row), column.type);
    }
  }
  return out;
}

/** The statement writing rows (parameters: {@link columnArrays} of `plan.columns`). */
export function writeSql(plan: TablePlan, mode: PgSinkConfig['insertMode']): string {
  const names = plan.columns.map((c) => c.sql).join(', ');
  const vs = plan.columns.map((_, i) => `v.c${i}`).join(', ');
  const from = unnestOf(plan.columns, 1);
  const nonPk = plan.columns.map((c, i) => ({ c, i })).filter((x) => !x.c.pk);
  switch (mode) {
    case 'insert':
      return `INSERT INTO ${plan.sql} (${names}) SELECT ${vs} FROM ${from}`;
    case 'upsert': {
      const conflict = `ON CONFLICT (${plan.pk.map((c) => c.sql).join(', ')})`;
      const action = nonPk.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${nonPk.map(({ c }) => `${c.sql} = EXCLUDED.${c.sql}`).join(', ')}`;
      return `INSERT INTO ${plan.sql} AS t (${names}) SELECT ${vs} FROM ${from} ${conflict} ${action}`;
    }
    case 'update': {
      const match = plan.columns.map((c, i) => ({ c, i })).filter((x) => x.c.pk);
      const set = nonPk.length === 0 ? `${match[0]?.c.sql} = v.c0` : nonPk.map(({ c, i }) => `${c.sql} = v.c${i}`).join(', ');
      return `UPDATE ${plan.sql} AS t SET ${set} FROM ${from} WHERE ${match.map(({ c, i }) => `t.${c.sql} = v.c${i}`).join(' AND ')}`;
    }
    default:
      return assertNever(mode);
  }
}

/** The statement deleting rows by primary key (parameters: {@link columnArrays} of `plan.pk`). */
export function deleteSql(plan: TablePlan): string {
  return `DELETE FROM ${plan.sql} AS t USING ${unnestOf(plan.pk, 1)} WHERE ${plan.pk.map((c, i) => `t.${c.sql} = v.c${i}`).join(' AND ')}`;
}

/** Where the sink keeps its positions, in the same transaction as the rows it wrote. */
export const OFFSETS_TABLE = 'sluice_connector_offsets';

export const CREATE_OFFSETS_SQL = `CREATE TABLE IF NOT EXISTS ${OFFSETS_TABLE} (connector text NOT NULL, topic text NOT NULL, "partition" integer NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (connector, topic, "partition"))`;

export const READ_OFFSETS_SQL = `SELECT "partition", next_offset FROM ${OFFSETS_TABLE} WHERE connector = $1 AND topic = $2`;

/** Parameters: connector, topic, partitions int[], next offsets bigint[]. */
export const SAVE_OFFSETS_SQL = `INSERT INTO ${OFFSETS_TABLE} (connector, topic, "partition", next_offset) SELECT $1, $2, p, o FROM unnest($3::integer[], $4::bigint[]) AS v(p, o) ON CONFLICT (connector, topic, "partition") DO UPDATE SET next_offset = EXCLUDED.next_offset`;
