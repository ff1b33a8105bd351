/**
 * The SQL parser's public API: ksqlDB's dialect into the typed AST of
 * `./ast`. Every failure is a {@link ParseError} carrying a position.
 */
import type { CstNode, IToken } from 'chevrotain';
import { ParseError, SluiceError } from '../common/errors.js';
import type { Position } from '../common/position.js';
import type { Expression } from './ast/expression.js';
import type { Statement } from './ast/statement.js';
import { AstBuilder } from './ast-builder.js';
import { child } from './cst-access.js';
import { sqlParser } from './grammar.js';
import { sqlLexer, UnterminatedComment } from './lexer.js';
import { checkStatementSize, checkTokens, checkTree } from './limits.js';
import { lexingError, PositionShift, recognitionError, singleTokenRecovery, startsStatement, syntaxError, unknownStatement } from './parse-errors.js';
import { splitStatements } from './split.js';

export type * from './ast/index.js';
export { splitStatements, substituteVariables, type StatementSlice } from './split.js';
export { formatStatement, formatExpression, formatType, maskedStatement } from './format.js';
export { STATEMENT_LIMITS, StatementLimitError } from './limits.js';
export { testOnlyStatementError } from './parse-errors.js';

function run<R>(text: string, base: Position | undefined, rule: 'singleStatement' | 'singleExpression', build: (b: AstBuilder, cst: CstNode) => R): R {
  const shift = new PositionShift(text, base);
  try {
    checkStatementSize(text, shift.at(1, 1, 0));
    const lexed = sqlLexer().tokenize(text);
    const lexErr = lexed.errors[0];
    if (lexErr) throw lexingError(lexErr, text, shift);
    const open = lexed.tokens.find((t) => t.tokenType === UnterminatedComment);
    // ANTLR's lexer has no token for an unclosed `/*`: it reads `/` and fails there.
    if (open) throw syntaxError(`Syntax error at or near '/' at line ${shift.ofToken(open).line}:${shift.ofToken(open).column}`, shift.ofToken(open));
    checkTokens(lexed.tokens, (t) => shift.ofToken(t));
    const parser = sqlParser();
    parser.input = lexed.tokens;
    const cst = rule === 'singleStatement' ? parser.singleStatement() : parser.singleExpression();
    const err = parser.errors[0];
    const first = lexed.tokens[0];
    if (err && rule === 'singleStatement' && first && !startsStatement(first)) throw unknownStatement(first, shift);
    if (err) {
      const next = (preceding: readonly IToken[]) => parser.computeContentAssist(rule, [...preceding]).map((p) => p.nextTokenType);
      throw recognitionError(singleTokenRecovery(err, lexed.tokens, next), shift);
    }
    const tree = build(new AstBuilder(text, shift), cst);
    checkTree(tree as object, shift.at(1, 1, 0));
    return tree;
  } catch (e) {
    if (e instanceof ParseError) throw e;
    if (e instanceof RangeError) throw syntaxError('the statement is too complex to parse (nested too deeply)', shift.at(1, 1, 0));
    const msg = e instanceof SluiceError || e instanceof Error ? e.message : String(e);
    throw syntaxError(`internal parser error: ${msg}`, shift.at(1, 1, 0));
  }
}

/**
 * Parses exactly one statement (a trailing `;` is optional). `base` is where
 * `text` starts in a larger script, so that positions refer to the script.
 * @throws ParseError on any syntax error.
 */
export function parseStatement(text: string, base?: Position): Statement {
  const key = base === undefined ? text : `${base.line}:${base.column}:${base.offset}:${text}`;
  const hit = recent.get(key);
  if (hit !== undefined) return hit;
  const stmt = run(text, base, 'singleStatement', (b, cst) => b.statement(child(cst, 'statement')));
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, stmt);
  return stmt;
}

/**
 * The last few statements parsed, by text and base position: a request is often
 * parsed twice on its way in (the server checks its kind, the engine runs it), and
 * ASTs are immutable, so the second parse can share the first's tree.
 */
const recent = new Map<string, Statement>();
const RECENT_MAX = 64;

/**
 * Splits a script and parses every statement. Variables are not substituted
 * here: callers running scripts substitute each statement themselves, as
 * DEFINE statements take effect in order.
 */
export function parseStatements(sql: string): Statement[] {
  return splitStatements(sql).map((s) => parseStatement(s.text, s.pos));
}

/** Parses a standalone expression. @throws ParseError */
export function parseExpression(text: string): Expression {
  return run(text, undefined, 'singleExpression', (b, cst) => b.expression(child(cst, 'expression')));
}
