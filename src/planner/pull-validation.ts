/**
 * What ksqlDB refuses in pull and scalable push queries, with its words: the
 * clauses a pull query may not have (PullQueryValidator), the pseudo columns
 * neither may read, tables no query materializes, and table scans when
 * `ksql.query.pull.table.scan.enabled` is false.
 */
import { PlanError } from '../common/errors.js';
import type { Expression, Query } from '../parser/ast/index.js';
import { walk } from './ast-walk.js';
import type { DataSource } from './data-source.js';
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

/** Refuses a pull query (a SELECT without EMIT) that ksqlDB's PullQueryValidator refuses, before it is planned. */
export function validatePullQuery(q: Query): void {
  const broken = brokenRule(q);
  if (broken !== undefined) throw new PlanError(broken + PULL_QUERY_SYNTAX_HELP);
}

/**
 * Refuses a pull query on `source` that ksqlDB cannot answer: a table no query
 * materializes (a plain CREATE TABLE), or a table scan while scans are off
 * (`keyed`: the WHERE pins every key column to literals).
 */
export function validatePullSource(source: DataSource, keyed: boolean, properties: Readonly<Record<string, string>>): void {
  if (source.sourceType !== 'TABLE') return;
  if (!source.isSource && source.writerQueryId === undefined) {
    throw new PlanError(
      `The \`${source.name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${source.name} AS SELECT * FROM ${source.name}'.${PULL_QUERY_SYNTAX_HELP}`,
    );
  }
  if (!keyed && String(properties[TABLE_SCAN_PROPERTY]).toLowerCase() === 'false') {
    throw new PlanError(`Query requires table scan to be enabled. Table scans can be enabled by setting ${TABLE_SCAN_PROPERTY}=true`);
  }
}

/**
 * Whether `where` is a key lookup ksqlDB answers without a table scan: a
 * conjunction pinning each key column with `=` or `IN` to literals, and on a
 * windowed table optionally bounding WINDOWSTART / WINDOWEND.
 */
export function isKeyLookup(where: Expression | undefined, source: DataSource): boolean {
  if (!where || source.schema.key.length === 0) return false;
  const keys = new Set(source.schema.key.map((c) => c.name));
  const pinned = new Set<string>();
  const isLiteral = (e: Expression) => e.kind === 'Literal' || (e.kind === 'Unary' && e.operand.kind === 'Literal');
  const conjuncts: Expression[] = [];
  const split = (e: Expression) => {
    if (e.kind === 'Logical' && e.op === 'AND') {
      split(e.left);
      split(e.right);
    } else conjuncts.push(e);
  };
  split(where);
  for (const c of conjuncts) {
    if (c.kind === 'Comparison') {
      const [col, other] = c.left.kind === 'ColumnRef' ? [c.left, c.right] : [c.right, c.left];
      if (col.kind !== 'ColumnRef' || !isLiteral(other)) return false;
      if (keys.has(col.name) && c.op === '=') pinned.add(col.name);
      else if (!(source.window && (col.name === PSEUDO.WINDOWSTART || col.name === PSEUDO.WINDOWEND))) return false;
    } else if (c.kind === 'InList' && !c.negated && c.operand.kind === 'ColumnRef' && keys.has(c.operand.name) && c.list.every(isLiteral)) {
      pinned.add(c.operand.name);
    } else return false;
  }
  return pinned.size === keys.size;
}
