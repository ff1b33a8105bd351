import { assertNever } from '../common/assert.js';
import type { WindowInfo } from './data-source.js';
import type { PlannedQuery } from './query-planner.js';

/** How the sink of a planned query is windowed: as its windowed aggregation or windowed source, or not at all. */
export function windowInfo(p: PlannedQuery): WindowInfo | undefined {
  const w = p.window;
  if (!w) return undefined;
  switch (w.kind) {
    case 'SOURCE':
      return { type: w.type, sizeMs: w.sizeMs };
    case 'TUMBLING':
    case 'HOPPING':
      return { type: w.kind, sizeMs: w.sizeMs };
    case 'SESSION':
      return { type: 'SESSION' };
    default:
      return assertNever(w, 'window');
  }
}
