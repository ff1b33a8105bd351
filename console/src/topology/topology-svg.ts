/**
 * Draws a laid-out topology as SVG, made with `createElementNS` (never markup).
 * Colours come from the `--topo-*` CSS variables through classes, so light and
 * dark mode follow the page. Groups carry `data-*` attributes naming what they
 * draw (the tests read them).
 */
import type { GraphLayout, NodeBox } from './layout.js';
import type { TopologyGraph, TopologyNode, TopologyNodeKind } from './parse-topology.js';

const NS = 'http://www.w3.org/2000/svg';
/** Width of one character of the graph's 12px monospace labels, for cutting labels to their box. */
const CHAR_WIDTH = 7.2;
const ARROW_ID = 'topology-arrow';

/** Creates an SVG element with attributes and children. */
function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | number>> = {},
  ...children: Node[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(c);
  return el;
}

/** `text` cut with an ellipsis to fit `width` user units. */
function clipText(text: string, width: number): string {
  const max = Math.max(3, Math.floor((width - 14) / CHAR_WIDTH));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function label(x: number, y: number, cls: string, text: string): SVGTextElement {
  const t = svg('text', { x, y, class: cls, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
  t.textContent = text;
  return t;
}

/** Topics are pills, stores nearly square, operators rounded boxes. */
function cornerRadius(kind: TopologyNodeKind, height: number): number {
  switch (kind) {
    case 'topic':
      return height / 2;
    case 'store':
      return 3;
    case 'source':
    case 'processor':
    case 'sink':
      return 6;
    default:
      return kind satisfies never;
  }
}

function nodeGroup(node: TopologyNode, box: NodeBox): SVGGElement {
  const title = svg('title');
  title.textContent = node.detail;
  const cx = box.x + box.width / 2;
  const radius = cornerRadius(node.kind, box.height);
  const g = svg(
    'g',
    { class: `topo-node topo-${node.kind}`, 'data-node-id': node.id, 'data-kind': node.kind, 'data-label': node.label },
    title,
    svg('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: radius, ry: radius }),
  );
  if (node.kind === 'topic' || node.kind === 'store') {
    g.appendChild(label(cx, box.y + box.height / 2, 'topo-label', clipText(node.label, box.width)));
  } else {
    g.appendChild(label(cx, box.y + 15, 'topo-label', clipText(node.label, box.width)));
    g.appendChild(label(cx, box.y + 31, 'topo-short', clipText(node.short === '' ? node.kind : `${node.kind} ${node.short}`, box.width)));
  }
  return g;
}

/** A cubic curve leaving `start` rightwards and entering `end` from the left. */
function curve(start: readonly [number, number], end: readonly [number, number]): string {
  const [x1, y1] = start;
  const [x2, y2] = end;
  const dx = Math.max(24, Math.abs(x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
}

/**
 * The SVG of `graph` placed by `layout`, at `zoom` (its width and height are
 * the layout's size times `zoom`; the view box stays the layout's). It is one
 * image to assistive technology (`role="img"`, labelled `label`); give its text
 * alternative separately.
 */
export function topologySvg(graph: TopologyGraph, layout: GraphLayout, label: string, zoom: number): SVGSVGElement {
  const boxes = new Map<string, NodeBox>();
  for (const b of layout.boxes) boxes.set(b.id, b);
  const marker = svg(
    'marker',
    { id: ARROW_ID, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'topo-arrowhead' }),
  );
  const edges = svg('g', { class: 'topo-edges' });
  for (const r of layout.routes) {
    const d = r.attached ? `M${r.start[0]},${r.start[1]} L${r.end[0]},${r.end[1]}` : curve(r.start, r.end);
    const path = svg('path', { d, class: r.attached ? 'topo-store-link' : 'topo-flow' });
    if (!r.attached) path.setAttribute('marker-end', `url(#${ARROW_ID})`);
    edges.appendChild(svg('g', { class: 'topo-edge', 'data-from': r.from, 'data-to': r.to }, path));
  }
  const nodes = svg('g', { class: 'topo-nodes' });
  for (const n of graph.nodes) nodes.appendChild(nodeGroup(n, boxes.get(n.id)!));
  const root = svg(
    'svg',
    { class: 'topology-graph', role: 'img', 'aria-label': label, viewBox: `0 0 ${layout.width} ${layout.height}` },
    svg('defs', {}, marker),
    edges,
    nodes,
  );
  zoomSvg(root, layout, zoom);
  return root;
}

/** Sets the drawn size of a {@link topologySvg} to its layout's size times `zoom`. */
export function zoomSvg(root: SVGSVGElement, layout: GraphLayout, zoom: number): void {
  root.setAttribute('width', String(Math.round(layout.width * zoom)));
  root.setAttribute('height', String(Math.round(layout.height * zoom)));
}
