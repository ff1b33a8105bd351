/**
 * CST → AST for expressions, literals, types and identifiers.
 */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import { InternalError } from '../common/errors.js';
import type { Position } from '../common/position.js';
import type { ComparisonOp, Expression, Literal, WhenClause } from './ast/expression.js';
import type { TypeNode } from './ast/type-node.js';
import { child, has, nodes, optNode, optToken, token, tokens } from './cst-access.js';
import * as T from './lexer.js';
import { prepareError, syntaxError, type PositionShift } from './parse-errors.js';

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type PrimitiveName = Extract<TypeNode, { kind: 'Primitive' }>['name'];
const PRIMITIVES: ReadonlyMap<string, PrimitiveName> = new Map([
  ['BOOLEAN', 'BOOLEAN'],
  ['INT', 'INTEGER'],
  ['INTEGER', 'INTEGER'],
  ['BIGINT', 'BIGINT'],
  ['DOUBLE', 'DOUBLE'],
  ['STRING', 'STRING'],
  ['VARCHAR', 'STRING'],
  ['BYTES', 'BYTES'],
  ['DATE', 'DATE'],
  ['TIME', 'TIME'],
  ['TIMESTAMP', 'TIMESTAMP'],
]);

/** Unquotes a single-quoted SQL string literal token image. */
export function unquoteString(image: string): string {
  return image.slice(1, -1).replaceAll("''", "'");
}

/** The normalised text of an identifier token: unquoted names upper-cased, quoted ones kept exactly. */
export function identifierText(tok: IToken): string {
  if (tokenMatcher(tok, T.QuotedIdentifier)) return tok.image.slice(1, -1).replaceAll('""', '"');
  if (tokenMatcher(tok, T.BackQuotedIdentifier)) return tok.image.slice(1, -1).replaceAll('``', '`');
  return tok.image.toUpperCase();
}

/** Builds expressions; extended by the statement builder. */
export class ExpressionBuilder {
  constructor(
    protected readonly text: string,
    protected readonly shift: PositionShift,
  ) {}

  // ---------- positions ----------

  protected posOf(node: CstNode): Position {
    const loc = node.location;
    if (!loc || Number.isNaN(loc.startOffset)) throw new InternalError(`CST ${node.name}: no location`);
    return this.shift.at(loc.startLine ?? 1, loc.startColumn ?? 1, loc.startOffset);
  }

  protected posOfToken(tok: IToken): Position {
    return this.shift.ofToken(tok);
  }

  /** The source text a CST node spans. */
  protected textOf(node: CstNode): string {
    const loc = node.location;
    if (!loc) return '';
    return this.text.slice(loc.startOffset, (loc.endOffset ?? loc.startOffset) + 1);
  }

  // ---------- identifiers ----------

  identifier(node: CstNode): string {
    return identifierText(token(node, 'token'));
  }

  // ---------- expressions ----------

  expression(node: CstNode): Expression {
    return this.leftAssoc(node, nodes(node, 'operands'), (n) => this.andExpression(n), 'OR');
  }

  private andExpression(node: CstNode): Expression {
    return this.leftAssoc(node, nodes(node, 'operands'), (n) => this.notExpression(n), 'AND');
  }

  private leftAssoc(node: CstNode, operands: CstNode[], build: (n: CstNode) => Expression, op: 'AND' | 'OR'): Expression {
    const [first, ...rest] = operands;
    if (!first) throw new InternalError(`CST ${node.name}: no operands`);
    let acc = build(first);
    for (const r of rest) acc = { kind: 'Logical', op, left: acc, right: build(r), pos: this.posOf(node) };
    return acc;
  }

  private notExpression(node: CstNode): Expression {
    const inner = optNode(node, 'notExpression');
    if (inner) return { kind: 'Not', operand: this.notExpression(inner), pos: this.posOf(node) };
    return this.predicated(child(node, 'predicated'));
  }

  private predicated(node: CstNode): Expression {
    const operand = this.valueExpression(child(node, 'valueExpression'));
    const p = optNode(node, 'predicate');
    if (!p) return operand;
    const pos = this.posOf(node);
    const negated = has(p, 'NOT');
    const cmp = optNode(p, 'comparisonOperator');
    if (cmp) {
      const right = this.valueExpression(child(p, 'right'));
      return { kind: 'Comparison', op: comparisonOp(token(cmp, 'op')), left: operand, right, pos };
    }
    if (has(p, 'BETWEEN')) {
      const low = this.valueExpression(child(p, 'low'));
      const high = this.valueExpression(child(p, 'high'));
      return { kind: 'Between', operand, low, high, negated, pos };
    }
    if (has(p, 'IN')) {
      return { kind: 'InList', operand, list: nodes(p, 'list').map((n) => this.expression(n)), negated, pos };
    }
    if (has(p, 'LIKE')) {
      const pattern = this.valueExpression(child(p, 'pattern'));
      const esc = optToken(p, 'escape');
      if (!esc) return { kind: 'Like', operand, pattern, negated, pos };
      const escapeChar = unquoteString(esc.image);
      if ([...escapeChar].length !== 1) {
        throw syntaxError(`ESCAPE must be a single character, got '${escapeChar}'`, this.posOfToken(esc));
      }
      return { kind: 'Like', operand, pattern, escape: escapeChar, negated, pos };
    }
    if (has(p, 'NULL')) return { kind: 'IsNull', operand, negated, pos };
    const right = this.valueExpression(child(p, 'distinctFrom'));
    return { kind: 'Comparison', op: negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', left: operand, right, pos };
  }

  valueExpression(node: CstNode): Expression {
    const [first, ...rest] = nodes(node, 'operands');
    if (!first) throw new InternalError('CST valueExpression: no operands');
    let acc = this.additive(first);
    for (const r of rest) acc = { kind: 'Concat', left: acc, right: this.additive(r), pos: this.posOf(node) };
    return acc;
  }

  private additive(node: CstNode): Expression {
    const [first, ...rest] = nodes(node, 'operands');
    if (!first) throw new InternalError('CST additiveExpression: no operands');
    const ops = tokens(node, 'ops');
    let acc = this.multiplicative(first);
    rest.forEach((r, i) => {
      const op = ops[i]?.image === '-' ? '-' : '+';
      acc = { kind: 'Arithmetic', op, left: acc, right: this.multiplicative(r), pos: this.posOf(node) };
    });
    return acc;
  }

  private multiplicative(node: CstNode): Expression {
    const [first, ...rest] = nodes(node, 'operands');
    if (!first) throw new InternalError('CST multiplicativeExpression: no operands');
    const ops = tokens(node, 'ops');
    let acc = this.unary(first);
    rest.forEach((r, i) => {
      const img = ops[i]?.image;
      const op = img === '/' ? '/' : img === '%' ? '%' : '*';
      acc = { kind: 'Arithmetic', op, left: acc, right: this.unary(r), pos: this.posOf(node) };
    });
    return acc;
  }

  private unary(node: CstNode): Expression {
    const op = optToken(node, 'op');
    if (op) {
      const operand = this.unary(child(node, 'unaryExpression'));
      return { kind: 'Unary', op: op.image === '-' ? '-' : '+', operand, pos: this.posOfToken(op) };
    }
    return this.postfix(child(node, 'postfixExpression'));
  }

  private postfix(node: CstNode): Expression {
    let acc = this.primary(child(node, 'primaryExpression'));
    const pos = this.posOf(node);
    // Suffixes in source order: '[' index ']' or '->' field.
    const marks = [...tokens(node, 'subscript'), ...tokens(node, 'deref')].sort((a, b) => a.startOffset - b.startOffset);
    const suffixes = nodes(node, 'suffix');
    marks.forEach((m, i) => {
      const s = suffixes[i];
      if (!s) throw new InternalError('CST postfixExpression: suffix mismatch');
      acc = tokenMatcher(m, T.Arrow)
        ? { kind: 'Dereference', base: acc, field: this.identifier(s), pos }
        : { kind: 'Subscript', base: acc, index: this.valueExpression(s), pos };
    });
    return acc;
  }

  private primary(node: CstNode): Expression {
    const [key, list] = Object.entries(node.children).find(([, v]) => v.length > 0) ?? [];
    const first = list?.[0];
    if (!key || !first) throw new InternalError('CST primaryExpression: empty');
    const sub = first as CstNode;
    switch (key) {
      case 'literal':
        return this.literal(sub);
      case 'caseExpression':
        return this.caseExpression(sub);
      case 'castExpression':
        return { kind: 'Cast', operand: this.expression(child(sub, 'expression')), type: this.type(child(sub, 'type')), pos: this.posOf(sub) };
      case 'arrayConstructor':
        return { kind: 'CreateArray', items: nodes(sub, 'items').map((n) => this.expression(n)), pos: this.posOf(sub) };
      case 'mapConstructor': {
        const values = nodes(sub, 'values');
        const entries = nodes(sub, 'keys').map((k, i) => ({ key: this.expression(k), value: this.expression(at(values, i)) }));
        return { kind: 'CreateMap', entries, pos: this.posOf(sub) };
      }
      case 'structConstructor': {
        const values = nodes(sub, 'values');
        const fields = nodes(sub, 'names').map((n, i) => ({ name: this.identifier(n), value: this.expression(at(values, i)) }));
        return { kind: 'CreateStruct', fields, pos: this.posOf(sub) };
      }
      case 'functionCall':
        return this.functionCall(sub);
      case 'columnReference': {
        const parts = nodes(sub, 'parts').map((n) => this.identifier(n));
        const pos = this.posOf(sub);
        if (parts.length === 2) return { kind: 'ColumnRef', source: at(parts, 0), name: at(parts, 1), pos };
        return { kind: 'ColumnRef', name: at(parts, 0), pos };
      }
      case 'LParen':
      case 'expression':
      case 'RParen':
        return this.expression(child(node, 'expression'));
      default:
        throw new InternalError(`CST primaryExpression: unexpected ${key}`);
    }
  }

  private caseExpression(node: CstNode): Expression {
    const whens: WhenClause[] = nodes(node, 'whenClause').map((w) => ({
      when: this.expression(child(w, 'when')),
      then: this.expression(child(w, 'then')),
    }));
    const elseNode = optNode(node, 'else');
    const elseExpr = elseNode ? { else: this.expression(elseNode) } : {};
    const operand = optNode(node, 'operand');
    const pos = this.posOf(node);
    if (operand) return { kind: 'SimpleCase', operand: this.valueExpression(operand), whens, ...elseExpr, pos };
    return { kind: 'SearchedCase', whens, ...elseExpr, pos };
  }

  private functionCall(node: CstNode): Expression {
    const name = this.identifier(child(node, 'name')).toUpperCase();
    const args = nodes(node, 'args').map((a) => this.functionArgument(a));
    // `COUNT(*)` and `COUNT()` are the same call; other zero-argument calls keep star false.
    const star = has(node, 'Star') || (args.length === 0 && name === 'COUNT');
    return { kind: 'FunctionCall', name, args, star, distinct: has(node, 'DISTINCT'), pos: this.posOf(node) };
  }

  private functionArgument(node: CstNode): Expression {
    const lambda = optNode(node, 'lambda');
    if (!lambda) return this.expression(child(node, 'expression'));
    return {
      kind: 'Lambda',
      params: nodes(lambda, 'params').map((p) => this.identifier(p)),
      body: this.expression(child(lambda, 'body')),
      pos: this.posOf(lambda),
    };
  }

  literal(node: CstNode): Literal {
    const tok = token(node, 'value');
    const minus = optToken(node, 'minus');
    const pos = this.posOf(node);
    if (tokenMatcher(tok, T.NULL)) return { kind: 'Literal', literalType: 'NULL', value: null, pos };
    if (tokenMatcher(tok, T.TRUE)) return { kind: 'Literal', literalType: 'BOOLEAN', value: true, pos };
    if (tokenMatcher(tok, T.FALSE)) return { kind: 'Literal', literalType: 'BOOLEAN', value: false, pos };
    if (tokenMatcher(tok, T.StringLiteral)) {
      return { kind: 'Literal', literalType: 'STRING', value: unquoteString(tok.image), pos };
    }
    const digits = (minus ? '-' : '') + tok.image;
    if (tokenMatcher(tok, T.DecimalLiteral)) return { kind: 'Literal', literalType: 'DECIMAL', value: digits, pos };
    if (tokenMatcher(tok, T.FloatingPointLiteral)) {
      const value = Number(digits);
      if (!Number.isFinite(value)) throw prepareError(`Number overflows DOUBLE: ${digits}`, pos);
      return { kind: 'Literal', literalType: 'DOUBLE', value, pos };
    }
    const n = BigInt(digits);
    if (n >= INT32_MIN && n <= INT32_MAX) return { kind: 'Literal', literalType: 'INTEGER', value: Number(n), pos };
    if (n >= INT64_MIN && n <= INT64_MAX) {
      return { kind: 'Literal', literalType: 'BIGINT', value: Number(n), digits: n.toString(), pos };
    }
    throw prepareError(`Invalid numeric literal: ${digits}`, pos);
  }

  // ---------- types ----------

  type(node: CstNode): TypeNode {
    const pos = this.posOf(node);
    if (has(node, 'ARRAY')) return { kind: 'Array', item: this.type(child(node, 'item')), pos };
    if (has(node, 'MAP')) return { kind: 'Map', key: this.type(child(node, 'key')), value: this.type(child(node, 'value')), pos };
    if (has(node, 'STRUCT')) {
      const types = nodes(node, 'fieldTypes');
      const fields = nodes(node, 'fieldNames').map((n, i) => ({ name: this.identifier(n), type: this.type(at(types, i)) }));
      return { kind: 'Struct', fields, pos };
    }
    if (has(node, 'DECIMAL')) {
      return {
        kind: 'Decimal',
        precision: Number(token(node, 'precision').image),
        scale: Number(token(node, 'scale').image),
        pos,
      };
    }
    const base = child(node, 'baseType');
    const name = this.identifier(base);
    const tok = token(base, 'token');
    const quoted = tokenMatcher(tok, T.QuotedIdentifier) || tokenMatcher(tok, T.BackQuotedIdentifier);
    const prim = quoted ? undefined : PRIMITIVES.get(name);
    if (prim) return { kind: 'Primitive', name: prim, pos };
    return { kind: 'Custom', name, pos };
  }
}

function comparisonOp(tok: IToken): ComparisonOp {
  switch (tok.image) {
    case '=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return tok.image;
    default:
      return '<>';
  }
}

function at<E>(list: readonly E[], i: number): E {
  const e = list[i];
  if (e === undefined) throw new InternalError(`CST: missing element ${i}`);
  return e;
}
