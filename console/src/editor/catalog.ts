/**
 * What the editor completes besides keywords: the server's streams and tables
 * with their columns, and its functions. Built from `/ksql` responses by pure
 * functions (no DOM, no fetching), so completion can be tested in Node.
 */

/** One column of a source, named as the server spells it (unquoted names upper-case). */
export interface CatalogColumn {
  readonly name: string;
  /** The SQL type's name (`STRING`, `BIGINT`, `STRUCT`…). */
  readonly type: string;
  /** A key column (`KEY` / `PRIMARY KEY`). */
  readonly key: boolean;
}

/** A stream or table and its columns, key columns first as the server lists them. */
export interface CatalogSource {
  readonly name: string;
  readonly kind: 'stream' | 'table';
  readonly columns: readonly CatalogColumn[];
}

/** A function of SHOW FUNCTIONS. */
export interface CatalogFunction {
  readonly name: string;
  /** `SCALAR`, `AGGREGATE` or `TABLE`. */
  readonly type: string;
  /** `MATHEMATICAL`, `STRING`, … (may be empty). */
  readonly category: string;
}

/** Everything completion knows of the server; replaced as a whole when refreshed. */
export interface Catalog {
  readonly sources: readonly CatalogSource[];
  readonly functions: readonly CatalogFunction[];
}

/** The catalog before the server answered. */
export const EMPTY_CATALOG: Catalog = { sources: [], functions: [] };

/** A `/ksql` entity as far as the catalog reads it. */
export type CatalogEntity = Readonly<Record<string, unknown>>;

/** The statements whose answers {@link sourcesOf} reads (one `/ksql` request). */
export const SOURCES_SQL = 'SHOW STREAMS EXTENDED; SHOW TABLES EXTENDED;';

/** The statement whose answer {@link functionsOf} reads. */
export const FUNCTIONS_SQL = 'SHOW FUNCTIONS;';

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function columnsOf(description: Readonly<Record<string, unknown>>): CatalogColumn[] {
  const out: CatalogColumn[] = [];
  const fields = description['fields'];
  if (!Array.isArray(fields)) return out;
  for (const f of fields) {
    if (!isRecord(f) || typeof f['name'] !== 'string') continue;
    const schema = f['schema'];
    const type = isRecord(schema) && typeof schema['type'] === 'string' ? schema['type'] : '';
    out.push({ name: f['name'], type, key: f['type'] === 'KEY' });
  }
  return out;
}

/**
 * The streams and tables described by `source_descriptions` entities (SHOW
 * STREAMS/TABLES EXTENDED) or `sourceDescription` ones (DESCRIBE), sorted by name.
 */
export function sourcesOf(entities: readonly CatalogEntity[]): CatalogSource[] {
  const out: CatalogSource[] = [];
  const add = (d: unknown) => {
    if (!isRecord(d) || typeof d['name'] !== 'string') return;
    const kind = String(d['type']).toUpperCase() === 'TABLE' ? 'table' : 'stream';
    out.push({ name: d['name'], kind, columns: columnsOf(d) });
  };
  for (const e of entities) {
    const many = e['sourceDescriptions'];
    if (Array.isArray(many)) for (const d of many) add(d);
    if (e['sourceDescription'] !== undefined) add(e['sourceDescription']);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The functions of a `function_names` entity (SHOW FUNCTIONS). */
export function functionsOf(entities: readonly CatalogEntity[]): CatalogFunction[] {
  const out: CatalogFunction[] = [];
  for (const e of entities) {
    const list = e['functions'];
    if (!Array.isArray(list)) continue;
    for (const f of list) {
      if (!isRecord(f) || typeof f['name'] !== 'string') continue;
      out.push({ name: f['name'], type: String(f['type'] ?? ''), category: String(f['category'] ?? '') });
    }
  }
  return out;
}

/**
 * The source a name in SQL text refers to: an unquoted name matches
 * regardless of case (the server upper-cases it), a quoted one exactly.
 */
export function findSource(catalog: Catalog, name: string, quoted: boolean): CatalogSource | undefined {
  const wanted = quoted ? name : name.toUpperCase();
  return catalog.sources.find((s) => s.name === wanted);
}
