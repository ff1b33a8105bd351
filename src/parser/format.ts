import type { Expression } from './ast/expression.js';
import type { Statement } from './ast/statement.js';
import type { TypeNode } from './ast/type-node.js';
export function formatStatement(s: Statement): string { return s.text; }
export function formatExpression(e: Expression): string { return JSON.stringify(e); }
export function formatType(t: TypeNode): string { return JSON.stringify(t); }
