/**
 * What ksqlDB refuses in pull and scalable push queries, with its words: the
 * clauses a pull query may not have (PullQueryValidator), the pseudo columns
 * neither may read, tables no query materializes, and table scans when
 * `ksql.query.pull.table.scan.enabled` is false.
 */
import { PlanError } from '../common/errors.js';
import type { Expression, Query } from '../parser/ast/index.js';
import { walk } from './ast-walk.js';
import { COMPARISON_NAMES } from './expression-typer.js';
import type { DataSource } from './data-source.js';
import { formatType } from '../common/types.js';
import { formatExpression } from '../parser/format.js';
import { PSEUDO } from './schema.js';

/** The property that turns table scans in pull queries off (ksqlDB's default: on). */
export const TABLE_SCAN_PROPERTY = 'ksql.query.pull.table.scan.enabled';

/** ksqlDB appends this to every pull-query refusal (`PullQueryValidator.PULL_QUERY_SYNTAX_HELP`). */
export const PULL_QUERY_SYNTAX_HELP = ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

/** Pseudo columns pull and scalable push queries cannot read (ksqlDB's `isDisallowedInPullOrScalablePushQueries`). */
const DISALLOWED: ReadonlySet<string> = new Set([PSEUDO.ROWPARTITION, PSEUDO.ROWOFFSET]);

/** The disallowed pseudo columns `exprs` name, back-quoted, once each, in order of appearance. */
function disallowedIn(exprs: readonly Expression[]): string[] {
  const found: string[] = [];
  for (const e of exprs) {
    walk(e, (x) => {
      if (x.kind === 'ColumnRef' && DISALLOWED.has(x.name) && !found.includes(`\`${x.name}\``)) found.push(`\`${x.name}\``);
    });
  }
  return found;
}

function selectExpressions(q: Query): Expression[] {
  const out: Expression[] = [];
  for (const item of q.select) if (item.kind === 'SingleColumn') out.push(item.expr);
  return out;
}

/** Whether a SELECT names ROWPARTITION or ROWOFFSET in its projection or WHERE. */
export function readsDisallowedPseudoColumns(q: Query): boolean {
  return disallowedIn(selectExpressions(q)).length > 0 || (q.where !== undefined && disallowedIn([q.where]).length > 0);
}

/** The first rule of ksqlDB's PullQueryValidator a pull query breaks, as its message; undefined when none. */
function brokenRule(q: Query): string | undefined {
  if (q.from.kind === 'Join') return "Pull queries don't support JOIN clauses.";
  if (q.window) return "Pull queries don't support WINDOW clauses.";
  if (q.groupBy) return "Pull queries don't support GROUP BY clauses.";
  if (q.partitionBy) return "Pull queries don't support PARTITION BY clauses.";
  if (q.having) return "Pull queries don't support HAVING clauses.";
  if (q.limit !== undefined && q.limit < 0) return "Pull queries don't support negative integers in the LIMIT clause.";
  const inSelect = disallowedIn(selectExpressions(q));
  if (inSelect.length > 0) return `Pull queries don't support the following columns in SELECT clauses: ${inSelect.join(', ')}\n`;
  const inWhere = q.where ? disallowedIn([q.where]) : [];
  if (inWhere.length > 0) return `Pull queries don't support the following columns in WHERE clauses: ${inWhere.join(', ')}\n`;
  return undefined;
}

/**
 * Refuses a pull query (a SELECT without EMIT) that ksqlDB's PullQueryValidator
 * refuses, before it is planned; `source` is the table or stream it reads, when
 * known (a LIKE on a table's non-STRING column is refused with ksqlDB's words).
 */
export function validatePullQuery(q: Query, source?: DataSource): void {
  const broken = brokenRule(q);
  if (broken !== undefined) throw new PlanError(broken + PULL_QUERY_SYNTAX_HELP);
  if (!q.where || source?.sourceType !== 'TABLE') return;
  walk(q.where, (x) => {
    if (x.kind !== 'Like' || x.operand.kind !== 'ColumnRef') return;
    const name = x.operand.name;
    const col = [...source.schema.key, ...source.schema.value].find((c) => c.name === name);
    if (col && col.type.kind !== 'STRING') {
      const base = formatType(col.type).replace(/[<(].*$/, '');
      throw invalidWhere(`The column type for Like condition must be VARCHAR. The column type is ${base}`, source.window !== undefined);
    }
  });
}

/**
 * Refuses a pull query on `source` that ksqlDB cannot answer: a table no query
 * materializes (a plain CREATE TABLE), or, while table scans are off
 * (`ksql.query.pull.table.scan.enabled=false`), a table query whose WHERE is
 * not a key lookup, with the reason ksqlDB's QueryFilterNode gives.
 */
export function validatePullSource(source: DataSource, where: Expression | undefined, properties: Readonly<Record<string, string>>): void {
  if (source.sourceType !== 'TABLE') return;
  if (!source.isSource && source.writerQueryId === undefined) {
    throw new PlanError(
      `The \`${source.name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${source.name} AS SELECT * FROM ${source.name}'.${PULL_QUERY_SYNTAX_HELP}`,
    );
  }
  if (String(properties[TABLE_SCAN_PROPERTY]).toLowerCase() !== 'false') return;
  if (!where || !disjuncts(where).every((d) => isKeyLookupDisjunct(d, source))) {
    throw new PlanError(`Query requires table scan to be enabled. Table scans can be enabled by setting ${TABLE_SCAN_PROPERTY}=true`);
  }
}

/** The WHERE as ksqlDB reads it: OR-ed conjunctions, each `k IN (a, b)` one disjunct per item. Long expansions stay whole. */
function disjuncts(e: Expression): Expression[][] {
  if (e.kind === 'Logical' && e.op === 'OR') return [...disjuncts(e.left), ...disjuncts(e.right)];
  if (e.kind === 'Logical' && e.op === 'AND') {
    const left = disjuncts(e.left);
    const right = disjuncts(e.right);
    if (left.length * right.length > 1000) return [[e]];
    return left.flatMap((l) => right.map((r) => [...l, ...r]));
  }
  if (e.kind === 'InList' && !e.negated && e.list.length <= 1000) {
    return e.list.map((item) => [{ kind: 'Comparison', op: '=', left: e.operand, right: item, pos: e.pos } as Expression]);
  }
  return [[e]];
}

/** ksqlDB's text of a WHERE disjunct: comparisons and ANDs in parentheses, `null` in lower case. */
function disjunctText(conjuncts: readonly Expression[]): string {
  const one = (e: Expression): string => {
    if (e.kind === 'Comparison') return `(${one(e.left)} ${e.op} ${one(e.right)})`;
    if (e.kind === 'Literal' && e.value === null) return 'null';
    return formatExpression(e);
  };
  return conjuncts.map(one).reduce((acc, x) => `(${acc} AND ${x})`);
}

/** ksqlDB's message for a WHERE a pull query cannot use without a table scan (QueryFilterNode.invalidWhereClauseException). */
function invalidWhere(msg: string, windowed: boolean): PlanError {
  const windowHelp = windowed
    ? '\n - (optionally) limits the time bounds of the windowed table.\n\t Bounds on [`WINDOWSTART`, `WINDOWEND`] are supported\n\t Supported operators are [EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL]'
    : '';
  return new PlanError(
    `${msg}. ${PULL_QUERY_SYNTAX_HELP}\nPull queries require a WHERE clause that:\n - includes a key equality expression, e.g. \`SELECT * FROM X WHERE <key-column> = Y;\`.\n - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.\n - to support range expressions, e.g.,  SELECT * FROM X WHERE <key-column> < Y;\`, range scans need to be enabled by setting ksql.query.pull.range.scan.enabled=true${windowHelp}\nIf more flexible queries are needed, , table scans can be enabled by setting ${TABLE_SCAN_PROPERTY}=true.`,
  );
}

const WINDOW_BOUND_OPS: ReadonlySet<string> = new Set(['=', '<', '<=', '>', '>=']);

/**
 * Whether one disjunct is answered by key lookup (ksqlDB's QueryFilterNode
 * Validator with table scans off): throws ksqlDB's reason when the WHERE
 * cannot be used at all; false when it needs a scan (a key range other than
 * one bound on a STRING or BYTES key).
 */
function isKeyLookupDisjunct(conjuncts: readonly Expression[], source: DataSource): boolean {
  const windowed = source.window !== undefined;
  const keys = source.schema.key;
  const keyText = `[${keys.map((c) => `\`${c.name}\` ${formatType(c.type)} KEY`).join(', ')}]`;
  const seen = new Map<string, string>();
  const hasColumn = (e: Expression) => {
    let found = false;
    walk(e, (x) => {
      if (x.kind === 'ColumnRef') found = true;
    });
    return found;
  };
  for (const c of conjuncts) {
    if (c.kind === 'Like') {
      if (c.operand.kind !== 'ColumnRef') throw invalidWhere('Like condition must be between strings', windowed);
      continue;
    }
    if (c.kind !== 'Comparison') throw invalidWhere(`Unsupported expression in WHERE clause: ${disjunctText([c])}`, false);
    const col = c.right.kind === 'ColumnRef' ? c.right : c.left.kind === 'ColumnRef' ? c.left : undefined;
    if (!col) throw invalidWhere('A comparison must directly reference a key column', windowed);
    if (hasColumn(col === c.right ? c.left : c.right)) throw invalidWhere('A comparison must be between a key column and a resolvable expression', windowed);
    if (col.name === PSEUDO.WINDOWSTART || col.name === PSEUDO.WINDOWEND) {
      if (!WINDOW_BOUND_OPS.has(c.op)) throw invalidWhere(`Unsupported \`${col.name}\` bounds: ${COMPARISON_NAMES[c.op] ?? c.op}`, true);
      continue;
    }
    if (!keys.some((k) => k.name === col.name)) continue;
    if (c.op === '<>' || c.op === 'IS DISTINCT FROM' || c.op === 'IS NOT DISTINCT FROM') {
      throw invalidWhere(`Bound on key columns '${keyText}' must currently be '='`, windowed);
    }
    if (seen.has(col.name)) {
      throw invalidWhere('A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate', windowed);
    }
    seen.set(col.name, c.op);
  }
  if (seen.size === 0) throw invalidWhere(`WHERE clause missing key column for disjunct: ${disjunctText(conjuncts)}`, windowed);
  if (seen.size !== keys.length) {
    const named = keys.filter((k) => seen.has(k.name)).map((k) => `\`${k.name}\``);
    throw invalidWhere(`Multi-column sources must specify every key in the WHERE clause. Specified: [${named.join(', ')}] Expected: ${keyText}`, windowed);
  }
  const ops = [...seen.values()];
  if (ops.every((op) => op === '=')) return true;
  // One range bound is a range scan, answered without a table scan on a non-windowed STRING or BYTES key.
  const key = keys[0]!;
  return ops.length === 1 && !windowed && (key.type.kind === 'STRING' || key.type.kind === 'BYTES');
}
