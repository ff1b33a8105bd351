import { assertNever } from '../common/assert.js';
import type { Expression } from '../parser/ast/index.js';

/** The direct sub-expressions of `e`, in source order. */
export function childrenOf(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case 'Literal':
    case 'ColumnRef':
      return [];
    case 'Dereference':
      return [e.base];
    case 'Subscript':
      return [e.base, e.index];
    case 'Unary':
    case 'Not':
    case 'IsNull':
      return [e.operand];
    case 'Arithmetic':
    case 'Concat':
    case 'Comparison':
    case 'Logical':
      return [e.left, e.right];
    case 'Between':
      return [e.operand, e.low, e.high];
    case 'InList':
      return [e.operand, ...e.list];
    case 'Like':
      return [e.operand, e.pattern];
    case 'SearchedCase':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'SimpleCase':
      return [e.operand, ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'Cast':
      return [e.operand];
    case 'FunctionCall':
      return e.args;
    case 'CreateStruct':
      return e.fields.map((f) => f.value);
    case 'CreateArray':
      return e.items;
    case 'CreateMap':
      return e.entries.flatMap((x) => [x.key, x.value]);
    case 'Lambda':
      return [e.body];
    default:
      return assertNever(e, 'expression');
  }
}

/** Pre-order walk; `visit` returning false skips the node's children. */
// biome-ignore lint/suspicious/noConfusingVoidType: visitors that never skip return nothing
export function walk(e: Expression, visit: (e: Expression) => boolean | void): void {
  if (visit(e) === false) return;
  for (const c of childrenOf(e)) walk(c, visit);
}

/** A key that is equal for structurally equal expressions (positions ignored). */
export function exprKey(e: Expression): string {
  return JSON.stringify(e, (k, v) => (k === 'pos' ? undefined : v));
}
