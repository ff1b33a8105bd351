import type { SqlType } from '../../common/types.js';
import type { AggregateImpl } from '../define/define-aggregate.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { compareValues } from '../support/sql-values.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';

const COMPARABLE = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP']);

/** Rejects argument types MIN and MAX cannot order. */
export function checkComparable(name: string) {
  return (ctx: ResolveContext): string | undefined => {
    const t = ctx.types[0];
    return t && !COMPARABLE.has(t.kind) ? `Function '${name}' does not accept parameters (${t.kind}).` : undefined;
  };
}

/**
 * MIN (`sign` -1) or MAX (`sign` 1) of non-null values; the accumulator is the
 * encoded best value or null.
 */
export function extreme(t: SqlType, sign: 1 | -1): AggregateImpl<unknown> {
  const pick = (acc: unknown, v: unknown): unknown => {
    if (v === null || v === undefined) return acc;
    if (acc === null) return encodeValue(v, t);
    return compareValues(v, decodeValue(acc, t)) * sign > 0 ? encodeValue(v, t) : acc;
  };
  return {
    init: () => null,
    add: (acc, args) => pick(acc, args[0]),
    merge: (a, b) => (b === null ? a : pick(a, decodeValue(b, t))),
    result: (acc) => decodeValue(acc, t),
  };
}
