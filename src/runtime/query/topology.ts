import { assertNever } from '../../common/assert.js';
import { InternalError } from '../../common/errors.js';
import type { PhysicalPlan } from '../../planner/physical-plan.js';
import { compile } from '../expr/compile.js';
import { StreamAggregateOperator, TableAggregateOperator, type AggState } from '../operators/aggregate.js';
import type { Operator, ProcessingLogger } from '../operators/record.js';
import { SinkOperator, type PendingRecord } from '../operators/sink.js';
import { SourceOperator } from '../operators/source.js';
import { FilterOperator, FlatMapOperator, ProjectOperator, SelectKeyOperator } from '../operators/stateless.js';
import { SuppressOperator } from '../operators/suppress.js';
import { timestampExtractor } from '../operators/timestamp.js';
import { SessionAggregateOperator, TimeWindowAggregateOperator } from '../operators/windowed-aggregate.js';
import type { KeyValueStore } from '../state/store.js';

/** Everything a topology needs from its query and engine. */
export interface TopologyContext {
  readonly queryId: string;
  readonly log: ProcessingLogger;
  /** Opens (or creates) the named state store of this query. */
  store<V>(name: string): KeyValueStore<V>;
  /** Partition count of a sink topic. */
  readonly sinkPartitions: number;
}

/** The built operators of one query: feed `source`, collect `pending` (sink output) or `terminal` rows. */
export interface Topology {
  readonly source: SourceOperator;
  readonly pending: PendingRecord[];
}

/**
 * Builds operator instances for a physical plan, sink first. `terminal` replaces
 * the sink for transient queries (rows go to the client).
 */
export function buildTopology(plan: PhysicalPlan, ctx: TopologyContext, terminal?: Operator): Topology {
  const pending: PendingRecord[] = [];
  let next: Operator | undefined = terminal;
  let source: SourceOperator | undefined;
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const step = plan.steps[i]!;
    const id = `${ctx.queryId}-${i}`;
    switch (step.kind) {
      case 'StreamSink':
      case 'TableSink':
        next = new SinkOperator(step.target, ctx.sinkPartitions, pending, ctx.log, ctx.queryId);
        break;
      case 'StreamSource':
      case 'TableSource': {
        const s = step.source;
        const rowtimeIndex = s.schema.key.length + s.schema.value.length;
        source = new SourceOperator(ctx.queryId, s, need(next), ctx.log, timestampExtractor(s, rowtimeIndex), step.trackOld);
        break;
      }
      case 'StreamFilter':
      case 'TableFilter':
        next = new FilterOperator(compile(step.predicate), step.kind === 'TableFilter', need(next), ctx.log, ctx.queryId);
        break;
      case 'StreamFlatMap':
        next = new FlatMapOperator(step.functions.map((f) => ({ invoke: f.invoke, args: f.args.map(compile) })), need(next), ctx.log, ctx.queryId);
        break;
      case 'StreamSelectKey':
        {
        const input = plan.steps[i - 1]!.schema;
        const keyCount = input.key.length;
        const fromKey = step.keyExprs.map((k) => k.kind === 'Column' && k.index < keyCount);
        next = new SelectKeyOperator(step.keyExprs.map(compile), step.rowMap, input.columns.length, fromKey, need(next), ctx.log, ctx.queryId);
      }
        break;
      case 'StreamAggregate':
      case 'TableAggregate': {
        const aggs = step.aggregates.map((a) => ({ fn: a.fn, args: a.args.map(compile) }));
        const store = ctx.store<AggState>(`${id}-agg`);
        next = step.kind === 'StreamAggregate'
          ? new StreamAggregateOperator(step.groupBy.map(compile), aggs, store, need(next), ctx.log, ctx.queryId)
          : new TableAggregateOperator(step.groupBy.map(compile), aggs, store, need(next), ctx.log, ctx.queryId);
        break;
      }
      case 'StreamWindowedAggregate': {
        const aggs = step.aggregates.map((a) => ({ fn: a.fn, args: a.args.map(compile) }));
        const w = step.window;
        next = w.kind === 'SESSION'
          ? new SessionAggregateOperator(w, step.groupBy.map(compile), aggs, ctx.store(`${id}-session`), need(next), ctx.log, ctx.queryId)
          : new TimeWindowAggregateOperator(w, step.groupBy.map(compile), aggs, ctx.store(`${id}-window`), need(next), ctx.log, ctx.queryId);
        break;
      }
      case 'StreamSelect':
      case 'TableSelect':
        next = new ProjectOperator(step.keyExprs.map(compile), step.valueExprs.map(compile), need(next), ctx.log, ctx.queryId);
        break;
      case 'TableSuppress':
        next = new SuppressOperator(step.window, need(next));
        break;
      default:
        assertNever(step, 'physical step');
    }
  }
  if (!source) throw new InternalError('physical plan has no source step');
  return { source, pending };
}

function need(op: Operator | undefined): Operator {
  if (!op) throw new InternalError('physical plan step has no downstream operator');
  return op;
}
