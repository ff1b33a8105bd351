/**
 * Which columns of a source's rows a query reads, from its physical plan: what
 * lets a source decode only those (projection pushdown into the JSON read).
 */
import { assertNever } from '../common/assert.js';
import type { PhysicalStep } from './physical-plan.js';

/** Row indexes of every column an expression (or any plan value holding expressions) reads. */
export function columnIndexes(e: unknown, out: number[] = []): number[] {
  if (e === null || typeof e !== 'object') return out;
  if (Array.isArray(e)) {
    for (const x of e) columnIndexes(x, out);
    return out;
  }
  const o = e as { kind?: string; index?: number; fn?: unknown };
  if (o.kind === 'Column' && typeof o.index === 'number') out.push(o.index);
  for (const [k, v] of Object.entries(o)) if (k !== 'fn' && k !== 'type') columnIndexes(v, out);
  return out;
}

/**
 * The row indexes of source step `source`'s rows that the steps after it read,
 * or undefined when they may read every column: the row reaches a sink, a join,
 * the client of a transient query, or a step this does not follow. Filters and
 * table functions pass the row on (table functions append columns after it);
 * a projection, PARTITION BY or aggregation reads its expressions and emits new
 * rows. The source's own TIMESTAMP column is not included (the caller adds it).
 */
export function sourceColumnsRead(steps: readonly PhysicalStep[], source: number): Set<number> | undefined {
  const consumers = steps.map(() => [] as number[]);
  for (const [i, s] of steps.entries()) for (const input of s.inputs) consumers[input]!.push(i);
  const read = new Set<number>();
  const add = (e: unknown): void => {
    for (const c of columnIndexes(e)) read.add(c);
  };
  let at = source;
  for (;;) {
    const next = consumers[at]!;
    if (next.length !== 1) return undefined;
    at = next[0]!;
    const step = steps[at]!;
    switch (step.kind) {
      case 'StreamFilter':
      case 'TableFilter':
        add(step.predicate);
        continue;
      case 'StreamFlatMap':
        add(step.functions.map((f) => f.args));
        continue;
      case 'StreamSelect':
      case 'TableSelect':
        add(step.keyExprs);
        add(step.valueExprs);
        return read;
      case 'StreamSelectKey':
        add(step.keyExprs);
        for (const c of step.rowMap) read.add(c);
        return read;
      case 'StreamAggregate':
      case 'TableAggregate':
      case 'StreamWindowedAggregate':
        add(step.groupBy);
        add(step.aggregates.map((a) => a.args));
        return read;
      case 'StreamSource':
      case 'TableSource':
      case 'StreamSink':
      case 'TableSink':
      case 'TableSuppress':
      case 'StreamStreamJoin':
      case 'StreamTableJoin':
      case 'TableTableJoin':
      case 'ForeignKeyTableTableJoin':
        return undefined;
      default:
        return assertNever(step, 'physical step');
    }
  }
}
