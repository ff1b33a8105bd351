import type { SqlType } from '../common/types.js';
import type { ResolvedAggregate } from '../functions/define/function-types.js';
import type { DataSource } from './data-source.js';
import type { Column } from './schema.js';
import type { TypedExpression } from './typed-expression.js';
import type { WindowType } from '../common/windows.js';

/**
 * The columns of the rows one plan node emits. Expressions under the node's parent
 * index into `columns`. `key` describes the record key the node emits (a separate
 * array of values); `isTable` says whether records are upserts (a changelog).
 */
export interface RowSchema {
  readonly columns: readonly RowColumn[];
  readonly key: readonly Column[];
  readonly isTable: boolean;
  /** Set when records carry a window (windowed aggregation or windowed source). */
  readonly window?: WindowSpec | { readonly kind: 'SOURCE'; readonly type: WindowType; readonly sizeMs?: number };
}

export interface RowColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Source names/aliases that may qualify the column. */
  readonly qualifiers: readonly string[];
}

/**
 * The fields of each kind of window clause, by {@link WindowType}. Indexed by
 * every WindowType below, so a new window kind does not compile until it has
 * an entry here.
 */
interface WindowSpecFields {
  readonly TUMBLING: { readonly sizeMs: number; readonly graceMs: number; readonly retentionMs: number };
  readonly HOPPING: { readonly sizeMs: number; readonly advanceMs: number; readonly graceMs: number; readonly retentionMs: number };
  readonly SESSION: { readonly gapMs: number; readonly graceMs: number; readonly retentionMs: number };
}

/** A window clause with all durations in milliseconds (grace and retention defaulted); `kind` is its WindowType. */
export type WindowSpec = { readonly [K in WindowType]: { readonly kind: K } & WindowSpecFields[K] }[WindowType];

/** One aggregate call: its resolved implementation and typed arguments over the input row. */
export interface AggregateCall {
  readonly name: string;
  readonly fn: ResolvedAggregate;
  readonly args: readonly TypedExpression[];
  readonly type: SqlType;
}

export interface TableFunctionCall {
  readonly name: string;
  readonly type: SqlType;
  readonly invoke: (args: unknown[]) => unknown[];
  readonly args: readonly TypedExpression[];
}

/** How two inputs are joined; durations in ms. Grace undefined = ksqlDB's legacy eager outer results. */
export type JoinSpec =
  | { readonly kind: 'STREAM_STREAM'; readonly beforeMs: number; readonly afterMs: number; readonly graceMs?: number }
  | { readonly kind: 'STREAM_TABLE' }
  | { readonly kind: 'TABLE_TABLE' }
  /** Left table's column (not its key) = right table's key; output keyed by the left key. */
  | { readonly kind: 'TABLE_TABLE_FK' };

/**
 * The logical plan of one query: a tree (here, a chain) of relational nodes.
 * Every node declares the schema it emits.
 */
export type LogicalPlan =
  | { readonly kind: 'Source'; readonly source: DataSource; readonly alias: string; readonly schema: RowSchema }
  | {
      readonly kind: 'Filter';
      readonly input: LogicalPlan;
      readonly predicate: TypedExpression;
      readonly slots: number;
      readonly schema: RowSchema;
      readonly clause: 'WHERE' | 'HAVING';
    }
  | {
      readonly kind: 'FlatMap';
      readonly input: LogicalPlan;
      readonly functions: readonly TableFunctionCall[];
      readonly slots: number;
      readonly schema: RowSchema;
    }
  | {
      readonly kind: 'SelectKey';
      readonly input: LogicalPlan;
      readonly keyExprs: readonly TypedExpression[];
      /** Input row indices that follow the new key columns in the output row. */
      readonly rowMap: readonly number[];
      readonly slots: number;
      readonly schema: RowSchema;
    }
  | {
      readonly kind: 'Aggregate';
      readonly input: LogicalPlan;
      readonly groupBy: readonly TypedExpression[];
      readonly window?: WindowSpec;
      readonly aggregates: readonly AggregateCall[];
      readonly slots: number;
      readonly schema: RowSchema;
    }
  | {
      readonly kind: 'Project';
      readonly input: LogicalPlan;
      readonly keyExprs: readonly TypedExpression[];
      readonly valueExprs: readonly TypedExpression[];
      readonly slots: number;
      readonly schema: RowSchema;
    }
  | { readonly kind: 'Suppress'; readonly input: LogicalPlan; readonly window: WindowSpec; readonly schema: RowSchema }
  | { readonly kind: 'Sink'; readonly input: LogicalPlan; readonly target: DataSource; readonly schema: RowSchema }
  | {
      readonly kind: 'Join';
      readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
      readonly spec: JoinSpec;
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      /** Join key over the left input's row / the right input's row. */
      readonly leftKey: TypedExpression;
      readonly rightKey: TypedExpression;
      /** Row: join key (ROWKEY), then the left row, then the right row. */
      readonly schema: RowSchema;
    };

/** The direct inputs of a plan node (none for a source, two for a join). */
export function inputsOf(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case 'Source':
      return [];
    case 'Join':
      return [p.left, p.right];
    default:
      return [p.input];
  }
}

/** Every source a plan reads, left to right. */
export function sourcesOf(p: LogicalPlan): DataSource[] {
  return p.kind === 'Source' ? [p.source] : inputsOf(p).flatMap(sourcesOf);
}
