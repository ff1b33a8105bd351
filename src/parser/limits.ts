/**
 * Bounds on what one statement may ask of the parser and planner, so that no
 * statement can overflow the stack or hold the event loop for long: text size,
 * token count, bracket nesting, identifier length, expression depth and
 * IN-list size. Each bound is checked before the work it protects and fails
 * with a {@link ParseError} at the offending place (HTTP 400, error 40001).
 */
import type { IToken } from 'chevrotain';
import { ParseError } from '../common/errors.js';
import type { Position } from '../common/position.js';
import { ARRAY, BackQuotedIdentifier, CASE, END, Gt, Identifier, LBracket, LParen, Lt, MAP, QuotedIdentifier, RBracket, RParen, STRUCT } from './lexer.js';

/** The bounds; see the module comment. Chosen so every conformance case passes with room to spare. */
export const STATEMENT_LIMITS = {
  /** Characters in one statement (256 KiB; the request body is bounded separately). */
  maxChars: 262_144,
  /** Tokens in one statement: parsing stays well under a second. */
  maxTokens: 10_000,
  /** Open brackets `(`, `[`, type brackets `STRUCT<`, `ARRAY<`, `MAP<` and CASE … END nested inside each other: the parser recurses per level. */
  maxNesting: 100,
  /** Characters in one identifier, quoted or not (Kafka topic names allow 249; 255 leaves room for prefixes). */
  maxIdentifierLength: 255,
  /** Depth of an expression tree (`1+2+…` nests one level per term): planning recurses per level. */
  maxExpressionDepth: 1_000,
  /** Values in one `IN (…)` list. */
  maxInList: 2_500,
} as const;

/** A statement beyond one of {@link STATEMENT_LIMITS}. */
export class StatementLimitError extends ParseError {}

/** Checks text size before lexing. */
export function checkStatementSize(text: string, at: Position): void {
  const max = STATEMENT_LIMITS.maxChars;
  if (text.length > max) throw new StatementLimitError(`Statement is too large: ${text.length} characters, the limit is ${max}.`, at);
}

/**
 * Checks the lexed tokens of one statement: their number, how deeply brackets
 * nest, and identifier lengths. One pass, no recursion.
 */
export function checkTokens(tokens: readonly IToken[], pos: (t: IToken) => Position): void {
  const maxTokens = STATEMENT_LIMITS.maxTokens;
  if (tokens.length > maxTokens) {
    throw new StatementLimitError(`Statement is too large: ${tokens.length} tokens, the limit is ${maxTokens}.`, pos(tokens[maxTokens]!));
  }
  let depth = 0;
  // `<` opens a type bracket only right after STRUCT, ARRAY or MAP; `>` closes one while any is open.
  let typeBrackets = 0;
  let previous: IToken | undefined;
  for (const t of tokens) {
    const type = t.tokenType;
    const typeOpen = type === Lt && previous !== undefined && (previous.tokenType === STRUCT || previous.tokenType === ARRAY || previous.tokenType === MAP);
    previous = t;
    if (type === LParen || type === LBracket || type === CASE || typeOpen) {
      if (typeOpen) typeBrackets++;
      if (++depth > STATEMENT_LIMITS.maxNesting) {
        throw new StatementLimitError(`Statement is nested too deeply: more than ${STATEMENT_LIMITS.maxNesting} levels of brackets or CASE.`, pos(t));
      }
    } else if (type === RParen || type === RBracket || type === END || (type === Gt && typeBrackets > 0)) {
      if (type === Gt) typeBrackets--;
      depth = Math.max(0, depth - 1);
    } else if (type === Identifier || type === QuotedIdentifier || type === BackQuotedIdentifier) {
      const quoted = type === Identifier ? 0 : 2;
      const length = t.image.length - quoted;
      if (length > STATEMENT_LIMITS.maxIdentifierLength) {
        throw new StatementLimitError(`Identifier is too long: ${length} characters, the limit is ${STATEMENT_LIMITS.maxIdentifierLength}.`, pos(t));
      }
    }
  }
}

interface Node {
  readonly kind?: unknown;
  readonly pos?: Position;
}

/**
 * Checks the tree of a parsed statement without recursing: every expression
 * nests at most {@link STATEMENT_LIMITS.maxExpressionDepth} levels and every
 * IN list has at most {@link STATEMENT_LIMITS.maxInList} values.
 */
export function checkTree(root: object, fallback: Position): void {
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) {
        nodes.push(item);
        depths.push(depth);
      }
      continue;
    }
    const n = node as Node;
    const isNode = typeof n.kind === 'string';
    const d = isNode ? depth + 1 : depth;
    if (isNode) {
      if (d > STATEMENT_LIMITS.maxExpressionDepth) {
        throw new StatementLimitError(`Expression is nested too deeply: more than ${STATEMENT_LIMITS.maxExpressionDepth} levels.`, n.pos ?? fallback);
      }
      if (n.kind === 'InList') {
        const size = (node as { list: readonly unknown[] }).list.length;
        if (size > STATEMENT_LIMITS.maxInList) {
          throw new StatementLimitError(`IN list is too long: ${size} values, the limit is ${STATEMENT_LIMITS.maxInList}.`, n.pos ?? fallback);
        }
      }
    }
    for (const key in n) {
      if (key === 'pos') continue;
      const v = (n as Record<string, unknown>)[key];
      if (v !== null && typeof v === 'object') {
        nodes.push(v);
        depths.push(d);
      }
    }
  }
}
