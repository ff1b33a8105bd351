import { assertNever } from '../common/assert.js';
import { formatType } from '../common/types.js';
import type { DataSource } from './data-source.js';
import type { AggregateCall, LogicalPlan, RowSchema, TableFunctionCall, WindowSpec } from './logical-plan.js';
import type { TypedExpression } from './typed-expression.js';

/**
 * One step of a physical plan, named after ksqlDB's execution steps. A query's
 * physical plan is a chain from one source step to one sink (or to the client for
 * transient queries). Every step declares the schema it emits.
 */
export type PhysicalStep =
  | { readonly kind: 'StreamSource' | 'TableSource'; readonly source: DataSource; readonly trackOld: boolean; readonly schema: RowSchema }
  | { readonly kind: 'StreamFilter' | 'TableFilter'; readonly predicate: TypedExpression; readonly schema: RowSchema }
  | { readonly kind: 'StreamFlatMap'; readonly functions: readonly TableFunctionCall[]; readonly schema: RowSchema }
  | { readonly kind: 'StreamSelectKey'; readonly keyExprs: readonly TypedExpression[]; readonly rowMap: readonly number[]; readonly schema: RowSchema }
  | {
      readonly kind: 'StreamAggregate' | 'TableAggregate';
      readonly groupBy: readonly TypedExpression[];
      readonly aggregates: readonly AggregateCall[];
      readonly schema: RowSchema;
    }
  | {
      readonly kind: 'StreamWindowedAggregate';
      readonly window: WindowSpec;
      readonly groupBy: readonly TypedExpression[];
      readonly aggregates: readonly AggregateCall[];
      readonly schema: RowSchema;
    }
  | {
      readonly kind: 'StreamSelect' | 'TableSelect';
      readonly keyExprs: readonly TypedExpression[];
      readonly valueExprs: readonly TypedExpression[];
      readonly schema: RowSchema;
    }
  | { readonly kind: 'TableSuppress'; readonly window: WindowSpec; readonly schema: RowSchema }
  | { readonly kind: 'StreamSink' | 'TableSink'; readonly target: DataSource; readonly schema: RowSchema };

/** A versioned physical plan: steps from source to sink. */
export interface PhysicalPlan {
  readonly version: 1;
  readonly steps: readonly PhysicalStep[];
}

/** Lowers a logical plan to physical steps, choosing stream or table variants. */
export function toPhysical(plan: LogicalPlan): PhysicalPlan {
  const steps: PhysicalStep[] = [];
  const needsOld = hasTableAggregate(plan);
  const visit = (p: LogicalPlan): void => {
    if (p.kind !== 'Source') visit(p.input);
    switch (p.kind) {
      case 'Source':
        steps.push({ kind: p.schema.isTable ? 'TableSource' : 'StreamSource', source: p.source, trackOld: needsOld, schema: p.schema });
        return;
      case 'Filter':
        steps.push({ kind: p.input.schema.isTable ? 'TableFilter' : 'StreamFilter', predicate: p.predicate, schema: p.schema });
        return;
      case 'FlatMap':
        steps.push({ kind: 'StreamFlatMap', functions: p.functions, schema: p.schema });
        return;
      case 'SelectKey':
        steps.push({ kind: 'StreamSelectKey', keyExprs: p.keyExprs, rowMap: p.rowMap, schema: p.schema });
        return;
      case 'Aggregate':
        if (p.window) steps.push({ kind: 'StreamWindowedAggregate', window: p.window, groupBy: p.groupBy, aggregates: p.aggregates, schema: p.schema });
        else steps.push({ kind: p.input.schema.isTable ? 'TableAggregate' : 'StreamAggregate', groupBy: p.groupBy, aggregates: p.aggregates, schema: p.schema });
        return;
      case 'Project':
        steps.push({ kind: p.schema.isTable ? 'TableSelect' : 'StreamSelect', keyExprs: p.keyExprs, valueExprs: p.valueExprs, schema: p.schema });
        return;
      case 'Suppress':
        steps.push({ kind: 'TableSuppress', window: p.window, schema: p.schema });
        return;
      case 'Sink':
        steps.push({ kind: p.schema.isTable ? 'TableSink' : 'StreamSink', target: p.target, schema: p.schema });
        return;
      default:
        assertNever(p, 'logical plan');
    }
  };
  visit(plan);
  return { version: 1, steps };
}

function hasTableAggregate(p: LogicalPlan): boolean {
  for (let n: LogicalPlan = p; ; n = n.input) {
    if (n.kind === 'Aggregate' && n.input.schema.isTable) return true;
    if (n.kind === 'Source') return false;
  }
}

/** Total number of lambda slots a chain needs (max over nodes). */
export function schemaText(s: RowSchema): string {
  return s.columns.map((c) => `${c.name} ${formatType(c.type)}`).join(', ');
}
