import { NotImplementedError, PlanError } from '../common/errors.js';
import { assertNever } from '../common/assert.js';
import { T, formatType } from '../common/types.js';
import type { Expression, Query, SelectItem, WindowExpression } from '../parser/ast/index.js';
import { formatExpression } from '../parser/index.js';
import { getAggregate, getScalar, getTableFunction } from '../functions/registry.js';
import { childrenOf, exprKey, walk } from './ast-walk.js';
import type { Catalog } from './catalog.js';
import type { DataSource } from './data-source.js';
import { ExpressionTyper, isNullLiteral, type Scope, type ScopeColumn } from './expression-typer.js';
import { sourcesOf, type AggregateCall, type LogicalPlan, type RowColumn, type RowSchema, type TableFunctionCall, type WindowSpec } from './logical-plan.js';
import { PSEUDO, RESERVED_COLUMN_NAMES, type Column, type LogicalSchema } from './schema.js';
import { planFrom, type FromPlan } from './join-planner.js';
import { checkKeyType } from './key-checks.js';
import { ColumnAliasGenerator } from './column-names.js';
import type { TypedExpression } from './typed-expression.js';
import type { WindowType } from '../common/windows.js';
import type { FormatName } from '../common/formats.js';
import { formatNamed } from '../serde/formats.js';

/** What the statement around a query needs from the planner. */
export interface QueryContext {
  readonly catalog: Catalog;
  /** Name of the stream/table being created or inserted into (persistent queries). */
  readonly sinkName?: string;
  /** True for CREATE … AS / INSERT INTO; false for transient SELECTs. */
  readonly persistent: boolean;
  /**
   * `ksql.new.query.planner.enabled`: a stream projection may then drop the key
   * (the result has no key) instead of being rejected.
   */
  readonly allowKeylessProjection?: boolean;
  /** Session properties (function settings such as ksql.functions.collect_list.limit). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Value format of the sink, to reject aggregates whose intermediate state it cannot hold. */
  readonly sinkValueFormat?: FormatName;
}

/** A planned query: the plan up to (excluding) the sink, and the schema it produces. */
export interface PlannedQuery {
  readonly plan: LogicalPlan;
  readonly output: LogicalSchema;
  readonly isTable: boolean;
  readonly window?: WindowSpec | { readonly kind: 'SOURCE'; readonly type: WindowType; readonly sizeMs?: number };
  readonly sources: readonly DataSource[];
  readonly emitFinal: boolean;
}

const DEFAULT_GRACE_MS = 24 * 3600 * 1000;

/** ksqlDB's explanation after "This format does not yet support GROUP BY/JOIN". */
const KAFKA_VALUE_FORMAT_LIMITATION =
  'The KAFKA format is primarily intended for use as a key format. It can be used as a value format, but can not be used in any operation that requires a repartition or changelog topic.\n' +
  'Removing this limitation requires enhancements to the core of KSQL. This will come in a future release. Until then, avoid using the KAFKA format for values.\n' +
  "If you have an existing topic with KAFKA formatted values you can duplicate the data and serialize using Avro or JSON with a statement such as: \n\n'CREATE STREAM <new-stream-name> WITH(VALUE_FORMAT='Avro') AS SELECT * FROM <existing-kafka-formated-stream-name>;'\n" +
  'For more info see https://github.com/confluentinc/ksql/issues/3060';

/** Plans a SELECT into a logical plan. Throws PlanError for anything ksqlDB rejects. */
export function planQuery(q: Query, ctx: QueryContext): PlannedQuery {
  if (ctx.allowKeylessProjection === true) rejectForNewPlanner(q);
  return new QueryPlanner(q, ctx).plan();
}

/**
 * With `ksql.new.query.planner.enabled`, ksqlDB's new planner handles only plain
 * projections of one source (EngineExecutor.throwIfUnsupported); anything else is
 * rejected, naming the first unsupported clause.
 */
function rejectForNewPlanner(q: Query): void {
  const unsupported: [boolean, string][] = [
    [q.where !== undefined, 'WHERE'],
    [(q.groupBy?.length ?? 0) > 0, 'GROUP BY'],
    [q.having !== undefined, 'HAVING'],
    [q.window !== undefined, 'WINDOWS'],
    [q.partitionBy !== undefined, 'PARTITION BY'],
    [q.limit !== undefined, 'LIMIT'],
    [q.from.kind === 'Join', 'joins'],
  ];
  const found = unsupported.find(([present]) => present);
  if (found) throw new PlanError(`New query planner does not support ${found[1]}. Set ksql.new.query.planner.enabled=false.`, q.pos);
}

interface NamedItem {
  readonly expr: Expression;
  readonly alias?: string;
  readonly pos: Query['pos'];
  /** A key column `*` selected: its name may be a system column's (PARTITION BY ROWTIME). */
  readonly fromStar?: boolean;
}

class QueryPlanner {
  /** Set when the query joins: qualifiers then distinguish equally named columns in expression keys. */
  private keepQualifiers = false;

  /** Structural key with source qualifiers dropped from column references (kept in joins, where they matter). */
  private readonly normKey = (e: Expression): string => normKey(e, this.keepQualifiers);

  private from: FromPlan | undefined;
  constructor(
    private readonly q: Query,
    private readonly ctx: QueryContext,
  ) {}

  plan(): PlannedQuery {
    const q = this.q;
    const from = planFrom(
      q.from,
      this.ctx.catalog,
      (schema) => this.typer(schema),
      (e) => describe(e, ''),
    );
    this.from = from;
    this.keepQualifiers = from.keyAliases !== undefined;
    const source = from.sources[0]!.source;
    let node: LogicalPlan = from.node;

    const items = this.expandSelect(q.select, node.schema);
    const hasAggregates = items.some((it) => containsAggregate(it.expr)) || (q.having !== undefined && containsAggregate(q.having));
    const isAggregation = (q.groupBy?.length ?? 0) > 0 || hasAggregates;

    if (q.window && !isAggregation) throw new PlanError('WINDOW clause requires a GROUP BY clause.', q.window.pos);
    this.checkSources(from);
    if (q.window && isAggregation) this.rejectWindowBoundsOutsideSelect(items, node.schema.window !== undefined);
    if (q.where) {
      this.rejectWindowBounds(q.where, node.schema, 'WHERE');
      const typer = this.typer(node.schema, 'Aggregate functions are not allowed in WHERE.');
      const where = q.where;
      const predicate = this.inClause('WHERE', () => typer.boolean(where, 'WHERE expression'));
      node = { kind: 'Filter', input: node, predicate, slots: typer.slotCount, schema: node.schema, clause: 'WHERE' };
    }

    for (const it of items) this.checkTableFunctions(it.expr, null, null);
    // Table function calls anywhere in the projection (EXPLODE(A)->F too), except under
    // CASE or another table function, which ksqlDB rejects.
    const tableFns: Extract<Expression, { kind: 'FunctionCall' }>[] = [];
    for (const it of items) {
      walk(it.expr, (x) => {
        if (x.kind === 'SearchedCase' || x.kind === 'SimpleCase') return false;
        if (x.kind === 'FunctionCall' && getTableFunction(x.name) !== undefined) {
          tableFns.push(x);
          return false;
        }
        return true;
      });
    }
    const flatMapped = new Map<string, number>();
    if (tableFns.length > 0) {
      if (node.schema.isTable) throw new PlanError('Table source is not supported with table functions', q.pos);
      const typer = this.typer(node.schema);
      const functions: TableFunctionCall[] = [];
      const cols: RowColumn[] = [...node.schema.columns];
      for (const call of tableFns) {
        const key = exprKey(call);
        if (flatMapped.has(key)) continue;
        const fn = getTableFunction(call.name)!;
        const { shapes, typed } = typer.argShapes(call.args);
        const r = fn.resolve(shapes, this.ctx.properties);
        if (typeof r === 'string') throw new PlanError(r, call.pos);
        flatMapped.set(key, cols.length);
        cols.push({ name: `KSQL_SYNTH_${functions.length}`, type: r.returnType, qualifiers: [] });
        functions.push({ name: call.name, type: r.returnType, invoke: r.invoke, args: typed });
      }
      node = { kind: 'FlatMap', input: node, functions, slots: typer.slotCount, schema: { ...node.schema, columns: cols } };
    }
    const flatSpecial = (e: Expression): TypedExpression | undefined => {
      if (e.kind !== 'FunctionCall') return undefined;
      const idx = flatMapped.get(exprKey(e));
      if (idx === undefined) return undefined;
      const c = node.schema.columns[idx]!;
      return { kind: 'Column', type: c.type, index: idx, name: c.name };
    };

    if (isAggregation) return this.planAggregation(node, items, source, flatSpecial);
    if (q.having) throw new PlanError('HAVING requires a GROUP BY clause.', q.having.pos);
    return this.planSelect(node, items, source, flatSpecial);
  }

  /**
   * Rules on the query as a whole (ksqlDB's LogicalPlanner, PushQueryValidator and
   * Analyzer.validate): EMIT FINAL needs a windowed aggregation, persistent queries
   * may not read windowed tables, and KAFKA-format values cannot be grouped.
   */
  private checkSources(from: FromPlan): void {
    const q = this.q;
    if (q.emit === 'FINAL' && !(q.groupBy !== undefined && q.groupBy.length > 0 && q.window !== undefined)) {
      throw new PlanError('EMIT FINAL is only supported for windowed aggregations.', q.pos);
    }
    if (this.ctx.persistent && from.sources.some((s) => s.source.sourceType === 'TABLE' && s.source.window !== undefined)) {
      throw new PlanError('KSQL does not support persistent queries on windowed tables.', q.pos);
    }
    const kafka = from.sources.filter((s) => s.source.valueFormat.format === 'KAFKA').map((s) => s.alias);
    if (kafka.length > 0 && q.groupBy !== undefined && q.groupBy.length > 0) {
      throw new PlanError(
        `Source(s) ${kafka.join(', ')} are using the 'KAFKA' value format. This format does not yet support GROUP BY.\n${KAFKA_VALUE_FORMAT_LIMITATION}`,
        q.groupBy[0]!.pos,
      );
    }
  }

  /**
   * In a windowed aggregation the window bounds are results, not inputs: they may
   * appear in SELECT outside aggregate calls, but not in WHERE, GROUP BY, HAVING or
   * an aggregate's arguments (ksqlDB's AggregateAnalyzer).
   */
  private rejectWindowBoundsOutsideSelect(items: readonly NamedItem[], windowedSource: boolean): void {
    const q = this.q;
    const reject = (e: Expression): void =>
      walk(e, (x) => {
        if (x.kind === 'ColumnRef' && (x.name === PSEUDO.WINDOWSTART || x.name === PSEUDO.WINDOWEND)) {
          throw new PlanError(
            `Window bounds column ${x.name} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.\nSee https://github.com/confluentinc/ksql/issues/4397`,
            x.pos,
          );
        }
      });
    const inAggregates = (e: Expression): void =>
      walk(e, (x) => {
        if (x.kind !== 'FunctionCall' || !getAggregate(x.name) || getScalar(x.name)) return true;
        for (const a of x.args) reject(a);
        return false;
      });
    // Over an unwindowed source WHERE and GROUP BY cannot see the bounds at all (rejectWindowBounds).
    if (windowedSource) {
      if (q.where) reject(q.where);
      for (const g of q.groupBy ?? []) reject(g);
    }
    if (q.having) reject(q.having);
    for (const it of items) inAggregates(it.expr);
  }

  /**
   * ksqlDB's rules for table functions in a SELECT expression (Analyzer's
   * TableFunctionVisitor): not nested in one another, not with GROUP BY, and not
   * inside a searched CASE.
   */
  private checkTableFunctions(e: Expression, outerFn: string | null, inCase: Expression | null): void {
    let fn = outerFn;
    let caseExpr = inCase;
    if (e.kind === 'SearchedCase') caseExpr = e;
    if (e.kind === 'FunctionCall' && getTableFunction(e.name) !== undefined) {
      if (outerFn !== null) throw new PlanError(`Table functions cannot be nested: ${outerFn}(${e.name}())`, e.pos);
      if ((this.q.groupBy?.length ?? 0) > 0) throw new PlanError('Table functions cannot be used with aggregations.', e.pos);
      if (caseExpr !== null) throw new PlanError(`Table functions cannot be used in CASE: ${describe(caseExpr, '')}`, e.pos);
      fn = e.name;
    }
    for (const c of childrenOf(e)) this.checkTableFunctions(c, fn, caseExpr);
  }

  /**
   * Runs `fn` (typing one clause) and gives its errors ksqlDB's clause context: an
   * unknown column is "<CLAUSE> column 'X' cannot be resolved." (ColumnReferenceValidator),
   * and in WHERE/HAVING a type error gets FilterTypeValidator's "Error in WHERE
   * expression: " prefix.
   */
  private inClause<R>(clause: 'SELECT' | 'WHERE' | 'GROUP BY' | 'HAVING', fn: () => R): R {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
      const unknown = /^Column '(.*)' cannot be resolved\.$/.exec(err.message);
      if (unknown) throw new PlanError(`${clause} column '${unknown[1]}' cannot be resolved.`, err.position);
      const filter = clause === 'WHERE' || clause === 'HAVING';
      if (filter && /^(Cannot compare|Comparison with NULL|Error processing expression|Function '|Invalid Case|WHEN operand)/.test(err.message)) {
        throw new PlanError(`Error in ${clause} expression: ${err.message}`, err.position);
      }
      // Errors ksqlDB only finds when generating code carry the code generator's context.
      if ((clause === 'SELECT' || clause === 'WHERE') && /^(Cast of|invalid input syntax|operator does not exist)/.test(err.message)) {
        throw new PlanError(`Invalid ${clause === 'SELECT' ? 'Select' : 'Predicate'}: ${err.message}`, err.position);
      }
      throw err;
    }
  }

  private typer(schema: RowSchema, aggregateMessage?: string, special?: Scope['special']): ExpressionTyper {
    const columns: ScopeColumn[] = schema.columns.map((c, index) => ({ name: c.name, qualifiers: c.qualifiers, type: c.type, index }));
    const typer = new ExpressionTyper({ columns, types: this.ctx.catalog.types, special, aggregateMessage, config: this.ctx.properties });
    return typer;
  }

  /**
   * Expands `*` and `src.*` into column references, keeping positions. `repartitioned`:
   * after PARTITION BY of a join, the source columns (`ALIAS.NAME`) that became the
   * key, with the expression that computes them.
   */
  private expandSelect(select: readonly SelectItem[], schema: RowSchema, repartitioned?: ReadonlyMap<string, Expression>): NamedItem[] {
    const out: NamedItem[] = [];
    for (const item of select) {
      if (item.kind === 'SingleColumn') {
        out.push({ expr: item.expr, alias: item.alias, pos: item.pos });
        continue;
      }
      if (item.kind === 'StructAll') {
        const typer = this.typer(schema);
        const base = typer.type(item.base);
        if (base.type.kind !== 'STRUCT') throw new PlanError(`Expected STRUCT type for '->*', got ${base.type.kind}`, item.pos);
        for (const f of base.type.fields) {
          out.push({ expr: { kind: 'Dereference', base: item.base, field: f.name, pos: item.pos }, alias: f.name, pos: item.pos });
        }
        continue;
      }
      if (item.source !== undefined && !schema.columns.some((c) => c.qualifiers.includes(item.source!))) {
        throw new PlanError(`'${item.source}' is not a valid stream/table name or alias.`, item.pos);
      }
      if (this.from?.keyAliases) {
        // In a join, `*` and `s.*` name every column after its source: S_COL; a bare `*`
        // also selects a synthetic join key.
        if (repartitioned) {
          this.expandRepartitionedJoinStar(item.source, item.pos, repartitioned, out);
          continue;
        }
        if (item.source === undefined && this.from.synthetic) out.push({ expr: { kind: 'ColumnRef', name: this.from.keyName!, pos: item.pos }, pos: item.pos });
        for (const s of this.from.sources) {
          if (item.source !== undefined && item.source !== s.alias && item.source !== s.source.name) continue;
          // A windowed source's window bounds follow its key columns.
          const bounds = s.source.window ? [PSEUDO.WINDOWSTART, PSEUDO.WINDOWEND].map((name) => ({ name })) : [];
          for (const c of [...s.source.schema.key, ...bounds, ...s.source.schema.value]) {
            out.push({ expr: { kind: 'ColumnRef', source: s.alias, name: c.name, pos: item.pos }, alias: `${s.alias}_${c.name}`, pos: item.pos });
          }
        }
        continue;
      }
      schema.columns.forEach((c, i) => {
        const isKey = i < schema.key.length;
        if ((RESERVED_COLUMN_NAMES.has(c.name) && !isKey) || c.name.startsWith('KSQL_SYNTH_')) return;
        out.push({ expr: { kind: 'ColumnRef', name: c.name, pos: item.pos }, pos: item.pos, fromStar: isKey });
        // A transient SELECT * of a windowed source shows the window bounds after the key.
        if (i === schema.key.length - 1 && !this.ctx.persistent && schema.window) {
          for (const w of [PSEUDO.WINDOWSTART, PSEUDO.WINDOWEND]) out.push({ expr: { kind: 'ColumnRef', name: w, pos: item.pos }, pos: item.pos });
        }
      });
    }
    return out;
  }

  /**
   * `*` over a join that PARTITION BY re-keyed: ksqlDB's join schema, where every
   * source contributes its value columns, its system columns and its key columns,
   * named ALIAS_NAME; a column that became the new key is selected as the key.
   */
  private expandRepartitionedJoinStar(only: string | undefined, pos: SelectItem['pos'], moved: ReadonlyMap<string, Expression>, out: NamedItem[]): void {
    for (const s of this.from!.sources) {
      if (only !== undefined && only !== s.alias && only !== s.source.name) continue;
      const system = [PSEUDO.ROWTIME, PSEUDO.ROWPARTITION, PSEUDO.ROWOFFSET].map((name) => ({ name }));
      for (const c of [...s.source.schema.value, ...system, ...s.source.schema.key]) {
        const expr: Expression = moved.get(`${s.alias}.${c.name}`) ?? { kind: 'ColumnRef', source: s.alias, name: c.name, pos };
        out.push({ expr, alias: `${s.alias}_${c.name}`, pos });
      }
    }
  }

  private rejectWindowBounds(e: Expression, schema: RowSchema, clause: string): void {
    if (schema.window) return;
    walk(e, (x) => {
      if (x.kind === 'ColumnRef' && (x.name === PSEUDO.WINDOWSTART || x.name === PSEUDO.WINDOWEND)) {
        throw new PlanError(
          `Window bounds column ${x.name} can only be used in the SELECT clause of windowed aggregations and can not be used in ${clause}`,
          x.pos,
        );
      }
    });
  }

  /**
   * Names of output columns: alias, column name (SOURCE_NAME in joins when several
   * sources have it), else a generated name that no source column has: the field
   * name (field_n) for `struct->field`, KSQL_COL_n for other expressions.
   */
  private nameItems(items: readonly NamedItem[]): string[] {
    // Made at the first generated name: most projections (SELECT *, plain columns) need none.
    let generator: ColumnAliasGenerator | undefined;
    const names = () =>
      (generator ??= new ColumnAliasGenerator(
        (this.from?.sources ?? []).flatMap((s) => [...s.source.schema.key, ...s.source.schema.value].map((c) => c.name)),
      ));
    return items.map((it) => {
      if (it.alias) return it.alias;
      if (it.expr.kind === 'ColumnRef' && this.from?.keyAliases) return this.joinColumnName(it.expr);
      if (it.expr.kind === 'ColumnRef') return it.expr.name;
      if (it.expr.kind === 'Dereference') return names().forField(it.expr.field);
      return names().nextKsqlCol();
    });
  }

  /** A join column's output name: its own name when only one source has it, else SOURCE_NAME. */
  private joinColumnName(e: Extract<Expression, { kind: 'ColumnRef' }>): string {
    const sources = this.from!.sources;
    const having = RESERVED_COLUMN_NAMES.has(e.name)
      ? sources
      : sources.filter((s) => [...s.source.schema.key, ...s.source.schema.value].some((c) => c.name === e.name));
    if (having.length <= 1) return e.name;
    const owner = e.source !== undefined ? sources.find((s) => s.alias === e.source || s.source.name === e.source) : undefined;
    return `${owner?.alias ?? e.source ?? having[0]!.alias}_${e.name}`;
  }

  private checkReserved(items: readonly NamedItem[], names: readonly string[], windowed: boolean): void {
    if (!this.ctx.persistent) return;
    names.forEach((n, i) => {
      const it = items[i]!;
      if (!RESERVED_COLUMN_NAMES.has(n) || it.fromStar) return;
      if (it.alias) throw new PlanError(`\`${n}\` is a reserved column name. You cannot use it as an alias for a column.`, it.pos);
      if (windowed && (n === PSEUDO.WINDOWSTART || n === PSEUDO.WINDOWEND)) return;
      throw new PlanError(`Reserved column name in select: \`${n}\`. Please remove or alias the column.`, it.pos);
    });
  }

  private needInProjection(what: string, missing: readonly string[]): never {
    const plural = missing.length > 1;
    const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}` : missing[0];
    throw new PlanError(
      `The query used to build \`${this.ctx.sinkName ?? 'OUTPUT'}\` must include the ${what}${plural ? 's' : ''} ${list} in its projection (eg, SELECT ${missing.join(', ')}...).`,
      this.q.pos,
    );
  }

  private planSelect(
    input: LogicalPlan,
    items: readonly NamedItem[],
    source: DataSource,
    flatSpecial: (e: Expression) => TypedExpression | undefined,
  ): PlannedQuery {
    const q = this.q;
    let node = input;
    let special = flatSpecial;
    let partitionKeys: string[] | undefined;
    if (q.partitionBy) {
      const r = this.planPartitionBy(node, items, source, flatSpecial);
      node = r.node;
      items = r.items;
      special = r.special;
      partitionKeys = r.keyNames;
    }
    const names = this.nameItems(items);
    this.checkReserved(items, names, false);
    const typer = this.typer(node.schema, 'Aggregate functions require a GROUP BY clause.', special);
    for (const it of items) this.rejectWindowBoundsInSelect(it.expr, node.schema);
    const typed = this.inClause('SELECT', () => items.map((it) => typer.type(it.expr)));

    // Key columns of the input (source key, or the PARTITION BY key) that the projection carries.
    const inputKeys = node.schema.key.map((c) => node.schema.columns.findIndex((x) => x.name === c.name));
    const keyIdx: number[] = [];
    const keyCols: Column[] = [];
    const missing: string[] = [];
    const joinKey = partitionKeys === undefined && this.from?.keyAliases !== undefined;
    inputKeys.forEach((colIndex, k) => {
      // Join keys prefer ROWKEY, then the left join column, then the right one.
      const order = joinKey ? (this.from!.keyAliasesByKey?.[k] ?? this.from!.keyAliases!) : [colIndex];
      let at = -1;
      for (const a of order) {
        at = typed.findIndex((t, i) => !keyIdx.includes(i) && t.kind === 'Column' && t.index === a);
        if (at >= 0) break;
      }
      if (at < 0) {
        missing.push(partitionKeys?.[k] ?? node.schema.key[k]!.name);
        return;
      }
      keyIdx.push(at);
      keyCols.push({ name: names[at]!, type: typed[at]!.type, namespace: 'KEY' });
      const dups = typed
        .map((_t, i) => i)
        .filter((i) => i !== at && typed[i]!.kind === 'Column' && (typed[i] as { index: number }).index === (typed[at] as { index: number }).index);
      if (dups.length > 0 && this.ctx.persistent) {
        throw new PlanError(
          `The projection contains a key column (\`${names[at]}\`) more than once, aliased as: ${[at, ...dups]
            .map((i) => names[i])
            .sort()
            .join(' and ')}.`,
          q.pos,
        );
      }
      // A join's key is always the join key (ROWKEY), whichever side's column names it.
      if (joinKey) typed[at] = { kind: 'Column', type: typed[at]!.type, index: colIndex, name: names[at]! };
    });
    if (joinKey && missing.length > 0 && this.ctx.persistent) {
      const exprs = this.from!.joinExprs ?? [];
      const synthetic = this.from!.synthetic === true;
      const list = exprs.length > 1 ? `${exprs.slice(0, -1).join(', ')} or ${exprs[exprs.length - 1]}` : exprs[0];
      throw new PlanError(
        `${synthetic ? 'Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n' : ''}The query used to build \`${this.ctx.sinkName ?? 'OUTPUT'}\` must include the join expression${exprs.length > 1 ? 's' : ''} ${list} in its projection (eg, SELECT ${exprs[0]}...).${synthetic ? `\n${this.from!.keyName} was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased. ` : ''}`,
        q.pos,
      );
    }
    if (!this.ctx.persistent) {
      return this.project(node, items, names, typed, [], [], typer.slotCount, node.schema.window, false);
    }
    if (missing.length > 0) {
      const keyless = this.ctx.allowKeylessProjection === true && !node.schema.isTable && partitionKeys === undefined && keyIdx.length === 0;
      if (!keyless) {
        if (partitionKeys) this.needInProjection('partitioning expression', missing);
        this.needInProjection('key column', missing);
      }
    }
    return this.project(node, items, names, typed, keyIdx, keyCols, typer.slotCount, node.schema.window, false);
  }

  /**
   * PARTITION BY: the new key replaces the old one; the old key columns move to the
   * end of the value, and value columns used as the new key leave the value
   * (ksqlDB's repartition schema). `*` then expands against that schema.
   */
  private planPartitionBy(
    input: LogicalPlan,
    items: readonly NamedItem[],
    source: DataSource,
    flatSpecial: (e: Expression) => TypedExpression | undefined,
  ): { node: LogicalPlan; items: NamedItem[]; special: (e: Expression) => TypedExpression | undefined; keyNames: string[] } {
    const q = this.q;
    const pb = q.partitionBy!;
    if (input.schema.isTable) throw new PlanError('PARTITION BY is not supported on tables.', pb[0]?.pos ?? q.pos);
    if (input.schema.window)
      throw new PlanError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.', q.pos);
    if (pb.length === 0) throw new PlanError('PARTITION BY requires at least one expression', q.pos);
    const typer = this.typer(input.schema, 'Aggregate functions are not allowed in PARTITION BY.', flatSpecial);
    const isNullExpr = (e: Expression) => e.kind === 'Literal' && e.literalType === 'NULL';
    if (pb.length > 1 && pb.some(isNullExpr)) throw new PlanError('Cannot PARTITION BY multiple columns including NULL', pb.find(isNullExpr)!.pos);
    const isNull = pb.length === 1 && isNullExpr(pb[0]!);
    const keyExprs = isNull
      ? []
      : pb.map((e) => {
          try {
            return typer.type(e);
          } catch (err) {
            if (err instanceof PlanError && e.kind === 'ColumnRef') throw new PlanError(`PARTITION BY column '${e.name}' cannot be resolved.`, e.pos);
            throw err;
          }
        });
    keyExprs.forEach((k, i) => void checkKeyType(pb[i]!.kind === 'ColumnRef' ? (pb[i] as { name: string }).name : `KSQL_COL_${i}`, k.type, pb[i]!.pos));
    const cols = input.schema.columns;
    const movedIdx = new Set<number>();
    // Unaliased expressions are named like ksqlDB's: never a name the input already has.
    const generator = new ColumnAliasGenerator(cols.map((c) => c.name));
    const keyNames = isNull
      ? []
      : pb.map((e, i) => {
          const t = keyExprs[i]!;
          if (t.kind === 'Column' && e.kind === 'ColumnRef') {
            if (!RESERVED_COLUMN_NAMES.has(t.name)) movedIdx.add(t.index);
            return t.name;
          }
          const match = items.find((it) => it.alias && this.normKey(it.expr) === this.normKey(e));
          if (match) return match.alias!;
          if (e.kind === 'Dereference') return generator.forField(e.field);
          return generator.nextKsqlCol();
        });
    const keyCount = input.schema.key.length;
    const rowMap: number[] = [];
    const outCols: RowColumn[] = keyNames.map((n, i) => ({ name: n, type: keyExprs[i]!.type, qualifiers: cols[0]?.qualifiers ?? [] }));
    // Value columns (and table-function columns), then the old key columns, then pseudo columns.
    const valueIdx = cols.map((_c, i) => i).filter((i) => i >= keyCount && !RESERVED_COLUMN_NAMES.has(cols[i]!.name));
    const pseudoIdx = cols.map((_c, i) => i).filter((i) => i >= keyCount && RESERVED_COLUMN_NAMES.has(cols[i]!.name));
    const oldKeyIdx = cols.map((_c, i) => i).filter((i) => i < keyCount);
    for (const i of [...valueIdx, ...oldKeyIdx, ...pseudoIdx]) {
      if (movedIdx.has(i)) continue;
      const c = cols[i]!;
      if (outCols.some((o) => o.name === c.name && o.qualifiers.join('.') === c.qualifiers.join('.'))) continue;
      rowMap.push(i);
      outCols.push(cols[i]!);
    }
    const keyCols: Column[] = keyNames.map((n, i) => ({ name: n, type: keyExprs[i]!.type, namespace: 'KEY' }));
    const schema: RowSchema = { columns: outCols, key: keyCols, isTable: false };
    const node: LogicalPlan = { kind: 'SelectKey', input, keyExprs, rowMap, slots: typer.slotCount, schema };
    const pbKeys = pb.map(this.normKey);
    const special = (e: Expression): TypedExpression | undefined => {
      const k = pbKeys.indexOf(this.normKey(e));
      if (k >= 0 && !isNull) return { kind: 'Column', type: keyCols[k]!.type, index: k, name: keyCols[k]!.name };
      return flatSpecial(e);
    };
    void source;
    // After a join, `*` names the source columns that became the key (ALIAS.NAME).
    let moved: Map<string, Expression> | undefined;
    if (this.from?.keyAliases) {
      moved = new Map();
      keyExprs.forEach((t, i) => {
        if (t.kind !== 'Column' || pb[i]!.kind !== 'ColumnRef') return;
        const alias = this.from!.sources.find((s) => cols[t.index]!.qualifiers.includes(s.alias))?.alias;
        if (alias !== undefined) moved!.set(`${alias}.${t.name}`, pb[i]!);
      });
    }
    return { node, items: this.expandSelect(q.select, schema, moved), special, keyNames: pb.map((e) => describe(e, source.name)) };
  }

  private rejectWindowBoundsInSelect(e: Expression, schema: RowSchema): void {
    if (schema.window) return;
    walk(e, (x) => {
      if (x.kind === 'ColumnRef' && (x.name === PSEUDO.WINDOWSTART || x.name === PSEUDO.WINDOWEND)) {
        throw new PlanError(
          `Window bounds column ${x.name} can only be used in the SELECT clause of windowed aggregations and can not be used in SELECT`,
          x.pos,
        );
      }
    });
  }

  private checkDuplicateKeys(items: readonly NamedItem[], names: readonly string[], keyIdx: readonly number[], exprs: readonly Expression[]): void {
    if (!this.ctx.persistent) return;
    for (const e of exprs) {
      const k = this.normKey(e);
      const all = items.map((_it, i) => i).filter((i) => this.normKey(items[i]!.expr) === k);
      if (all.length > 1) {
        throw new PlanError(
          `The projection contains a key column (\`${names[all[0]!]}\`) more than once, aliased as: ${all.map((i) => names[i]).join(' and ')}.`,
          this.q.pos,
        );
      }
    }
    void keyIdx;
  }

  private project(
    input: LogicalPlan,
    items: readonly NamedItem[],
    names: readonly string[],
    typed: readonly TypedExpression[],
    keyIdx: readonly number[],
    keyCols: readonly Column[],
    slots: number,
    window: PlannedQuery['window'],
    emitFinal: boolean,
  ): PlannedQuery {
    typed.forEach((t, i) => {
      if (isNullLiteral(t))
        throw new PlanError(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`, items[i]!.pos);
    });
    const valueIdx = items.map((_, i) => i).filter((i) => !keyIdx.includes(i));
    const valueCols: Column[] = valueIdx.map((i) => ({ name: names[i]!, type: typed[i]!.type, namespace: 'VALUE' }));
    const seen = new Set<string>();
    for (const c of [...keyCols, ...valueCols]) {
      if (seen.has(c.name)) {
        // ksqlDB's LogicalSchema builder names the namespace of the second column.
        throw new PlanError(`Duplicate ${c.namespace === 'KEY' ? 'key' : 'value'} columns found in schema: \`${c.name}\` ${formatType(c.type)}`, this.q.pos);
      }
      seen.add(c.name);
    }
    if (this.ctx.persistent && valueCols.length === 0) {
      throw new PlanError('The projection contains no value columns.', this.q.pos);
    }
    const sinkQual = this.ctx.sinkName ? [this.ctx.sinkName] : [];
    const schema: RowSchema = {
      columns: [...keyCols, ...valueCols].map((c) => ({ name: c.name, type: c.type, qualifiers: sinkQual })),
      key: keyCols,
      isTable: input.schema.isTable,
      window,
    };
    let plan: LogicalPlan = {
      kind: 'Project',
      input,
      keyExprs: keyIdx.map((i) => typed[i]!),
      valueExprs: valueIdx.map((i) => typed[i]!),
      slots,
      schema,
    };
    if (emitFinal && window && window.kind !== 'SOURCE') plan = { kind: 'Suppress', input: plan, window, schema };
    return {
      plan,
      output: { key: keyCols, value: valueCols },
      isTable: input.schema.isTable,
      window,
      sources: sourcesOf(input),
      emitFinal,
    };
  }

  private planAggregation(
    input: LogicalPlan,
    items: readonly NamedItem[],
    source: DataSource,
    flatSpecial: (e: Expression) => TypedExpression | undefined,
  ): PlannedQuery {
    const q = this.q;
    if (q.partitionBy) throw new PlanError('PARTITION BY and GROUP BY in the same query are not supported.', q.partitionBy[0]?.pos ?? q.pos);
    const groupBy = q.groupBy ?? [];
    if (groupBy.length === 0) {
      // ksqlDB groups such a query by a constant: a plain column is then ungrouped.
      const loose: string[] = [];
      for (const it of items) {
        walk(it.expr, (x) => {
          if (x.kind === 'FunctionCall' && getAggregate(x.name) && !getScalar(x.name)) return false;
          if (x.kind === 'ColumnRef') loose.push(describe(x, source.name));
          return true;
        });
      }
      if (loose.length > 0) {
        throw new PlanError(
          `Non-aggregate SELECT expression(s) not part of GROUP BY: ${[...new Set(loose)].join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
          q.pos,
        );
      }
      throw new NotImplementedError('Aggregations without GROUP BY are not supported yet.', q.pos);
    }
    const inTyper = this.typer(input.schema, undefined, flatSpecial);
    const seenGroups = new Set<string>();
    for (const g of groupBy) {
      if (seenGroups.has(this.normKey(g))) throw new PlanError(`Duplicate GROUP BY expression: ${describe(g, source.name)}`, g.pos);
      seenGroups.add(this.normKey(g));
    }
    for (const g of groupBy) {
      walk(g, (x) => {
        if (x.kind === 'FunctionCall' && getAggregate(x.name) && !getScalar(x.name)) {
          throw new PlanError(`GROUP BY does not support aggregate functions: ${x.name} is an aggregate function.`, x.pos);
        }
      });
      this.rejectWindowBounds(g, input.schema, 'GROUP BY');
    }
    const groupTyped = this.inClause('GROUP BY', () => groupBy.map((g) => inTyper.type(g)));
    groupTyped.forEach((g, i) => void checkKeyType(groupKeyName(groupBy[i]!, i), g.type, groupBy[i]!.pos));

    // Aggregate calls in SELECT and HAVING, each computed once.
    const aggIndex = new Map<string, number>();
    const aggregates: AggregateCall[] = [];
    const collect = (e: Expression): void =>
      walk(e, (x) => {
        if (x.kind !== 'FunctionCall' || !getAggregate(x.name) || getScalar(x.name)) return true;
        const key = exprKey(x);
        if (!aggIndex.has(key)) {
          const fn = getAggregate(x.name)!;
          for (const a of x.args)
            walk(a, (y) => {
              if (y.kind === 'FunctionCall' && getAggregate(y.name) && !getScalar(y.name)) {
                throw new PlanError(`Aggregate functions can not be nested: ${x.name}(${y.name}())`, y.pos);
              }
            });
          const { shapes, typed } = inTyper.argShapes(x.args);
          const r = fn.resolve(shapes, this.ctx.properties);
          if (typeof r === 'string') throw new PlanError(r, x.pos);
          const it = r.intermediateType;
          if (
            it &&
            ['STRUCT', 'ARRAY', 'MAP'].includes(it.kind) &&
            formatNamed(this.ctx.sinkValueFormat ?? sourcesOf(input)[0]!.valueFormat.format)?.holdsNestedAggregateState === false
          ) {
            throw new PlanError(
              'One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.',
              x.pos,
            );
          }
          if (input.schema.isTable && !r.undo) {
            throw new PlanError(`The aggregation function ${x.name} cannot be applied to a table source, only to a stream source.`, x.pos);
          }
          const args = typed.map((a, i) => {
            const want = r.argTypes?.[i];
            return want && a.kind !== 'Lambda' ? inTyper.coerce(a, want, x.args[i]!.pos) : a;
          });
          aggIndex.set(key, aggregates.length);
          aggregates.push({ name: x.name, fn: r, args, type: r.returnType });
        }
        return false;
      });
    this.inClause('SELECT', () => items.forEach((it) => void collect(it.expr)));
    if (q.having) {
      const having = q.having;
      this.inClause('HAVING', () => collect(having));
    }
    if (aggregates.length === 0 && this.ctx.persistent) {
      throw new PlanError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.', q.pos);
    }

    // Key column names come from the projection.
    const names = this.nameItems(items);
    const keyIdx: number[] = [];
    const keyCols: Column[] = [];
    const missing: string[] = [];
    groupBy.forEach((g, i) => {
      const k = this.normKey(g);
      const at = items.findIndex((it) => this.normKey(it.expr) === k);
      if (at < 0) {
        missing.push(describe(g, source.name));
        keyCols.push({ name: groupKeyName(g, i), type: groupTyped[i]!.type, namespace: 'KEY' });
        return;
      }
      if (keyIdx.includes(at)) throw new PlanError(`The projection contains a key column more than once.`, q.pos);
      keyIdx.push(at);
      keyCols.push({ name: names[at]!, type: groupTyped[i]!.type, namespace: 'KEY' });
    });
    if (missing.length > 0 && this.ctx.persistent) this.needInProjection('grouping expression', missing);
    this.checkDuplicateKeys(items, names, keyIdx, groupBy);

    const window = q.window ? windowSpec(q.window, q.emit === 'FINAL') : undefined;
    if (window && input.schema.isTable) throw new PlanError('Windowed aggregation is not supported on tables.', q.window!.pos);
    const aggCols: RowColumn[] = [
      ...keyCols.map((c) => ({ name: c.name, type: c.type, qualifiers: [] as string[] })),
      ...aggregates.map((a, i) => ({ name: `KSQL_AGG_VARIABLE_${i}`, type: a.type, qualifiers: [] as string[] })),
      ...(window
        ? [
            { name: PSEUDO.WINDOWSTART, type: T.BIGINT, qualifiers: [] as string[] },
            { name: PSEUDO.WINDOWEND, type: T.BIGINT, qualifiers: [] as string[] },
          ]
        : []),
    ];
    const aggSchema: RowSchema = { columns: aggCols, key: keyCols, isTable: true, window };
    let node: LogicalPlan = { kind: 'Aggregate', input, groupBy: groupTyped, window, aggregates, slots: inTyper.slotCount, schema: aggSchema };

    const groupKeys = groupBy.map(this.normKey);
    const nonAgg: string[] = [];
    const special = (e: Expression): TypedExpression | undefined => {
      if (e.kind === 'FunctionCall') {
        const ai = aggIndex.get(exprKey(e));
        if (ai !== undefined) return { kind: 'Column', type: aggregates[ai]!.type, index: keyCols.length + ai, name: `KSQL_AGG_VARIABLE_${ai}` };
      }
      const gi = groupKeys.indexOf(this.normKey(e));
      if (gi >= 0) return { kind: 'Column', type: groupTyped[gi]!.type, index: gi, name: keyCols[gi]!.name };
      if (e.kind === 'ColumnRef' && (e.name === PSEUDO.WINDOWSTART || e.name === PSEUDO.WINDOWEND)) {
        if (!window) throw new PlanError(`Window bounds column ${e.name} can only be used in the SELECT clause of windowed aggregations`, e.pos);
        const idx = aggCols.findIndex((c) => c.name === e.name);
        return { kind: 'Column', type: T.BIGINT, index: idx, name: e.name };
      }
      if (e.kind === 'ColumnRef') {
        inTyper.type(e); // an unknown column is reported as such, not as ungrouped
        nonAgg.push(describe(e, source.name));
        return { kind: 'Literal', type: T.STRING, value: null };
      }
      return undefined;
    };
    const outTyper = new ExpressionTyper({ columns: [], types: this.ctx.catalog.types, special, config: this.ctx.properties });
    // A column outside GROUP BY types as a STRING placeholder; whatever error that
    // causes, the error to report is that the column is not grouped.
    const grouped = <R>(fn: () => R, report: () => never): R => {
      let r: R;
      try {
        r = fn();
      } catch (err) {
        if (err instanceof PlanError && nonAgg.length > 0) report();
        throw err;
      }
      if (nonAgg.length > 0) report();
      return r;
    };
    if (q.having) {
      const having = q.having;
      const predicate = grouped(
        () => this.inClause('HAVING', () => outTyper.boolean(having, 'HAVING expression')),
        () => {
          throw new PlanError(
            `Non-aggregate HAVING expression not part of GROUP BY: ${[...new Set(nonAgg)].join(', ')}\nConsider switching the HAVING clause to a WHERE clause before the GROUP BY.`,
            having.pos,
          );
        },
      );
      node = { kind: 'Filter', input: node, predicate, slots: outTyper.slotCount, schema: aggSchema, clause: 'HAVING' };
    }
    this.checkReserved(items, names, window !== undefined);
    const typed = grouped(
      () => this.inClause('SELECT', () => items.map((it) => outTyper.type(it.expr))),
      () => {
        throw new PlanError(
          `Non-aggregate SELECT expression(s) not part of GROUP BY: ${[...new Set(nonAgg)].join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
          q.pos,
        );
      },
    );
    if (!this.ctx.persistent) return this.project(node, items, names, typed, [], [], outTyper.slotCount, window, q.emit === 'FINAL');
    return this.project(node, items, names, typed, keyIdx, keyCols, outTyper.slotCount, window, q.emit === 'FINAL');
  }
}

function containsAggregate(e: Expression): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.kind === 'FunctionCall' && getAggregate(x.name) && !getScalar(x.name)) found = true;
    return !found;
  });
  return found;
}

/** Structural key of an expression, without positions; source qualifiers of column references kept only when `keepQualifiers`. */
function normKey(e: Expression, keepQualifiers: boolean): string {
  return JSON.stringify(e, (k, v) => (k === 'pos' || (k === 'source' && !keepQualifiers) ? undefined : v));
}

function groupKeyName(e: Expression, i: number): string {
  return e.kind === 'ColumnRef' ? e.name : `KSQL_COL_${i}`;
}

function describe(e: Expression, sourceName: string): string {
  if (e.kind === 'ColumnRef') return (e.source ?? sourceName) ? `${e.source ?? sourceName}.${e.name}` : e.name;
  try {
    return formatExpression(e);
  } catch {
    return '<expression>';
  }
}

/** The state store Kafka Streams names in its window-retention errors (ksqlDB's aggregate store). */
const AGGREGATE_STORE = 'Aggregate-Aggregate-Materialize';

/**
 * Durations of a WINDOW clause in ms, with ksqlDB's defaults: grace 24 hours, or 0
 * with EMIT FINAL (final results are due when the window ends). Rejects what Kafka
 * Streams' TimeWindows / SessionWindows and window stores reject, with their
 * messages: a size, advance or gap that is not positive, an advance larger than the
 * size, and an explicit RETENTION shorter than size (or gap) plus grace.
 */
export function windowSpec(w: WindowExpression, emitFinal = false): WindowSpec {
  const grace = w.grace?.ms ?? (emitFinal ? 0 : DEFAULT_GRACE_MS);
  switch (w.kind) {
    case 'Tumbling':
    case 'Hopping': {
      const size = w.size.ms;
      if (size <= 0) throw new PlanError('Window size (sizeMs) must be larger than zero.', w.pos);
      const advance = w.kind === 'Hopping' ? w.advance.ms : size;
      if (advance <= 0 || advance > size) {
        throw new PlanError(
          `Window advancement interval should be more than zero and less than window duration which is ${size} ms, but given advancement interval is: ${advance} ms`,
          w.pos,
        );
      }
      const retention = w.retention?.ms;
      if (retention !== undefined && size + grace > retention) {
        throw new PlanError(
          `The retention period of the window store ${AGGREGATE_STORE} must be no smaller than its window size plus the grace period. Got size=[${size}], grace=[${grace}], retention=[${retention}]`,
          w.retention?.pos ?? w.pos,
        );
      }
      const retentionMs = retention ?? size + grace;
      return w.kind === 'Tumbling'
        ? { kind: 'TUMBLING', sizeMs: size, graceMs: grace, retentionMs }
        : { kind: 'HOPPING', sizeMs: size, advanceMs: advance, graceMs: grace, retentionMs };
    }
    case 'Session': {
      const gap = w.gap.ms;
      if (gap <= 0) throw new PlanError('Gap time cannot be zero or negative.', w.pos);
      const retention = w.retention?.ms;
      if (retention !== undefined && gap + grace > retention) {
        throw new PlanError(
          `The retention period of the session store ${AGGREGATE_STORE} must be no smaller than the session inactivity gap plus the grace period. Got gap=[${gap}], grace=[${grace}], retention=[${retention}]`,
          w.retention?.pos ?? w.pos,
        );
      }
      return { kind: 'SESSION', gapMs: gap, graceMs: grace, retentionMs: retention ?? gap + grace };
    }
    default:
      return assertNever(w, 'window expression');
  }
}
