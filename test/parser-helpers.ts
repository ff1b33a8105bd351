import { parseExpression, parseStatement, type Expression, type Statement } from '../src/parser/index.js';

/** A deep copy without `pos` and `text`, for shape comparisons. */
export function strip<T>(x: T): unknown {
  return JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'pos' || k === 'text' ? undefined : v)));
}

/** Parses a statement and strips positions. */
export function stmt(sql: string): any {
  return strip<Statement>(parseStatement(sql));
}

/** Parses an expression and strips positions. */
export function expr(sql: string): any {
  return strip<Expression>(parseExpression(sql));
}

export const col = (name: string, source?: string) => (source ? { kind: 'ColumnRef', source, name } : { kind: 'ColumnRef', name });
export const int = (value: number) => ({ kind: 'Literal', literalType: 'INTEGER', value });
export const str = (value: string) => ({ kind: 'Literal', literalType: 'STRING', value });
export const prim = (name: string) => ({ kind: 'Primitive', name });
