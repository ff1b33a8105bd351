import type { Decimal } from '../../../common/decimal.js';
import type { SqlType } from '../../../common/types.js';
import { Category, defineScalar } from '../../define/define-scalar.js';
import type { ResolveContext } from '../../define/overload-resolution.js';
import { javaDoubleToString } from '../../../common/java-text.js';

const PRIMITIVES = new Set(['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING']);

function elementText(t: SqlType): (v: unknown) => string {
  if (t.kind === 'DOUBLE') return (v) => (v === null ? 'null' : javaDoubleToString(v as number));
  if (t.kind === 'DECIMAL') return (v) => (v === null ? 'null' : (v as Decimal).toString());
  return (v) => (v === null || v === undefined ? 'null' : String(v));
}

function check(ctx: ResolveContext): string | undefined {
  const t = ctx.types[0];
  return t?.kind === 'ARRAY' && !PRIMITIVES.has(t.item.kind) ? `Function 'ARRAY_JOIN' only supports arrays of primitive types, got ${t.item.kind}` : undefined;
}

function make(ctx: ResolveContext) {
  const t = ctx.types[0];
  const text = elementText(t?.kind === 'ARRAY' ? t.item : { kind: 'STRING' });
  return (a: unknown[] | null, sep: string | null = ',') => (a === null ? null : a.map(text).join(sep ?? ''));
}

/** ARRAY_JOIN(array [, delimiter]): elements as text joined by ',' (null delimiter = ''). */
export const arrayJoin = defineScalar({
  name: 'ARRAY_JOIN',
  category: Category.ARRAY,
  description:
    'Creates a flat string representation of all the primitive elements contained in the given array. The elements are delimited by the given delimiter, a comma by default.',
  overloads: [
    { params: ['ARRAY<T>'], returns: 'STRING', nullTolerant: true, check, make },
    { params: ['ARRAY<T>', 'STRING'], returns: 'STRING', nullTolerant: true, check, make },
  ],
});
