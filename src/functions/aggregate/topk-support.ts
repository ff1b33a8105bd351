import type { SqlType } from '../../common/types.js';
import type { AggregateImpl } from '../define/define-aggregate.js';
import { literalAt } from '../define/choose-overload.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { compareValues, valueKey } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';

const SORTABLE = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP']);

/** The literal k of a TOPK call (its last argument). */
export function kOf(ctx: ResolveContext): number {
  return Number(literalAt(ctx, ctx.args.length - 1));
}

/** Plan-time checks: a sortable first argument and k ≥ 1. */
export function checkTopK(name: string) {
  return (ctx: ResolveContext): string | undefined => {
    const t = ctx.types[0];
    if (t && !SORTABLE.has(t.kind)) return `Function '${name}' does not accept parameters (${t.kind}, ...).`;
    const k = kOf(ctx);
    return Number.isInteger(k) && k > 0 ? undefined : `${name} k must be a positive integer, got ${String(k)}`;
  };
}

/**
 * TOPK over rows of [sortValue, ...otherColumns] (each encoded). Keeps at most k rows,
 * ordered by sort value descending; equal values keep arrival order. Nulls are skipped.
 */
export function topK(types: readonly SqlType[], k: number, distinct: boolean): AggregateImpl<unknown[][]> {
  const sortType = types[0]!;
  const cmp = (a: unknown[], b: unknown[]) => compareValues(decodeValue(b[0], sortType), decodeValue(a[0], sortType));
  const insert = (acc: unknown[][], row: unknown[]): unknown[][] => {
    const v = decodeValue(row[0], sortType);
    if (distinct && acc.some((r) => valueKey(decodeValue(r[0], sortType)) === valueKey(v))) return acc;
    let i = acc.length;
    while (i > 0 && compareValues(decodeValue(acc[i - 1]![0], sortType), v) < 0) i--;
    if (i >= k) return acc;
    acc.splice(i, 0, row);
    if (acc.length > k) acc.length = k;
    return acc;
  };
  return {
    init: () => [],
    add: (acc, args) => {
      if (args[0] == null) return acc;
      const row: unknown[] = [];
      for (let i = 0; i < types.length; i++) row.push(encodeValue(args[i] ?? null, types[i]!));
      return insert(acc, row);
    },
    merge: (a, b) => {
      let out = a.slice().sort(cmp);
      for (const r of b) out = insert(out, r);
      return out;
    },
    result: (acc) => {
      if (types.length === 1) return acc.map((r) => decodeValue(r[0], sortType));
      return acc.map((r) => {
        const o: Record<string, unknown> = { sort_col: decodeValue(r[0], sortType) };
        for (let i = 1; i < types.length; i++) o[`col${i - 1}`] = decodeValue(r[i], types[i]!);
        return o;
      });
    },
  };
}
