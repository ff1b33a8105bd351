import type { SqlType } from '../../common/types.js';
import type { AggregateImpl } from '../define/define-aggregate.js';
import { literalAt } from '../define/choose-overload.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { decodeValue, encodeValue } from '../support/state-codec.js';
import { byOffsetIntermediate } from './intermediate-types.js';

/** One remembered value: its processing sequence (for session merges) and encoded value. */
interface Entry {
  readonly seq: number;
  readonly val: unknown;
}

/** Monotonic sequence shared by every by-offset aggregate, as ksqlDB's static counter. */
let sequence = 0;

/** Latest (or earliest) single value. Accumulator: the entry, or null before any value. */
function single(t: SqlType, latest: boolean, ignoreNulls: boolean): AggregateImpl<Entry | null> {
  const better = (a: Entry | null, b: Entry | null): Entry | null => {
    if (!a) return b;
    if (!b) return a;
    if (ignoreNulls && (a.val === null) !== (b.val === null)) return a.val === null ? b : a;
    return (latest ? a.seq >= b.seq : a.seq <= b.seq) ? a : b;
  };
  return {
    init: () => null,
    add: (acc, args) => {
      const v = args[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      if (!latest && acc) return acc;
      return { seq: sequence++, val: encodeValue(v, t) };
    },
    merge: better,
    result: (acc) => (acc ? decodeValue(acc.val, t) : null),
  };
}

/** Latest (or earliest) N values, oldest first. Accumulator: up to N entries. */
function many(t: SqlType, n: number, latest: boolean, ignoreNulls: boolean): AggregateImpl<Entry[]> {
  return {
    init: () => [],
    add: (acc, args) => {
      const v = args[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      if (!latest && acc.length >= n) return acc;
      acc.push({ seq: sequence++, val: encodeValue(v, t) });
      if (acc.length > n) acc.splice(0, acc.length - n);
      return acc;
    },
    merge: (a, b) => {
      const all = [...a, ...b].sort((x, y) => x.seq - y.seq);
      return latest ? all.slice(Math.max(0, all.length - n)) : all.slice(0, n);
    },
    result: (acc) => acc.map((e) => decodeValue(e.val, t)),
  };
}

function literalNumber(ctx: ResolveContext, i: number): number {
  const v = literalAt(ctx, i);
  return typeof v === 'number' ? v : Number(v);
}

function literalBool(ctx: ResolveContext, i: number): boolean {
  const v = literalAt(ctx, i);
  return v === undefined || v === null ? true : v === true || String(v).toLowerCase() === 'true';
}

function checkN(name: string) {
  return (ctx: ResolveContext): string | undefined => {
    const n = literalNumber(ctx, 1);
    return Number.isInteger(n) && n > 0 ? undefined : `${name.toLowerCase().startsWith('latest') ? 'latestN' : 'earliestN'} must be 1 or greater`;
  };
}

/** The overloads shared by LATEST_BY_OFFSET and EARLIEST_BY_OFFSET. */
export function byOffsetOverloads(name: string, latest: boolean) {
  return [
    {
      params: ['T'],
      returns: 'T',
      intermediate: (ctx: ResolveContext) => byOffsetIntermediate(ctx.types[0]!, false),
      make: (ctx: ResolveContext) => single(ctx.types[0]!, latest, true),
    },
    {
      params: ['T', 'BOOLEAN'],
      returns: 'T',
      intermediate: (ctx: ResolveContext) => byOffsetIntermediate(ctx.types[0]!, false),
      literals: [1],
      make: (ctx: ResolveContext) => single(ctx.types[0]!, latest, literalBool(ctx, 1)),
    },
    {
      params: ['T', 'INT'],
      returns: 'ARRAY<T>',
      intermediate: (ctx: ResolveContext) => byOffsetIntermediate(ctx.types[0]!, true),
      literals: [1],
      check: checkN(name),
      make: (ctx: ResolveContext) => many(ctx.types[0]!, literalNumber(ctx, 1), latest, true),
    },
    {
      params: ['T', 'INT', 'BOOLEAN'],
      returns: 'ARRAY<T>',
      intermediate: (ctx: ResolveContext) => byOffsetIntermediate(ctx.types[0]!, true),
      literals: [1, 2],
      check: checkN(name),
      make: (ctx: ResolveContext) => many(ctx.types[0]!, literalNumber(ctx, 1), latest, literalBool(ctx, 2)),
    },
  ];
}
