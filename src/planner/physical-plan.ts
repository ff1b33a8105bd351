import { assertNever } from '../common/assert.js';
import type { DataSource } from './data-source.js';
import type { AggregateCall, JoinSpec, LogicalPlan, RowSchema, TableFunctionCall, WindowSpec } from './logical-plan.js';
import type { TypedExpression } from './typed-expression.js';

/**
 * One step of a physical plan, named after ksqlDB's execution steps. `inputs`
 * are indices of earlier steps (none for sources, two for joins: left, right).
 * Every step declares the schema it emits.
 */
export type PhysicalStep = { readonly inputs: readonly number[]; readonly schema: RowSchema } & (
  | { readonly kind: 'StreamSource' | 'TableSource'; readonly source: DataSource; readonly trackOld: boolean }
  | { readonly kind: 'StreamFilter' | 'TableFilter'; readonly predicate: TypedExpression }
  | { readonly kind: 'StreamFlatMap'; readonly functions: readonly TableFunctionCall[] }
  | { readonly kind: 'StreamSelectKey'; readonly keyExprs: readonly TypedExpression[]; readonly rowMap: readonly number[] }
  | { readonly kind: 'StreamAggregate' | 'TableAggregate'; readonly groupBy: readonly TypedExpression[]; readonly aggregates: readonly AggregateCall[] }
  | {
      readonly kind: 'StreamWindowedAggregate';
      readonly window: WindowSpec;
      readonly groupBy: readonly TypedExpression[];
      readonly aggregates: readonly AggregateCall[];
    }
  | { readonly kind: 'StreamSelect' | 'TableSelect'; readonly keyExprs: readonly TypedExpression[]; readonly valueExprs: readonly TypedExpression[] }
  | { readonly kind: 'TableSuppress'; readonly window: WindowSpec }
  | {
      readonly kind: 'StreamStreamJoin' | 'StreamTableJoin' | 'TableTableJoin' | 'ForeignKeyTableTableJoin';
      readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
      readonly spec: JoinSpec;
      readonly leftKey: TypedExpression;
      readonly rightKey: TypedExpression;
    }
  | { readonly kind: 'StreamSink' | 'TableSink'; readonly target: DataSource }
);

/** A versioned physical plan: steps in dependency order; the last one is the sink (or the output). */
export interface PhysicalPlan {
  readonly version: 1;
  readonly steps: readonly PhysicalStep[];
}

/** Lowers a logical plan to physical steps, choosing stream or table variants. */
export function toPhysical(plan: LogicalPlan): PhysicalPlan {
  const steps: PhysicalStep[] = [];
  const visit = (p: LogicalPlan, trackOld: boolean): number => {
    const schema = p.schema;
    switch (p.kind) {
      case 'Source':
        steps.push({ kind: schema.isTable ? 'TableSource' : 'StreamSource', source: p.source, trackOld, schema, inputs: [] });
        break;
      case 'Filter': {
        const input = visit(p.input, trackOld);
        steps.push({ kind: p.input.schema.isTable ? 'TableFilter' : 'StreamFilter', predicate: p.predicate, schema, inputs: [input] });
        break;
      }
      case 'FlatMap': {
        const input = visit(p.input, trackOld);
        steps.push({ kind: 'StreamFlatMap', functions: p.functions, schema, inputs: [input] });
        break;
      }
      case 'SelectKey': {
        const input = visit(p.input, trackOld);
        steps.push({ kind: 'StreamSelectKey', keyExprs: p.keyExprs, rowMap: p.rowMap, schema, inputs: [input] });
        break;
      }
      case 'Aggregate': {
        const input = visit(p.input, p.input.schema.isTable);
        if (p.window) steps.push({ kind: 'StreamWindowedAggregate', window: p.window, groupBy: p.groupBy, aggregates: p.aggregates, schema, inputs: [input] });
        else
          steps.push({
            kind: p.input.schema.isTable ? 'TableAggregate' : 'StreamAggregate',
            groupBy: p.groupBy,
            aggregates: p.aggregates,
            schema,
            inputs: [input],
          });
        break;
      }
      case 'Project': {
        const input = visit(p.input, trackOld);
        steps.push({ kind: schema.isTable ? 'TableSelect' : 'StreamSelect', keyExprs: p.keyExprs, valueExprs: p.valueExprs, schema, inputs: [input] });
        break;
      }
      case 'Suppress': {
        const input = visit(p.input, trackOld);
        steps.push({ kind: 'TableSuppress', window: p.window, schema, inputs: [input] });
        break;
      }
      case 'Join': {
        const left = visit(p.left, false);
        const right = visit(p.right, false);
        const kind = (
          {
            STREAM_STREAM: 'StreamStreamJoin',
            STREAM_TABLE: 'StreamTableJoin',
            TABLE_TABLE: 'TableTableJoin',
            TABLE_TABLE_FK: 'ForeignKeyTableTableJoin',
          } as const
        )[p.spec.kind];
        steps.push({ kind, joinType: p.joinType, spec: p.spec, leftKey: p.leftKey, rightKey: p.rightKey, schema, inputs: [left, right] });
        break;
      }
      case 'Sink': {
        const input = visit(p.input, trackOld);
        steps.push({ kind: schema.isTable ? 'TableSink' : 'StreamSink', target: p.target, schema, inputs: [input] });
        break;
      }
      default:
        assertNever(p, 'logical plan');
    }
    return steps.length - 1;
  };
  visit(plan, false);
  return { version: 1, steps };
}
