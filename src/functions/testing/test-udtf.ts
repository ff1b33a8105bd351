import type { SqlType } from '../../common/types.js';
import { T } from '../../common/types.js';
import { defineTable } from '../define/define-table.js';
import type { ResolveContext } from '../define/overload-resolution.js';
import { javaValueOf } from './java-to-string.js';

const A_STRUCT = T.struct([{ name: 'A', type: T.STRING }]);

function firstOf(v: unknown): unknown {
  if (Array.isArray(v)) return v[0] ?? null;
  if (v instanceof Map) return v.values().next().value ?? null;
  return v;
}

function elementType(t: SqlType): SqlType {
  return t.kind === 'ARRAY' ? t.item : t.kind === 'MAP' ? t.value : t;
}

/** Seven parameters: the (first element of each) argument as Java text. */
function stringsOf(ctx: ResolveContext) {
  const types = ctx.types.map((t) => elementType(t!));
  return (...args: unknown[]) => args.map((a, i) => javaValueOf(firstOf(a), types[i]!));
}

/** TEST_UDTF: ksqlDB's test table function over every primitive, list and map parameter type. */
export const testUdtf = defineTable({
  name: 'TEST_UDTF',
  description: 'test',
  overloads: [
    { params: ['INT', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'STRING', 'DECIMAL', 'STRUCT'], returns: 'STRING', make: stringsOf },
    {
      params: ['ARRAY<INT>', 'ARRAY<BIGINT>', 'ARRAY<DOUBLE>', 'ARRAY<BOOLEAN>', 'ARRAY<STRING>', 'ARRAY<DECIMAL>', 'ARRAY<ANY>'],
      returns: 'STRING',
      make: stringsOf,
    },
    {
      params: [
        'MAP<ANY, INT>',
        'MAP<STRING, BIGINT>',
        'MAP<STRING, DOUBLE>',
        'MAP<STRING, BOOLEAN>',
        'MAP<STRING, STRING>',
        'MAP<STRING, DECIMAL>',
        'MAP<STRING, ANY>',
      ],
      returns: 'STRING',
      make: stringsOf,
    },
    { params: ['INT'], returns: 'INT', fn: (x: unknown) => [x] },
    { params: ['BIGINT'], returns: 'BIGINT', fn: (x: unknown) => [x] },
    { params: ['DOUBLE'], returns: 'DOUBLE', fn: (x: unknown) => [x] },
    { params: ['BOOLEAN'], returns: 'BOOLEAN', fn: (x: unknown) => [x] },
    { params: ['STRING'], returns: 'STRING', fn: (x: unknown) => [x] },
    { params: ['DECIMAL'], returns: () => T.decimal(30, 10), fn: (x: unknown) => [x] },
    { params: ['STRUCT'], returns: () => A_STRUCT, fn: (x: unknown) => [x] },
  ],
});

/** THROWING_UDTF(shouldThrow): ksqlDB's test table function that throws when asked. */
export const throwingUdtf = defineTable({
  name: 'THROWING_UDTF',
  description: 'test UDTF that throws if param is true',
  overloads: [
    {
      params: ['BOOLEAN'],
      returns: 'BOOLEAN',
      fn: (b: boolean) => {
        if (b) throw new Error('You asked me to throw...');
        return [b];
      },
    },
  ],
});
