import { assertNever } from '../../common/assert.js';
import { InternalError } from '../../common/errors.js';
import type { PhysicalPlan, PhysicalStep } from '../../planner/physical-plan.js';
import { columnIndexes, sourceColumnsRead } from '../../planner/columns-read.js';
import { CallErrors } from '../expr/call-errors.js';
import { compile, type CompileOptions, type Evaluator } from '../expr/compile.js';
import type { TypedExpression } from '../../planner/typed-expression.js';
import { StreamAggregateOperator, TableAggregateOperator, type AggState } from '../operators/aggregate.js';
import {
  ForeignKeyJoinOperator,
  StreamStreamJoinOperator,
  StreamTableJoinOperator,
  TableTableJoinOperator,
  type JoinKeyWindow,
  type JoinSetup,
} from '../operators/join.js';
import type { Operator, OperatorContext } from '../operators/record.js';
import { RepartitionSinkOperator, RepartitionSourceOperator } from '../operators/repartition.js';
import { SinkOperator, type PendingRecord } from '../operators/sink.js';
import { SourceOperator } from '../operators/source.js';
import { FilterOperator, FlatMapOperator, ProjectOperator, SelectKeyOperator } from '../operators/stateless.js';
import { SuppressOperator } from '../operators/suppress.js';
import { timestampExtractor } from '../operators/timestamp.js';
import { SessionAggregateOperator, TimeWindowAggregateOperator } from '../operators/windowed-aggregate.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';
import type { KeyValueStore } from '../state/store.js';
import type { MaterializedTable } from '../operators/materialized-table.js';
import type { OutputTaps } from '../operators/output-taps.js';
import type { Flushable } from '../operators/record-cache.js';
import { windowFrame } from '../../common/windows.js';

/** Everything a topology needs from its query and engine; its operators get the {@link OperatorContext} part. */
export interface TopologyContext extends OperatorContext {
  /** Opens (or creates) the named state store of this query. */
  store<V>(name: string): KeyValueStore<V>;
  /** Partition count of the sink topic. */
  readonly sinkPartitions: number;
  /** Where AVRO/JSON_SR/PROTOBUF schemas are registered and looked up. */
  readonly registry?: SchemaRegistry;
  /** `sluice.serde.strict.numbers`: sources reject numbers their columns cannot hold exactly. */
  readonly strictNumbers?: boolean;
  /** The materialized view a table sink keeps current. */
  readonly view?: MaterializedTable;
  /** Scalable push queries tapping the sink's output. */
  readonly taps?: OutputTaps;
  /**
   * Kafka mode: the aggregation step (index) whose input goes through the
   * repartition topic `topic` of `partitions` partitions (see repartition.ts).
   */
  readonly repartition?: { readonly step: number; readonly topic: string; readonly partitions: number };
  /**
   * Kafka mode: each input partition is a task with its own stream time (a
   * server owns some of them); otherwise the query is one task.
   */
  readonly partitionedTime?: boolean;
  /** `cache.max.bytes.buffering`: the bound of each aggregation's record cache; 0 or absent = none. */
  readonly cacheMaxBytes?: number;
}

/** The built operators of one query: feed each `sources[i]` (and `internal[j]`), collect `pending` (sink output). */
export interface Topology {
  readonly sources: readonly SourceOperator[];
  /** Internal topics the query reads after its sources (a repartition topic), with their operators. */
  readonly internal: readonly RepartitionSourceOperator[];
  readonly pending: PendingRecord[];
  /** The operators holding a record cache, upstream first: {@link flushCaches} empties them at each commit point. */
  readonly caches: readonly Flushable[];
}

/** Emits what every record cache of `t` holds (into `t.pending` or the terminal), upstream caches first. */
export function flushCaches(t: Topology): void {
  const caches = t.caches;
  for (let i = 0; i < caches.length; i++) caches[i]!.flush();
}

/** A built step: an operator, or a join with two input ports. */
type Built = Operator | { readonly left: Operator; readonly right: Operator };

/**
 * Builds operator instances for a physical plan, from the sink back to the
 * sources. `terminal` replaces the sink for transient queries (rows go to the client).
 */
export function buildTopology(plan: PhysicalPlan, ctx: TopologyContext, terminal?: Operator): Topology {
  const pending: PendingRecord[] = [];
  const steps = plan.steps;
  const calls = new CallErrors(ctx.log, ctx.queryId);
  const c = (x: TypedExpression, o: CompileOptions = {}): Evaluator => compile(x, { ...o, calls });
  const consumer: ({ step: number; port: number } | undefined)[] = steps.map(() => undefined);
  for (const [i, s] of steps.entries()) for (const [port, input] of s.inputs.entries()) consumer[input] = { step: i, port };
  const built: (Built | undefined)[] = steps.map(() => undefined);
  const sources: SourceOperator[] = [];
  const internal: RepartitionSourceOperator[] = [];
  const caches: Flushable[] = [];
  // The operator a step's input writes to instead of the step itself (the repartition's write half).
  const inputOverride = new Map<number, Operator>();
  const downstream = (i: number): Operator => {
    const c = consumer[i];
    if (!c) {
      if (terminal) return terminal;
      throw new InternalError(`physical step ${i} has no consumer`);
    }
    const over = inputOverride.get(c.step);
    if (over) return over;
    const b = built[c.step];
    if (!b) throw new InternalError(`physical step ${c.step} built out of order`);
    if ('process' in b) return b;
    return c.port === 0 ? b.left : b.right;
  };
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const b = buildStep(step, i, steps, { ctx, pending, calls, c }, () => downstream(i));
    built[i] = b.op;
    if (b.source) sources.push(b.source);
    if (b.cached) caches.push(b.cached);
    const r = ctx.repartition;
    if (r?.step === i) {
      if (!b.op || !('process' in b.op) || !('groupBy' in step)) throw new InternalError(`physical step ${i} (${step.kind}) cannot be repartitioned`);
      internal.push(new RepartitionSourceOperator(r.topic, tracking(b.op, calls), ctx.store<[number, number]>(`${ctx.queryId}-${i}-repartition-seen`), ctx));
      inputOverride.set(
        i,
        new RepartitionSinkOperator(
          step.groupBy.map((x) => c(x)),
          r.topic,
          r.partitions,
          pending,
        ),
      );
    }
  }
  if (sources.length === 0) throw new InternalError('physical plan has no source step');
  return { sources: sources.reverse(), internal, pending, caches: caches.reverse() };
}

/** What building one step needs besides the step: the context, the sink's queue, and how to compile with the query's call-error log. */
interface BuildEnv {
  readonly ctx: TopologyContext;
  readonly pending: PendingRecord[];
  readonly calls: CallErrors;
  readonly c: (x: TypedExpression, o?: CompileOptions) => Evaluator;
}

/** `next` behind a pass-through that tells `calls` which record is being processed. */
function tracking(next: Operator, calls: CallErrors): Operator {
  return {
    process(rec) {
      calls.at = rec;
      next.process(rec);
    },
  };
}

function buildStep(
  step: PhysicalStep,
  i: number,
  steps: readonly PhysicalStep[],
  env: BuildEnv,
  next: () => Operator,
): { op: Built | undefined; source?: SourceOperator; cached?: Flushable } {
  const { ctx, pending, calls, c } = env;
  const id = `${ctx.queryId}-${i}`;
  const inputSchema = (n: number) => steps[step.inputs[n]!]!.schema;
  switch (step.kind) {
    case 'StreamSink':
    case 'TableSink':
      return {
        op: new SinkOperator(step.target, pending, ctx, {
          partitions: ctx.sinkPartitions,
          registry: ctx.registry,
          view: step.kind === 'TableSink' ? ctx.view : undefined,
          taps: ctx.taps,
        }),
      };
    case 'StreamSource':
    case 'TableSource': {
      const s = step.source;
      const rowtimeIndex = s.schema.key.length + s.schema.value.length;
      const source = new SourceOperator(s, tracking(next(), calls), ctx, {
        timestamp: timestampExtractor(s, rowtimeIndex),
        trackOld: step.trackOld,
        readColumns: sourceColumnsRead(steps, i),
        registry: ctx.registry,
        strictNumbers: ctx.strictNumbers,
      });
      return { op: undefined, source };
    }
    case 'StreamFilter':
    case 'TableFilter':
      return { op: new FilterOperator(c(step.predicate), step.kind === 'TableFilter', next(), ctx) };
    case 'StreamFlatMap':
      return {
        op: new FlatMapOperator(
          step.functions.map((f) => ({ invoke: f.invoke, args: f.args.map((a) => c(a, { strictCalls: true })) })),
          next(),
          ctx,
        ),
      };
    case 'StreamSelectKey': {
      const input = inputSchema(0);
      const keyCount = input.key.length;
      const fromKey = step.keyExprs.map((k) => columnIndexes(k).every((c) => c < keyCount));
      return {
        op: new SelectKeyOperator({ keyExprs: step.keyExprs.map((x) => c(x)), rowMap: step.rowMap, inputWidth: input.columns.length, fromKey }, next(), ctx),
      };
    }
    case 'StreamAggregate':
    case 'TableAggregate': {
      const aggs = step.aggregates.map((a) => ({ fn: a.fn, args: a.args.map((x) => c(x)) }));
      const spec = { groupBy: step.groupBy.map((x) => c(x)), aggs, cacheMaxBytes: ctx.cacheMaxBytes };
      const store = ctx.store<AggState>(`${id}-agg`);
      const op = step.kind === 'StreamAggregate' ? new StreamAggregateOperator(spec, store, next(), ctx) : new TableAggregateOperator(spec, store, next(), ctx);
      return { op, cached: op };
    }
    case 'StreamWindowedAggregate': {
      const aggs = step.aggregates.map((a) => ({ fn: a.fn, args: a.args.map((x) => c(x)) }));
      const groupBy = step.groupBy.map((x) => c(x));
      const w = step.window;
      switch (w.kind) {
        case 'TUMBLING':
        case 'HOPPING': {
          const op = new TimeWindowAggregateOperator({ groupBy, aggs, window: w, cacheMaxBytes: ctx.cacheMaxBytes }, ctx.store(`${id}-window`), next(), ctx);
          return { op, cached: op };
        }
        case 'SESSION':
          return { op: new SessionAggregateOperator({ groupBy, aggs, window: w }, ctx.store(`${id}-session`), next(), ctx) };
        default:
          return assertNever(w, 'window spec');
      }
    }
    case 'StreamSelect':
    case 'TableSelect':
      return {
        op: new ProjectOperator(
          step.keyExprs.map((x) => c(x)),
          step.valueExprs.map((x) => c(x)),
          next(),
          ctx,
        ),
      };
    case 'TableSuppress':
      return { op: new SuppressOperator(step.window, next(), ctx.store(`${id}-suppress`)) };
    case 'StreamStreamJoin':
    case 'StreamTableJoin':
    case 'TableTableJoin':
    case 'ForeignKeyTableTableJoin': {
      const lw = inputSchema(0).columns.length;
      const rw = inputSchema(1).columns.length;
      const w = step.schema.window;
      const keyWindow: JoinKeyWindow = w === undefined ? undefined : windowFrame(w.kind === 'SOURCE' ? w.type : w.kind);
      const setup: JoinSetup = {
        joinType: step.joinType,
        leftKey: c(step.leftKey),
        rightKey: c(step.rightKey),
        leftWidth: lw,
        rightWidth: rw,
        next: next(),
        log: ctx.log,
        queryId: ctx.queryId,
        keyWindow,
        keyWidth: step.schema.key.length,
      };
      if (step.spec.kind === 'STREAM_STREAM')
        return { op: new StreamStreamJoinOperator(setup, step.spec, ctx.store(`${id}-join-windows`), ctx.partitionedTime ?? false) };
      if (step.kind === 'StreamTableJoin') return { op: new StreamTableJoinOperator(setup) };
      if (step.kind === 'ForeignKeyTableTableJoin') return { op: new ForeignKeyJoinOperator(setup) };
      return { op: new TableTableJoinOperator(setup) };
    }
    default:
      return assertNever(step, 'physical step');
  }
}
