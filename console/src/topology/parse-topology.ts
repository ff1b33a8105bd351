/**
 * Reads the `topology` text of EXPLAIN (Kafka Streams' `TopologyDescription`
 * layout, as Sluice prints it) into a graph. Pure: no DOM, so tests import it
 * directly.
 */

/** What a node of the graph stands for. */
export type TopologyNodeKind = 'source' | 'processor' | 'sink' | 'store' | 'topic';

/**
 * One node. Sources, processors and sinks are the topology's own nodes (their
 * `id` is the node's name, unique in a topology); topics and state stores are
 * nodes of their own (`id` prefixed `topic:` / `store:`), shared by every node
 * that names them, so sub-topologies linked by a repartition topic connect.
 */
export interface TopologyNode {
  readonly id: string;
  readonly kind: TopologyNodeKind;
  /** What the box says: the operator type (`KSTREAM-AGGREGATE`) or the topic's or store's name. */
  readonly label: string;
  /** A short name beside the label: `#1` for `KSTREAM-AGGREGATE-0000000001`; empty when the name has no number. */
  readonly short: string;
  /** A one-line description for tooltips and screen readers. */
  readonly detail: string;
  /** The sub-topology the node is in; undefined for topics (they link sub-topologies). */
  readonly subTopology: number | undefined;
}

/** Records flow (or a store is used) from node `from` to node `to`. */
export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
}

/** A sub-topology: its number and whether it only maintains a global store. */
export interface SubTopology {
  readonly id: number;
  readonly global: boolean;
}

/**
 * A topology as a graph. Invariants: node ids are unique; every edge's ends
 * are ids of `nodes`; no edge is listed twice; nodes are in the order the text
 * names them (topics and stores right after the first node naming them).
 */
export interface TopologyGraph {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
  readonly subTopologies: readonly SubTopology[];
}

/** A node as the text states it, before topics and stores become nodes. */
interface RawNode {
  readonly kind: 'source' | 'processor' | 'sink';
  readonly name: string;
  readonly sub: number;
  readonly topics: readonly string[];
  readonly stores: readonly string[];
  readonly next: string[];
  readonly prev: string[];
}

const SUB_TOPOLOGY = /^\s*Sub-topology:\s*(\d+)(.*)$/;
const GLOBAL_STORE = /^\s*Global\s*Store-?\s*(\d+)?\s*:/i;
const NODE = /^\s*(Source|Processor|Sink):\s*(\S+)\s*(?:\((.*)\))?\s*$/;
const NEXT = /^\s*-->\s*(.*)$/;
const PREV = /^\s*<--\s*(.*)$/;

/** Items of a `[a, b]` list (or a bare name), without blanks and `none`. */
function names(list: string): string[] {
  const out: string[] = [];
  for (const part of list.replace(/^\s*\[|\]\s*$/g, '').split(',')) {
    const t = part.trim();
    if (t !== '' && t !== 'none') out.push(t);
  }
  return out;
}

/** The value of `key: value` inside a node's parentheses (`topics: [a]`, `stores: [s]`, `topic: t`). */
function attribute(attrs: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|,\\s*)${key}:\\s*(\\[[^\\]]*\\]|[^,]*)`).exec(attrs);
  return m?.[1]?.trim();
}

/** `KSTREAM-AGGREGATE-0000000001` → [`KSTREAM-AGGREGATE`, `#1`]; other names stay whole. */
export function splitNodeName(name: string): [string, string] {
  const m = /^(.*\D)-(\d+)$/.exec(name);
  return m ? [m[1]!, `#${Number(m[2])}`] : [name, ''];
}

function readNodes(text: string): { raw: RawNode[]; subs: SubTopology[] } {
  const raw: RawNode[] = [];
  const subs: SubTopology[] = [];
  let sub = 0;
  let current: RawNode | undefined;
  for (const line of text.split(/\r?\n/)) {
    const s = SUB_TOPOLOGY.exec(line);
    const g = s ? null : GLOBAL_STORE.exec(line);
    if (s || g) {
      sub = s ? Number(s[1]) : g?.[1] !== undefined ? Number(g[1]) : subs.length;
      if (!subs.some((x) => x.id === sub)) subs.push({ id: sub, global: g !== null || /global/i.test(s?.[2] ?? '') });
      current = undefined;
      continue;
    }
    const n = NODE.exec(line);
    if (n) {
      const kind = n[1] === 'Source' ? 'source' : n[1] === 'Sink' ? 'sink' : 'processor';
      const attrs = n[3] ?? '';
      // A source reads named topics or a pattern (`topicPattern: regex`), shown as one topic node.
      const read = attribute(attrs, 'topics') ?? attribute(attrs, 'topicPattern') ?? '';
      const topics = kind === 'source' ? names(read) : kind === 'sink' ? names(attribute(attrs, 'topic') ?? '') : [];
      const stores = kind === 'processor' ? names(attribute(attrs, 'stores') ?? '') : [];
      current = { kind, name: n[2]!, sub, topics, stores, next: [], prev: [] };
      raw.push(current);
      if (!subs.some((x) => x.id === sub)) subs.push({ id: sub, global: false });
      continue;
    }
    const next = NEXT.exec(line);
    if (next && current) current.next.push(...names(next[1]!));
    const prev = PREV.exec(line);
    if (prev && current) current.prev.push(...names(prev[1]!));
  }
  return { raw, subs };
}

/** Builds the graph while keeping its invariants (unique ids, unique edges with known ends). */
class GraphBuilder {
  readonly nodes: TopologyNode[] = [];
  readonly edges: TopologyEdge[] = [];
  private readonly ids = new Set<string>();
  private readonly edgeKeys = new Set<string>();

  add(node: TopologyNode): void {
    if (this.ids.has(node.id)) return;
    this.ids.add(node.id);
    this.nodes.push(node);
  }

  link(from: string, to: string): void {
    const key = `${from}\u0000${to}`;
    if (from === to || this.edgeKeys.has(key) || !this.ids.has(from) || !this.ids.has(to)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to });
  }
}

function operatorDetail(r: RawNode): string {
  const kind = r.kind === 'source' ? 'Source' : r.kind === 'sink' ? 'Sink' : 'Processor';
  const extra =
    r.kind === 'source'
      ? `, reads ${r.topics.join(', ')}`
      : r.kind === 'sink'
        ? `, writes ${r.topics.join(', ')}`
        : r.stores.length > 0
          ? `, stores ${r.stores.join(', ')}`
          : '';
  return `${kind} ${r.name} in sub-topology ${r.sub}${extra}`;
}

/**
 * Parses EXPLAIN's `topology` text. Sources read from topic nodes, sinks write
 * to topic nodes, processors point at the store nodes they keep. Lines it does
 * not know are skipped; an empty or unreadable text gives an empty graph.
 */
export function parseTopology(text: string): TopologyGraph {
  const { raw, subs } = readNodes(text);
  const g = new GraphBuilder();
  const topicId = (t: string) => `topic:${t}`;
  const storeId = (s: string) => `store:${s}`;
  const addTopic = (t: string) => g.add({ id: topicId(t), kind: 'topic', label: t, short: '', detail: `Topic ${t}`, subTopology: undefined });
  for (const r of raw) {
    if (r.kind === 'source') for (const t of r.topics) addTopic(t);
    const [label, short] = splitNodeName(r.name);
    g.add({ id: r.name, kind: r.kind, label, short, detail: operatorDetail(r), subTopology: r.sub });
    if (r.kind === 'sink') for (const t of r.topics) addTopic(t);
    for (const s of r.stores) g.add({ id: storeId(s), kind: 'store', label: s, short: '', detail: `State store ${s}`, subTopology: r.sub });
  }
  for (const r of raw) {
    if (r.kind === 'source') for (const t of r.topics) g.link(topicId(t), r.name);
    for (const p of r.prev) g.link(p, r.name);
    for (const n of r.next) g.link(r.name, n);
    for (const s of r.stores) g.link(r.name, storeId(s));
    if (r.kind === 'sink') for (const t of r.topics) g.link(r.name, topicId(t));
  }
  return { nodes: g.nodes, edges: g.edges, subTopologies: subs };
}
