import { PlanError } from '../common/errors.js';
import { formatNamed } from '../serde/formats.js';
import { formatType, typeEquals } from '../common/types.js';
import type { Expression, Join, Relation } from '../parser/ast/index.js';
import { walk } from './ast-walk.js';
import type { Catalog } from './catalog.js';
import type { DataSource } from './data-source.js';
import type { ExpressionTyper } from './expression-typer.js';
import type { JoinSpec, LogicalPlan, RowColumn, RowSchema } from './logical-plan.js';
import type { TypedExpression } from './typed-expression.js';
import { sourceRowSchema } from './source-schema.js';
import { checkKeyType } from './key-checks.js';
import { syntheticJoinKeyName } from './column-names.js';
import { RESERVED_COLUMN_NAMES, type Column } from './schema.js';
import { windowFrame, type WindowType } from '../common/windows.js';

/** A stream or table in FROM, with the alias it is known by (upper-case). */
export interface FromSource {
  readonly alias: string;
  readonly source: DataSource;
}

/** What planning FROM produced: the plan, the sources by alias, and for joins how the key is named. */
export interface FromPlan {
  readonly node: LogicalPlan;
  readonly sources: readonly FromSource[];
  /**
   * For joins: row indices of columns that stand for the join key in a projection
   * (the join columns, unless the key is synthetic, and ROWKEY at index 0).
   */
  readonly keyAliases?: readonly number[];
  /** For joins keyed by several columns (foreign-key joins): the row indices naming each key column. */
  readonly keyAliasesByKey?: readonly (readonly number[])[];
  /** For joins: the join expressions as text, for error messages. */
  readonly joinExprs?: readonly string[];
  readonly synthetic?: boolean;
  /** For joins: the name of the join key column (ROWKEY, or ROWKEY_n when a source has ROWKEY). */
  readonly keyName?: string;
  /** For joins: the (canonical) expressions the join key equals. */
  readonly equivalence?: readonly string[];
  /** For joins: the source columns that equal the join key, preferred first. */
  readonly viable?: readonly ViableKey[];
}

export const ROWKEY = 'ROWKEY';

/** Plans FROM: one source, or a (possibly n-way) join. */
export function planFrom(rel: Relation, catalog: Catalog, typer: (schema: RowSchema) => ExpressionTyper, describe: (e: Expression) => string): FromPlan {
  if (rel.kind === 'AliasedSource') {
    const source = catalog.getSource(rel.name);
    if (!source) throw new PlanError(`${rel.name} does not exist.`, rel.pos);
    const alias = rel.alias ?? source.name;
    return { node: { kind: 'Source', source, alias, schema: sourceRowSchema(source, alias) }, sources: [{ alias, source }] };
  }
  return planJoin(rel, catalog, typer, describe);
}

function planJoin(j: Join, catalog: Catalog, typer: (schema: RowSchema) => ExpressionTyper, describe: (e: Expression) => string): FromPlan {
  const left = planFrom(j.left, catalog, typer, describe);
  const right = planFrom(j.right, catalog, typer, describe);
  const rightSrc = right.sources[0]!;
  if (left.sources.some((s) => s.source.name === rightSrc.source.name)) {
    throw new PlanError(
      left.sources.length > 1
        ? `N-way joins do not support multiple occurrences of the same source. Source: '${rightSrc.source.name}'`
        : `Can not join '${rightSrc.source.name}' to '${rightSrc.source.name}': self joins are not yet supported.`,
      j.pos,
    );
  }
  if (rightSrc.source.sourceType === 'TABLE' && rightSrc.source.schema.key.length > 1) {
    throw new PlanError(`Invalid join condition: joins on tables with multi-column keys are not supported. Table: ${rightSrc.source.name}`, j.pos);
  }
  const kafka = [...left.sources, rightSrc].filter((s) => s.source.valueFormat.format === 'KAFKA').map((s) => s.source.name);
  if (kafka.length > 0) {
    throw new PlanError(`Source(s) ${kafka.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`, j.pos);
  }
  const leftIsTable = left.node.schema.isTable;
  const rightIsTable = right.node.schema.isTable;
  if (leftIsTable && !rightIsTable) {
    throw new PlanError(
      `Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${describe({ kind: 'ColumnRef', name: left.sources[0]!.alias, pos: j.pos })} [${j.joinType}] JOIN ${rightSrc.alias}.`,
      j.pos,
    );
  }
  checkWindowsCompatible(left, right, j);

  // ON must be one equality whose sides each reference one source.
  const on = j.on;
  if (on.kind !== 'Comparison' || on.op !== '=') {
    if (on.kind === 'Logical') throw new PlanError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${describe(on)}.`, on.pos);
    throw new PlanError(`Unsupported join expression: ${describe(on)}. Only equality joins are supported.`, on.pos);
  }
  const leftAliases = new Set(left.sources.flatMap((s) => [s.alias, s.source.name]));
  const rightAliases = new Set([rightSrc.alias, rightSrc.source.name]);
  const sideOf = (e: Expression): 'L' | 'R' => {
    const sides = new Set<'L' | 'R'>();
    walk(e, (x) => {
      if (x.kind !== 'ColumnRef') return;
      if (x.source !== undefined) {
        const side = rightAliases.has(x.source) ? right : leftAliases.has(x.source) ? left : undefined;
        const found = side?.node.schema.columns.some((c) => c.name === x.name && c.qualifiers.includes(x.source!));
        if (!side || !found) throw new PlanError(`JOIN ON column '${x.source}.${x.name}' cannot be resolved.`, x.pos);
        sides.add(side === right ? 'R' : 'L');
        return;
      }
      const inRight = right.node.schema.columns.some((c) => c.name === x.name);
      const inLeft = left.node.schema.columns.some((c) => c.name === x.name);
      if (inRight && inLeft) throw new PlanError(`Column '${x.name}' is ambiguous.`, x.pos);
      if (!inRight && !inLeft) throw new PlanError(`JOIN ON column '${x.name}' cannot be resolved.`, x.pos);
      sides.add(inRight ? 'R' : 'L');
    });
    if (sides.size !== 1) {
      const bad = sides.size === 0 ? e : e;
      throw new PlanError(
        `Invalid comparison expression '${describe(bad)}' in join '${describe(on)}'. Each side of the join comparision must contain references from exactly one source.`,
        e.pos,
      );
    }
    return [...sides][0]!;
  };
  const a = sideOf(on.left);
  const b = sideOf(on.right);
  if (a === b) throw new PlanError(`Invalid join condition: each side must reference a different source. Got ${describe(on)}.`, on.pos);
  const leftExpr = a === 'L' ? on.left : on.right;
  const rightExpr = a === 'L' ? on.right : on.left;
  const leftKey = typer(left.node.schema).type(leftExpr);
  const rightKey = typer(right.node.schema).type(rightExpr);
  if (!typeEquals(leftKey.type, rightKey.type)) {
    throw new PlanError(
      `Invalid join condition: types don't match. Got ${describe(leftExpr)}{${formatType(leftKey.type)}} = ${describe(rightExpr)}{${formatType(rightKey.type)}}.`,
      on.pos,
    );
  }
  checkKeyType(ROWKEY, leftKey.type, on.pos);
  if (left.node.schema.window) checkNoWindowedRepartition(left, right, leftKey, rightKey, j);

  const isRightKeyColumn = rightKey.kind === 'Column' && rightKey.index < right.node.schema.key.length;
  let spec: JoinSpec;
  if (!leftIsTable && !rightIsTable) {
    if (!j.within)
      throw new PlanError(
        'Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select',
        j.pos,
      );
    spec = { kind: 'STREAM_STREAM', beforeMs: j.within.before.ms, afterMs: j.within.after.ms, graceMs: j.within.grace?.ms };
  } else if (!leftIsTable) {
    if (j.within)
      throw new PlanError(
        'A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your Stream-Table join again.',
        j.pos,
      );
    if (j.joinType === 'FULL' || j.joinType === 'RIGHT') {
      throw new PlanError(
        `Invalid join type: ${j.joinType === 'FULL' ? 'full-outer' : 'right'} join not supported for stream-table join. Got ${left.sources[0]!.alias} [${j.joinType}] OUTER JOIN ${rightSrc.alias}.`,
        j.pos,
      );
    }
    if (!isRightKeyColumn) {
      throw new PlanError(
        `Invalid join condition: stream-table joins require to join on the table's primary key. Got ${describe(leftExpr)} = ${describe(rightExpr)}.`,
        on.pos,
      );
    }
    spec = { kind: 'STREAM_TABLE' };
  } else {
    if (j.within)
      throw new PlanError(
        'A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again.',
        j.pos,
      );
    if (!isRightKeyColumn) {
      throw new PlanError(
        `Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${describe(leftExpr)} = ${describe(rightExpr)}.`,
        on.pos,
      );
    }
    // A primary-key join needs the left's whole key: one column of a multi-column key is a foreign key.
    const leftKeyCount = left.node.schema.key.length;
    const isLeftKeyColumn = leftKey.kind === 'Column' && leftKeyCount === 1 && (leftKey.index === 0 || (left.keyAliases ?? []).includes(leftKey.index));
    if (isLeftKeyColumn) spec = { kind: 'TABLE_TABLE' };
    else {
      // A foreign-key join: the left side's value (or expression) points at the right table's key.
      if (left.sources.length > 1) {
        throw new PlanError(
          `Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. Got ${describe(leftExpr)} = ${describe(rightExpr)}.`,
          on.pos,
        );
      }
      if (j.joinType === 'RIGHT' || j.joinType === 'FULL') {
        throw new PlanError(`${j.joinType === 'RIGHT' ? 'RIGHT' : 'FULL'} OUTER JOIN on a foreign key is not supported`, j.pos);
      }
      spec = { kind: 'TABLE_TABLE_FK' };
    }
  }

  // Joined row: the join key, then the left row, then the right row. The key column is
  // named like ksqlDB's synthetic join key: ROWKEY unless a source column takes it.
  const sources = [...left.sources, rightSrc];
  const keyName = syntheticJoinKeyName(sources.flatMap((s) => [...s.source.schema.key, ...s.source.schema.value].map((c) => c.name)));
  // An inner join's key column (unqualified) can no longer be named.
  const rename = (c: RowColumn): RowColumn => (c.qualifiers.length === 0 && !c.name.endsWith('#inner') ? { ...c, name: `${c.name}#inner` } : c);
  const fk = spec.kind === 'TABLE_TABLE_FK';
  // A foreign-key join is keyed by the left table's (possibly multi-column) key; others by the join key.
  const keyTypes = fk ? left.node.schema.key.map((c) => c.type) : [leftKey.type];
  const keyCols: Column[] = keyTypes.map((type, i) => ({ name: i === 0 ? keyName : `${keyName}#${i}`, type, namespace: 'KEY' }));
  const columns: RowColumn[] = [
    ...keyCols.map((c) => ({ name: c.name, type: c.type, qualifiers: [] })),
    ...left.node.schema.columns.map(rename),
    ...right.node.schema.columns,
  ];
  const schema: RowSchema = {
    columns,
    key: keyCols,
    isTable: leftIsTable && rightIsTable,
    window: left.node.schema.window,
  };
  const leftOffset = keyCols.length;
  const keyAliases = [0];
  if (fk) {
    // Each key column is named by the left table's key column it copies.
    const leftPks = left.node.schema.key.map((k) => leftOffset + left.node.schema.columns.findIndex((c) => c.name === k.name));
    keyAliases.push(leftPks[0]!);
    return {
      node: { kind: 'Join', joinType: j.joinType, spec, left: left.node, right: right.node, leftKey, rightKey, schema },
      sources,
      keyAliases,
      keyAliasesByKey: leftPks.map((pk, i) => [i, pk]),
      keyName,
      synthetic: false,
      joinExprs: left.node.schema.key.map((k) => `${left.sources[0]!.alias}.${k.name}`),
    };
  }
  // ksqlDB's join equivalence (JoinTree): the key equals both join expressions, and every
  // expression the left join's key equals when one of them is among those. A FULL join's
  // key equals neither side. Viable key columns are the column references in that set
  // (the left join's first, then left, then right); without any, the key is synthetic.
  const canon = (e: Expression) => canonicalExpression(e, sources);
  const keys = [canon(leftExpr), canon(rightExpr)];
  const lefts = left.equivalence ?? [];
  const equivalence = j.joinType === 'FULL' ? [] : [...new Set([...keys, ...(lefts.some((k) => keys.includes(k)) ? lefts : [])])];
  const viable: ViableKey[] = [];
  for (const v of [...(left.viable ?? []), viableOf(leftExpr, sources), viableOf(rightExpr, sources)]) {
    if (v === undefined || !equivalence.includes(v.key) || viable.some((x) => x.key === v.key)) continue;
    viable.push(v);
  }
  const synthetic = viable.length === 0;
  for (const v of viable) {
    const at = columns.findIndex((c) => c.name === v.name && c.qualifiers.includes(v.alias));
    if (at >= 0 && !keyAliases.includes(at)) keyAliases.push(at);
  }
  const node: LogicalPlan = {
    kind: 'Join',
    joinType: j.joinType,
    spec,
    left: left.node,
    right: right.node,
    leftKey,
    rightKey,
    schema,
  };
  return {
    node,
    sources,
    keyAliases,
    keyName,
    synthetic,
    joinExprs: synthetic ? [keyName] : viable.map((v) => `${v.alias}.${v.name}`),
    equivalence,
    viable,
  };
}

/** A column that names a join's key: the source alias and column, and its canonical form. */
export interface ViableKey {
  readonly alias: string;
  readonly name: string;
  readonly key: string;
}

/** The alias of the source a column reference names (qualified by name or alias, or found by column). */
function aliasOf(x: Extract<Expression, { kind: 'ColumnRef' }>, sources: readonly FromSource[]): string | undefined {
  if (x.source !== undefined) return sources.find((s) => s.alias === x.source || s.source.name === x.source)?.alias ?? x.source;
  const has = (s: FromSource) => RESERVED_COLUMN_NAMES.has(x.name) || [...s.source.schema.key, ...s.source.schema.value].some((c) => c.name === x.name);
  return sources.find(has)?.alias;
}

/** An expression as comparable text, with every column reference qualified by its source alias. */
function canonicalExpression(e: Expression, sources: readonly FromSource[]): string {
  return JSON.stringify(e, (k, v: unknown) => {
    if (k === 'pos') return undefined;
    const x = v as Expression | null;
    if (x !== null && typeof x === 'object' && 'kind' in x && x.kind === 'ColumnRef') return { kind: 'ColumnRef', source: aliasOf(x, sources), name: x.name };
    return v;
  });
}

function viableOf(e: Expression, sources: readonly FromSource[]): ViableKey | undefined {
  if (e.kind !== 'ColumnRef') return undefined;
  const alias = aliasOf(e, sources);
  return alias === undefined ? undefined : { alias, name: e.name, key: canonicalExpression(e, sources) };
}

function windowTypeOf(p: FromPlan): WindowType | undefined {
  const w = p.node.schema.window;
  if (!w) return undefined;
  return w.kind === 'SOURCE' ? w.type : w.kind;
}

/**
 * Windowed sources join only windowed sources of a compatible kind: sessions with
 * sessions, hopping and tumbling windows with each other (ksqlDB's Analyzer).
 */
function checkWindowsCompatible(left: FromPlan, right: FromPlan, j: Join): void {
  const lw = windowTypeOf(left);
  const rw = windowTypeOf(right);
  if ((lw === undefined) !== (rw === undefined)) {
    throw new PlanError(
      `Can not join windowed source to non-windowed source.\n\`${left.sources[left.sources.length - 1]!.alias}\` is ${lw ?? 'not'} windowed\n\`${right.sources[0]!.alias}\` is ${rw ?? 'not'} windowed`,
      j.pos,
    );
  }
  if (lw === undefined || rw === undefined) return;
  if (windowFrame(lw) !== windowFrame(rw)) {
    throw new PlanError(
      `Incompatible windowed sources.\nLeft source: ${lw}\nRight source: ${rw}\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources`,
      j.pos,
    );
  }
}

/**
 * Windowed keys cannot be re-keyed (ksqlDB: "Implicit repartitioning of windowed
 * sources is not supported"): each side must join on its own key, and the right
 * side's key format must be the left one's (format and window), unless it is a
 * Schema-Registry format, whose sides ksqlDB always repartitions without re-keying.
 */
function checkNoWindowedRepartition(left: FromPlan, right: FromPlan, leftKey: TypedExpression, rightKey: TypedExpression, j: Join): void {
  const onKey = (p: FromPlan, k: TypedExpression): boolean =>
    k.kind === 'Column' && p.node.schema.key.length === 1 && k.index === p.node.schema.columns.findIndex((c) => c.name === p.node.schema.key[0]!.name);
  const l = left.sources[0]!.source;
  const r = right.sources[0]!.source;
  const sameKeyFormat = l.keyFormat.format === r.keyFormat.format && l.window?.type === r.window?.type && l.window?.sizeMs === r.window?.sizeMs;
  const forced = formatNamed(r.keyFormat.format)?.usesSchemaRegistry === true;
  if (!onKey(left, leftKey) || !onKey(right, rightKey) || (!sameKeyFormat && !forced)) {
    throw new PlanError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.', j.pos);
  }
}
