import type { WindowInfo } from './data-source.js';
import type { PlannedQuery } from './query-planner.js';

/** How the sink of a planned query is windowed: as its windowed aggregation or windowed source, or not at all. */
export function windowInfo(p: PlannedQuery): WindowInfo | undefined {
  const w = p.window;
  if (!w) return undefined;
  if (w.kind === 'SOURCE') return { type: w.type, sizeMs: w.sizeMs };
  if (w.kind === 'SESSION') return { type: 'SESSION' };
  return { type: w.kind, sizeMs: w.sizeMs };
}
