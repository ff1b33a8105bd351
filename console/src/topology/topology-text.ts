/**
 * The topology in words, for those who cannot see the drawing: a one-line
 * summary (the SVG's accessible name) and a visually hidden list of its nodes
 * and edges.
 */
import { h } from '../dom.js';
import type { TopologyGraph, TopologyNode } from './parse-topology.js';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function labels(nodes: readonly TopologyNode[]): string {
  return nodes.map((n) => n.label).join(', ');
}

/**
 * One sentence saying what `graph` (query `queryId`'s topology) draws: its
 * size, the topics it reads and writes, and its state stores.
 */
export function topologySummary(queryId: string, graph: TopologyGraph): string {
  if (graph.nodes.length === 0) return `Topology of ${queryId}: empty`;
  const incoming = new Set<string>();
  const outgoing = new Set<string>();
  for (const e of graph.edges) {
    incoming.add(e.to);
    outgoing.add(e.from);
  }
  const topics = graph.nodes.filter((n) => n.kind === 'topic');
  const read = topics.filter((t) => !incoming.has(t.id));
  const written = topics.filter((t) => !outgoing.has(t.id));
  const internal = topics.filter((t) => incoming.has(t.id) && outgoing.has(t.id));
  const stores = graph.nodes.filter((n) => n.kind === 'store');
  const operators = graph.nodes.filter((n) => n.kind === 'source' || n.kind === 'processor' || n.kind === 'sink');
  const parts = [`${plural(graph.subTopologies.length, 'sub-topology', 'sub-topologies')} of ${plural(operators.length, 'node')}`];
  if (read.length > 0) parts.push(`reads ${labels(read)}`);
  if (internal.length > 0) parts.push(`repartitions through ${labels(internal)}`);
  if (written.length > 0) parts.push(`writes ${labels(written)}`);
  if (stores.length > 0) parts.push(`keeps ${plural(stores.length, 'store')} (${labels(stores)})`);
  return `Topology of ${queryId}: ${parts.join('; ')}`;
}

/** A visually hidden list of every node (with its description) and every edge. */
export function topologyTextList(graph: TopologyGraph): HTMLElement {
  const byId = new Map<string, TopologyNode>();
  for (const n of graph.nodes) byId.set(n.id, n);
  const name = (id: string) => {
    const n = byId.get(id);
    return n ? `${n.label}${n.short === '' ? '' : ` ${n.short}`}` : id;
  };
  return h(
    'div',
    { class: 'visually-hidden' },
    h('h4', {}, 'Nodes'),
    h('ul', {}, ...graph.nodes.map((n) => h('li', {}, n.detail))),
    h('h4', {}, 'Edges'),
    h('ul', {}, ...graph.edges.map((e) => h('li', {}, `${name(e.from)} to ${name(e.to)}`))),
  );
}
