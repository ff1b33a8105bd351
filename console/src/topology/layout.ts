/**
 * Places a {@link TopologyGraph}'s nodes left to right: a layered drawing
 * (each node's column is the longest path to it from a node nothing feeds),
 * nodes ordered within a column by barycenter sweeps to cut edge crossings,
 * each state store hung right under the processor that keeps it. Pure and
 * deterministic: the same graph always gives the same layout.
 */
import type { TopologyGraph, TopologyNode } from './parse-topology.js';

/** Where one node is drawn (top-left corner and size, in SVG user units). */
export interface NodeBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Its column, 0 at the left. */
  readonly layer: number;
  /** Its place in the column, 0 at the top. */
  readonly order: number;
}

/**
 * An edge's ends. `attached` edges join a processor to the store hung under
 * it (bottom of one to top of the other, a straight line); the others run from
 * the right side of `from` to the left side of `to`.
 */
export interface EdgeRoute {
  readonly from: string;
  readonly to: string;
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
  readonly attached: boolean;
}

/** A drawing's geometry. Invariant: every box and route lies within `width` × `height`. */
export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  /** One box per node of the graph, in the graph's node order. */
  readonly boxes: readonly NodeBox[];
  /** One route per edge of the graph, in the graph's edge order. */
  readonly routes: readonly EdgeRoute[];
  /** The node ids of each column, top to bottom. */
  readonly layers: readonly (readonly string[])[];
}

const MARGIN = 16;
const GAP_X = 64;
const GAP_Y = 18;
const STORE_GAP = 10;
const CHAR_WIDTH = 7.2;
const MIN_WIDTH = 110;
/** Wider labels are cut short when drawn (the full name is in the node's tooltip). */
export const MAX_NODE_WIDTH = 280;
const SWEEPS = 4;

/** The box height of a node of `kind`: operators have two lines (type and short name), topics and stores one. */
export function nodeHeight(node: TopologyNode): number {
  return node.kind === 'topic' || node.kind === 'store' ? 30 : 44;
}

/** The box width a node's text needs, between the minimum and {@link MAX_NODE_WIDTH}. */
export function nodeWidth(node: TopologyNode): number {
  const chars = Math.max(node.label.length, node.short.length);
  return Math.min(MAX_NODE_WIDTH, Math.max(MIN_WIDTH, Math.ceil(chars * CHAR_WIDTH + 24)));
}

/** Column of each node: longest path from the nodes without predecessors (nodes caught in a cycle go after what feeds them). */
function assignLayers(
  ids: readonly string[],
  preds: ReadonlyMap<string, readonly string[]>,
  succs: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const layer = new Map<string, number>();
  const waiting = new Map<string, number>();
  const ready: string[] = [];
  for (const id of ids) {
    const n = preds.get(id)!.length;
    waiting.set(id, n);
    if (n === 0) ready.push(id);
  }
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    let l = 0;
    for (const p of preds.get(id)!) l = Math.max(l, (layer.get(p) ?? -1) + 1);
    layer.set(id, l);
    for (const s of succs.get(id)!) {
      const left = waiting.get(s)! - 1;
      waiting.set(s, left);
      if (left === 0) ready.push(s);
    }
  }
  for (const id of ids) {
    if (layer.has(id)) continue;
    let l = 0;
    for (const p of preds.get(id)!) if (layer.has(p)) l = Math.max(l, layer.get(p)! + 1);
    layer.set(id, l);
  }
  return layer;
}

/** Edge crossings between neighbouring columns for `order` (positions within columns). */
function crossings(
  layers: readonly string[][],
  succs: ReadonlyMap<string, readonly string[]>,
  layerOf: ReadonlyMap<string, number>,
  pos: ReadonlyMap<string, number>,
): number {
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const pairs: [number, number][] = [];
    for (const u of layers[l]!) for (const v of succs.get(u)!) if (layerOf.get(v) === l + 1) pairs.push([pos.get(u)!, pos.get(v)!]);
    for (let i = 0; i < pairs.length; i++) {
      for (let j = i + 1; j < pairs.length; j++) {
        const [a, b] = pairs[i]!;
        const [c, d] = pairs[j]!;
        if ((a - c) * (b - d) < 0) total++;
      }
    }
  }
  return total;
}

function positions(layers: readonly string[][]): Map<string, number> {
  const pos = new Map<string, number>();
  for (const layer of layers) for (let i = 0; i < layer.length; i++) pos.set(layer[i]!, i);
  return pos;
}

/** Reorders each column by the mean position of its neighbours in the columns before (`down`) or after it. */
function sweep(
  layers: string[][],
  down: boolean,
  preds: ReadonlyMap<string, readonly string[]>,
  succs: ReadonlyMap<string, readonly string[]>,
  layerOf: ReadonlyMap<string, number>,
): void {
  const pos = positions(layers);
  const count = layers.length;
  for (let k = 1; k < count; k++) {
    const l = down ? k : count - 1 - k;
    const layer = layers[l]!;
    const key = new Map<string, number>();
    for (const id of layer) {
      let sum = 0;
      let n = 0;
      for (const o of (down ? preds : succs).get(id)!) {
        const ol = layerOf.get(o)!;
        if (down ? ol < l : ol > l) {
          sum += pos.get(o)!;
          n++;
        }
      }
      key.set(id, n === 0 ? pos.get(id)! : sum / n);
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)! || pos.get(a)! - pos.get(b)!);
    for (let i = 0; i < layer.length; i++) pos.set(layer[i]!, i);
  }
}

/** Lays out `graph` (see the module's description). */
export function layoutTopology(graph: TopologyGraph): GraphLayout {
  const byId = new Map<string, TopologyNode>();
  for (const n of graph.nodes) byId.set(n.id, n);
  // Each store hangs under the first processor that keeps it; it takes no part in the column ordering.
  const anchor = new Map<string, string>();
  for (const e of graph.edges) if (byId.get(e.to)?.kind === 'store' && !anchor.has(e.to)) anchor.set(e.to, e.from);
  const flowIds = graph.nodes.filter((n) => !anchor.has(n.id)).map((n) => n.id);
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const id of flowIds) {
    preds.set(id, []);
    succs.set(id, []);
  }
  for (const e of graph.edges) {
    if (anchor.has(e.to) || anchor.has(e.from)) continue;
    succs.get(e.from)!.push(e.to);
    preds.get(e.to)!.push(e.from);
  }
  const layerOf = assignLayers(flowIds, preds, succs);
  const layers: string[][] = [];
  for (const id of flowIds) {
    const l = layerOf.get(id)!;
    while (layers.length <= l) layers.push([]);
    layers[l]!.push(id);
  }
  let best = layers.map((l) => [...l]);
  let fewest = crossings(best, succs, layerOf, positions(best));
  for (let i = 0; i < SWEEPS && fewest > 0; i++) {
    sweep(layers, i % 2 === 0, preds, succs, layerOf);
    const c = crossings(layers, succs, layerOf, positions(layers));
    if (c < fewest) {
      fewest = c;
      best = layers.map((l) => [...l]);
    }
  }
  // Hang the stores under their processors.
  const hung = new Map<string, string[]>();
  for (const [store, owner] of anchor) {
    if (!hung.has(owner)) hung.set(owner, []);
    hung.get(owner)!.push(store);
  }
  const columns = best.map((column) => column.flatMap((id) => [id, ...(hung.get(id) ?? [])]));
  return place(graph, byId, anchor, columns);
}

/** Coordinates for the ordered `columns`: non-store nodes of every column centred on one line. */
function place(graph: TopologyGraph, byId: ReadonlyMap<string, TopologyNode>, anchor: ReadonlyMap<string, string>, columns: readonly string[][]): GraphLayout {
  const local = new Map<string, number>();
  const centres: number[] = [];
  const heights: number[] = [];
  const widths: number[] = [];
  for (const column of columns) {
    let y = 0;
    let top = Number.POSITIVE_INFINITY;
    let bottom = 0;
    let width = 0;
    for (let i = 0; i < column.length; i++) {
      const node = byId.get(column[i]!)!;
      if (i > 0) y += anchor.has(node.id) ? STORE_GAP : GAP_Y;
      local.set(node.id, y);
      const h = nodeHeight(node);
      if (!anchor.has(node.id)) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y + h);
      }
      y += h;
      width = Math.max(width, nodeWidth(node));
    }
    centres.push(top === Number.POSITIVE_INFINITY ? y / 2 : (top + bottom) / 2);
    heights.push(y);
    widths.push(width);
  }
  const line = Math.max(0, ...centres);
  const boxes = new Map<string, NodeBox>();
  let x = MARGIN;
  let height = 0;
  for (let l = 0; l < columns.length; l++) {
    const shift = MARGIN + line - centres[l]!;
    const column = columns[l]!;
    for (let i = 0; i < column.length; i++) {
      const node = byId.get(column[i]!)!;
      const w = nodeWidth(node);
      boxes.set(node.id, { id: node.id, x: x + (widths[l]! - w) / 2, y: shift + local.get(node.id)!, width: w, height: nodeHeight(node), layer: l, order: i });
    }
    height = Math.max(height, shift + heights[l]! + MARGIN);
    x += widths[l]! + GAP_X;
  }
  const width = columns.length === 0 ? 2 * MARGIN : x - GAP_X + MARGIN;
  const routes: EdgeRoute[] = graph.edges.map((e) => {
    const a = boxes.get(e.from)!;
    const b = boxes.get(e.to)!;
    const attached = anchor.get(e.to) === e.from;
    return attached
      ? { from: e.from, to: e.to, start: [a.x + a.width / 2, a.y + a.height], end: [b.x + b.width / 2, b.y], attached }
      : { from: e.from, to: e.to, start: [a.x + a.width, a.y + a.height / 2], end: [b.x, b.y + b.height / 2], attached };
  });
  return { width, height: Math.max(height, 2 * MARGIN), boxes: graph.nodes.map((n) => boxes.get(n.id)!), routes, layers: columns };
}
