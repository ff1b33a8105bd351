import type { AggregateFunction, ScalarFunction, TableFunction } from './define/function-types.js';
import { AGGREGATE_FUNCTIONS } from './aggregate/index.js';
import { SCALAR_FUNCTIONS } from './scalar/index.js';
import { TABLE_FUNCTIONS } from './table/index.js';
import { TESTING_SCALAR_FUNCTIONS, TESTING_TABLE_FUNCTIONS } from './testing/index.js';

/** One row of SHOW FUNCTIONS / DESCRIBE FUNCTION. */
export interface FunctionInfo {
  readonly name: string;
  readonly type: 'scalar' | 'aggregate' | 'table';
  readonly category: string;
  readonly description: string;
  readonly signatures: readonly string[];
}

function byName<F extends { readonly name: string }>(fns: readonly F[]): ReadonlyMap<string, F> {
  const m = new Map<string, F>();
  for (const f of fns) {
    const key = f.name.toUpperCase();
    if (m.has(key)) throw new Error(`duplicate function ${key}`);
    m.set(key, f);
  }
  return m;
}

const scalars = byName([...SCALAR_FUNCTIONS, ...TESTING_SCALAR_FUNCTIONS]);
const aggregates = byName(AGGREGATE_FUNCTIONS);
const tables = byName([...TABLE_FUNCTIONS, ...TESTING_TABLE_FUNCTIONS]);
/** ksqlDB's test-only functions: callable, but not listed. */
const hidden = new Set([...TESTING_SCALAR_FUNCTIONS, ...TESTING_TABLE_FUNCTIONS].map((f) => f.name.toUpperCase()));

/**
 * Adds a user-defined function (from an extensions directory). Built-in names
 * cannot be replaced; returns an error message instead of registering.
 */
export function registerFunction(
  f: { kind: 'scalar'; fn: ScalarFunction } | { kind: 'aggregate'; fn: AggregateFunction } | { kind: 'table'; fn: TableFunction },
): string | undefined {
  const name = f.fn.name.toUpperCase();
  if (isFunctionName(name)) return `a function named ${name} already exists`;
  if (f.kind === 'scalar') (scalars as Map<string, ScalarFunction>).set(name, f.fn);
  else if (f.kind === 'aggregate') (aggregates as Map<string, AggregateFunction>).set(name, f.fn);
  else (tables as Map<string, TableFunction>).set(name, f.fn);
  return undefined;
}

/** The scalar function with this name (any case), or undefined. */
export function getScalar(name: string): ScalarFunction | undefined {
  return scalars.get(name.toUpperCase());
}

/** The aggregate function with this name (any case), or undefined. */
export function getAggregate(name: string): AggregateFunction | undefined {
  return aggregates.get(name.toUpperCase());
}

/** The table function with this name (any case), or undefined. */
export function getTableFunction(name: string): TableFunction | undefined {
  return tables.get(name.toUpperCase());
}

/** Whether any kind of function has this name. */
export function isFunctionName(name: string): boolean {
  const n = name.toUpperCase();
  return scalars.has(n) || aggregates.has(n) || tables.has(n);
}

/** Every function, sorted by name, for SHOW FUNCTIONS and DESCRIBE FUNCTION. */
export function listFunctions(): readonly FunctionInfo[] {
  const out: FunctionInfo[] = [];
  for (const f of scalars.values()) {
    if (hidden.has(f.name)) continue;
    out.push({ name: f.name, type: 'scalar', category: f.category, description: f.description, signatures: f.signatures });
  }
  for (const f of aggregates.values()) {
    out.push({ name: f.name, type: 'aggregate', category: 'AGGREGATE', description: f.description, signatures: f.signatures });
  }
  for (const f of tables.values()) {
    if (hidden.has(f.name)) continue;
    out.push({ name: f.name, type: 'table', category: 'TABLE', description: f.description, signatures: f.signatures });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
