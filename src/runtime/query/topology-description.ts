/**
 * A query's topology as text in the shape of Kafka Streams'
 * `TopologyDescription` (what ksqlDB shows in `EXPLAIN` and `SHOW QUERIES
 * EXTENDED`): sub-topologies of source, processor and sink nodes, each with the
 * nodes it feeds (`-->`) and is fed by (`<--`). Built from the physical plan:
 * one node per step; an aggregation whose input is re-partitioned starts a new
 * sub-topology behind a sink to, and a source from, the repartition topic.
 */
import { assertNever } from '../../common/assert.js';
import type { PhysicalPlan, PhysicalStep } from '../../planner/physical-plan.js';

/** How a step is named in Kafka Streams (the prefix before the node number). */
function nodePrefix(step: PhysicalStep): string {
  switch (step.kind) {
    case 'StreamSource':
      return 'KSTREAM-SOURCE';
    case 'TableSource':
      return 'KTABLE-SOURCE';
    case 'StreamFilter':
      return 'KSTREAM-FILTER';
    case 'TableFilter':
      return 'KTABLE-FILTER';
    case 'StreamFlatMap':
      return 'KSTREAM-FLATTRANSFORMVALUES';
    case 'StreamSelectKey':
      return 'KSTREAM-KEY-SELECT';
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
      return 'KSTREAM-AGGREGATE';
    case 'TableAggregate':
      return 'KTABLE-AGGREGATE';
    case 'StreamSelect':
      return 'KSTREAM-TRANSFORMVALUES';
    case 'TableSelect':
      return 'KTABLE-TRANSFORMVALUES';
    case 'TableSuppress':
      return 'KTABLE-SUPPRESS';
    case 'StreamStreamJoin':
      return 'KSTREAM-JOIN';
    case 'StreamTableJoin':
      return 'KSTREAM-LEFTJOIN';
    case 'TableTableJoin':
    case 'ForeignKeyTableTableJoin':
      return 'KTABLE-JOIN';
    case 'StreamSink':
    case 'TableSink':
      return 'KSTREAM-SINK';
    default:
      return assertNever(step, 'physical step');
  }
}

/** The state stores a step keeps (named as ksqlDB names them). */
function storesOf(step: PhysicalStep): string[] {
  switch (step.kind) {
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
    case 'TableAggregate':
      return ['Aggregate-Aggregate-Materialize'];
    case 'StreamStreamJoin':
      return ['KSTREAM-JOINTHIS-store', 'KSTREAM-JOINOTHER-store'];
    case 'TableSource':
      return step.trackOld ? ['KsqlTopic-Reduce'] : [];
    default:
      return [];
  }
}

interface Node {
  readonly name: string;
  readonly head: string;
  readonly sub: number;
  readonly next: string[];
  readonly prev: string[];
}

/** What the description needs besides the plan. */
export interface TopologyOptions {
  /** The repartition topic an aggregation's input goes through, when it does (a running query's). */
  readonly repartitionTopic?: string;
}

/** The topology of `plan` as Kafka Streams' `TopologyDescription.toString()` lays it out. */
export function describeTopology(plan: PhysicalPlan, opts: TopologyOptions = {}): string {
  const nodes: Node[] = [];
  let counter = 0;
  const fresh = (prefix: string, head: (name: string) => string, sub: number): Node => {
    const name = `${prefix}-${String(counter++).padStart(10, '0')}`;
    const node: Node = { name, head: head(name), sub, next: [], prev: [] };
    nodes.push(node);
    return node;
  };
  const link = (from: Node, to: Node): void => {
    from.next.push(to.name);
    to.prev.push(from.name);
  };
  const byStep: Node[] = [];
  let sub = 0;
  let split = false;
  for (const step of plan.steps) {
    const inputs = step.inputs.map((i) => byStep[i]!);
    const aggregate = step.kind === 'StreamAggregate' || step.kind === 'StreamWindowedAggregate' || step.kind === 'TableAggregate';
    if (aggregate && opts.repartitionTopic !== undefined && !split) {
      // The aggregation's input is written to the repartition topic and read back in a sub-topology of its own.
      split = true;
      const topic = opts.repartitionTopic;
      const sink = fresh('KSTREAM-SINK', (n) => `Sink: ${n} (topic: ${topic})`, sub);
      for (const i of inputs) link(i, sink);
      sub++;
      const source = fresh('KSTREAM-SOURCE', (n) => `Source: ${n} (topics: [${topic}])`, sub);
      const node = fresh(nodePrefix(step), (n) => `Processor: ${n} (stores: [${storesOf(step).join(', ')}])`, sub);
      link(source, node);
      byStep.push(node);
      continue;
    }
    let node: Node;
    switch (step.kind) {
      case 'StreamSource':
      case 'TableSource':
        node = fresh(nodePrefix(step), (n) => `Source: ${n} (topics: [${step.source.topic}])`, sub);
        break;
      case 'StreamSink':
      case 'TableSink':
        node = fresh(nodePrefix(step), (n) => `Sink: ${n} (topic: ${step.target.topic})`, sub);
        break;
      default:
        node = fresh(nodePrefix(step), (n) => `Processor: ${n} (stores: [${storesOf(step).join(', ')}])`, sub);
    }
    for (const i of inputs) link(i, node);
    byStep.push(node);
  }
  let out = 'Topologies:\n';
  for (let s = 0; s <= sub; s++) {
    out += `   Sub-topology: ${s}\n`;
    for (const n of nodes) {
      if (n.sub !== s) continue;
      out += `    ${n.head}\n`;
      if (!n.head.startsWith('Sink:')) out += `      --> ${n.next.length > 0 ? n.next.join(', ') : 'none'}\n`;
      if (n.prev.length > 0) out += `      <-- ${n.prev.join(', ')}\n`;
    }
    out += '\n';
  }
  return out;
}
