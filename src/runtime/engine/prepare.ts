/**
 * Statement preparation, the one way SQL text becomes statements: split into
 * statements, `${name}` variables substituted, each parsed once. The engine, the
 * `/ksql` and `/query` routes and the test runner all prepare through here.
 */
import type { Statement } from '../../parser/ast/index.js';
import { parseStatement, splitStatements, substituteVariables, type StatementSlice } from '../../parser/index.js';
import type { StatementCache } from './statement-cache.js';

/** One statement of a request or script, ready to execute. */
export interface PreparedStatement {
  /** The statement's text after variable substitution, trimmed, without its `;`. */
  readonly text: string;
  readonly stmt: Statement;
}

/** How {@link prepareEach} parses. */
export interface PrepareOptions {
  /**
   * Where parse positions count from: `script` (the default), line and column in
   * the whole text; `statement`, in each statement's own text (the server shows
   * errors against the statement).
   */
  readonly positions?: 'script' | 'statement';
  /** Turns a statement's parse failure into the error to throw, given its substituted text. */
  readonly onParseError?: (error: unknown, text: string) => unknown;
  /** Where queries that differ only in their literals share one parse (see statement-cache.ts). */
  readonly cache?: StatementCache;
}

/**
 * Prepares the statements of `slices` one at a time, as they are iterated: a
 * caller that executes each before taking the next sees errors in the order a
 * statement-by-statement run gives them. DEFINE and UNDEFINE change the
 * variables substituted into the statements after them (in a copy: `variables`
 * itself is not changed).
 */
export function* prepareEach(
  slices: readonly StatementSlice[],
  variables: ReadonlyMap<string, string>,
  opts: PrepareOptions = {},
): Generator<PreparedStatement> {
  const vars = new Map(variables);
  for (const slice of slices) {
    const text = vars.size > 0 ? substituteVariables(slice.text, vars) : slice.text;
    let stmt: Statement;
    try {
      const base = opts.positions === 'statement' ? undefined : slice.pos;
      stmt = opts.cache ? opts.cache.parse(text, base) : parseStatement(text, base);
    } catch (e) {
      throw opts.onParseError ? opts.onParseError(e, text) : e;
    }
    if (stmt.kind === 'Define') vars.set(stmt.name, stmt.value);
    if (stmt.kind === 'Undefine') vars.delete(stmt.name);
    yield { text, stmt };
  }
}

/** Every statement of `sql`, prepared (see {@link prepareEach}); throws at the first that does not parse. */
export function prepare(sql: string, variables: ReadonlyMap<string, string>, opts: PrepareOptions = {}): PreparedStatement[] {
  return [...prepareEach(splitStatements(sql), variables, opts)];
}
