import { assertNever } from '../../common/assert.js';
import type { PhysicalPlan, PhysicalStep } from '../../planner/physical-plan.js';
import type { TypedExpression } from '../../planner/typed-expression.js';

/**
 * Whether a query's partitions can be processed by different servers: true when
 * every record's effect depends only on its own partition's records and on state
 * kept in changelogged stores. That holds for stateless queries and for
 * aggregations grouped by (at least) every key column of their source with only
 * filters in between, so equal group keys stay in one partition. Everything else
 * runs on one server of the service: joins with tables keep the table rows in
 * memory, and stream-stream joins and EMIT FINAL have one clock (stream time) per query. An aggregation grouped by other columns is independent once its input
 * is repartitioned by the group key: pass its index as `repartitioned`.
 */
export function partitionsIndependent(plan: PhysicalPlan, repartitioned?: number): boolean {
  const steps = plan.steps;
  for (let i = 0; i < steps.length; i++) if (i !== repartitioned && !stepIndependent(steps[i]!, steps)) return false;
  return true;
}

/**
 * The stream aggregation whose input must go through a repartition topic for the
 * query's partitions to be independent: the only stateful step of the plan, a
 * stream GROUP BY (windowed or not) that does not keep its source's key.
 * Undefined when no repartition is needed or one would not be enough.
 */
export function repartitionStep(plan: PhysicalPlan): number | undefined {
  const steps = plan.steps;
  let found: number | undefined;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if ((s.kind === 'StreamAggregate' || s.kind === 'StreamWindowedAggregate') && !groupsBySourceKey(s.groupBy, s.inputs[0]!, steps)) {
      if (found !== undefined) return undefined;
      found = i;
    }
  }
  return found !== undefined && partitionsIndependent(plan, found) ? found : undefined;
}

function stepIndependent(step: PhysicalStep, steps: readonly PhysicalStep[]): boolean {
  switch (step.kind) {
    case 'StreamSource':
    case 'TableSource':
    case 'StreamFilter':
    case 'TableFilter':
    case 'StreamFlatMap':
    case 'StreamSelect':
    case 'TableSelect':
    case 'StreamSink':
    case 'TableSink':
      return true;
    case 'StreamSelectKey':
      // Re-keying is fine while nothing downstream keeps state (checked at that step).
      return true;
    case 'StreamAggregate':
    case 'TableAggregate':
    case 'StreamWindowedAggregate':
      return groupsBySourceKey(step.groupBy, step.inputs[0]!, steps);
    case 'TableSuppress':
    case 'StreamStreamJoin':
    case 'StreamTableJoin':
    case 'TableTableJoin':
    case 'ForeignKeyTableTableJoin':
      return false;
    default:
      return assertNever(step, 'physical step');
  }
}

/** The grouping names every key column of the source it reads, through filters only. */
function groupsBySourceKey(groupBy: readonly TypedExpression[], input: number, steps: readonly PhysicalStep[]): boolean {
  let i = input;
  for (;;) {
    const s = steps[i];
    if (s === undefined) return false;
    if (s.kind === 'StreamFilter' || s.kind === 'TableFilter') {
      i = s.inputs[0]!;
      continue;
    }
    if (s.kind !== 'StreamSource' && s.kind !== 'TableSource') return false;
    const keyCount = s.source.schema.key.length;
    if (keyCount === 0) return false;
    for (let k = 0; k < keyCount; k++) {
      if (!groupBy.some((g) => g.kind === 'Column' && g.index === k)) return false;
    }
    return true;
  }
}
