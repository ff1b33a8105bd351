import type { DataSource } from './data-source.js';
import type { RowColumn, RowSchema } from './logical-plan.js';
import { SOURCE_PSEUDO_COLUMNS, WINDOW_BOUND_COLUMNS } from './schema.js';

/**
 * The row a source operator emits: key columns, value columns (headers included),
 * ROWTIME, ROWPARTITION, ROWOFFSET, then WINDOWSTART and WINDOWEND for windowed
 * sources. The runtime's source operator builds rows in exactly this order.
 */
export function sourceRowSchema(source: DataSource, alias: string): RowSchema {
  const qualifiers = alias === source.name ? [source.name] : [alias, source.name];
  const cols: RowColumn[] = [];
  for (const c of source.schema.key) cols.push({ name: c.name, type: c.type, qualifiers });
  for (const c of source.schema.value) cols.push({ name: c.name, type: c.type, qualifiers });
  for (const c of SOURCE_PSEUDO_COLUMNS) cols.push({ name: c.name, type: c.type, qualifiers });
  if (source.window) for (const c of WINDOW_BOUND_COLUMNS) cols.push({ name: c.name, type: c.type, qualifiers });
  return {
    columns: cols,
    key: source.schema.key,
    isTable: source.sourceType === 'TABLE',
    window: source.window ? { kind: 'SOURCE', type: source.window.type, sizeMs: source.window.sizeMs } : undefined,
  };
}
