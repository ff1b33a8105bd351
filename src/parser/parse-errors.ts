/**
 * Syntax errors worded as ksqlDB words them: a `line L:C: Syntax Error` first
 * line, then one line of detail (`Unknown statement 'X'`, `Syntax error at or
 * near 'X' at line L:C`, `Expecting {…}`, `extraneous input 'X' expecting ';'`,
 * the reserved-keyword hint, `token recognition error at: '…'`), as its
 * parser's error listener and error strategy report ANTLR's recognition errors.
 * Chevrotain's error kinds map onto ANTLR's: no viable alternative and early
 * exit → "at or near", a mismatched token → "Expecting", input left over →
 * "extraneous input". Sluice's caret snippet comes after these lines.
 */
import {
  EOF,
  createTokenInstance,
  tokenLabel,
  tokenMatcher,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type ILexingError,
  type IToken,
  type TokenType,
} from 'chevrotain';
import { ParseError } from '../common/errors.js';
import { caretSnippet, type Position } from '../common/position.js';
import { allTokens, KEYWORDS, NonReserved, Semicolon } from './lexer.js';

/** ANTLR's vocabulary name for a token type, as ksqlDB's "Expecting" sets show them. */
function label(t: TokenType): string {
  if (t === EOF) return '<EOF>';
  switch (t.name) {
    case 'Identifier':
    case 'NonReserved':
      return 'IDENTIFIER';
    case 'QuotedIdentifier':
      return 'QUOTED_IDENTIFIER';
    case 'BackQuotedIdentifier':
      return 'BACKQUOTED_IDENTIFIER';
    case 'DigitIdentifier':
      return 'DIGIT_IDENTIFIER';
    case 'StringLiteral':
      return 'STRING';
    case 'IntegerLiteral':
      return 'INTEGER_VALUE';
    case 'DecimalLiteral':
      return 'DECIMAL_VALUE';
    case 'FloatingPointLiteral':
      return 'FLOATING_POINT_VALUE';
    case 'Variable':
      return 'VARIABLE';
    default:
      return tokenLabel(t);
  }
}

/**
 * Order of ksqlDB's token types, which ANTLR lists expected sets in: EOF, the
 * grammar's implicit literals (in order of first use), keywords, operators,
 * then literal and identifier tokens.
 */
const IMPLICIT = ["';'", "','", "'('", "')'", "'.'", "'['", "']'", "'STRING'", "'=>'"];
const KEYWORD_ORDER = [...KEYWORDS].filter((k) => k !== 'STRING');
const OPERATORS = ["'='", "'<>'", "'<'", "'<='", "'>'", "'>='", "'+'", "'-'", "'*'", "'/'", "'%'", "'||'", "':='", "'->'"];
const SYMBOLIC = [
  'STRING',
  'INTEGER_VALUE',
  'DECIMAL_VALUE',
  'FLOATING_POINT_VALUE',
  'IDENTIFIER',
  'DIGIT_IDENTIFIER',
  'QUOTED_IDENTIFIER',
  'BACKQUOTED_IDENTIFIER',
  'VARIABLE',
];

function rank(l: string): number {
  if (l === '<EOF>') return -1;
  const groups: readonly (readonly string[])[] = [IMPLICIT, KEYWORD_ORDER.map((k) => `'${k}'`), OPERATORS, SYMBOLIC];
  let base = 0;
  for (const g of groups) {
    const i = g.indexOf(l);
    if (i >= 0) return base + i;
    base += g.length;
  }
  return base;
}

/** ANTLR's IntervalSet text: one name alone, several in braces, in token-type order. */
function expectedSet(types: readonly TokenType[]): string {
  const labels = [...new Set(types.map(label))].sort((a, b) => rank(a) - rank(b));
  return labels.length === 1 ? (labels[0] ?? '') : `{${labels.join(', ')}}`;
}

/** ANTLR's token display: the text, with line breaks and tabs escaped. */
function display(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return '<EOF>';
  return tok.image.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/** A keyword ksqlDB reserves: a keyword token without the NonReserved category. */
function isReservedKeyword(tok: IToken | undefined): boolean {
  if (!tok || tok.tokenType === EOF) return false;
  const t = tok.tokenType;
  return typeof t.LABEL === 'string' && t.LABEL === `'${t.name}'` && /^[A-Z_]+$/.test(t.name) && !tokenMatcher(tok, NonReserved);
}

/** Whether an identifier may stand where the parser failed. */
function identifierExpected(types: readonly TokenType[]): boolean {
  return types.some((t) => label(t).endsWith('IDENTIFIER'));
}

/** ksqlDB's hint for a reserved word where an identifier may stand (its trailing space included). */
function reservedKeyword(tok: IToken): string {
  return `"${tok.image}" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as '${tok.image}' `;
}

/**
 * Ends a detail with the offset of the token it is about (`\u0001offset`), and
 * stands for that token's `line:column` inside it (`\u0000`); {@link
 * recognitionError} fills these in and reports the error there.
 */
const MARK = /\u0001(-?\d+)$/;
const AT = '\u0000';

/** Ends a mismatched-token detail with the expected token's name, for {@link singleTokenRecovery}. */
const EXPECTED = '\u0002';

/** At most this many expected tokens are listed (`Expecting …`); more read as "at or near", as in ksqlDB. */
const MAX_EXPECTED = 3;

/**
 * The token where no alternative can go on, as ANTLR's adaptive prediction
 * reports it: past the longest prefix of the lookahead that some alternative's
 * path matches (chevrotain names the token the choice started at).
 */
function offending(actual: readonly IToken[], paths: readonly (readonly TokenType[])[]): IToken | undefined {
  let longest = 0;
  for (const path of paths) {
    let k = 0;
    while (k < path.length && k < actual.length && tokenMatcher(actual[k]!, path[k]!)) k++;
    if (k < path.length) longest = Math.max(longest, k);
  }
  return actual[Math.min(longest, actual.length - 1)];
}

/**
 * The detail for a token no alternative accepts: the reserved-keyword hint, a
 * short `Expecting …` list (at most {@link MAX_EXPECTED}), else `Syntax error at
 * or near 'X' at line L:C`.
 */
function atOrNear(actual: readonly IToken[], paths: readonly (readonly TokenType[])[]): string {
  const tok = offending(actual, paths);
  const k = tok ? actual.indexOf(tok) : 0;
  const expected = paths.filter((p) => p.length > k && actual.slice(0, k).every((t, i) => tokenMatcher(t, p[i]!))).map((p) => p[k]!);
  const offset = !tok || tok.tokenType === EOF || Number.isNaN(tok.startOffset) ? -1 : tok.startOffset;
  if (tok && isReservedKeyword(tok) && identifierExpected(expected)) return `${reservedKeyword(tok)}\u0001${offset}`;
  const labels = new Set(expected.map(label));
  if (labels.size > 0 && labels.size <= MAX_EXPECTED) return `Expecting ${expectedSet(expected)}\u0001${offset}`;
  return `Syntax error at or near '${display(tok)}' at line ${AT}\u0001${offset}`;
}

/** Detail lines for chevrotain's recognition errors, as ksqlDB's error strategy words ANTLR's. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (isReservedKeyword(actual) && identifierExpected([expected])) return reservedKeyword(actual);
    return `Expecting ${expectedSet([expected])}${EXPECTED}${expected.name}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    if (isReservedKeyword(firstRedundant)) return reservedKeyword(firstRedundant);
    return `extraneous input '${display(firstRedundant)}' expecting ${label(Semicolon)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    return atOrNear(actual, expectedPathsPerAlt.flat());
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return atOrNear(actual, expectedIterationPaths);
  },
};

/** Maps positions in the parsed text to positions in the whole script. */
export class PositionShift {
  constructor(
    private readonly text: string,
    private readonly base: Position | undefined,
  ) {}

  /** Position of a (1-based line/column, 0-based offset) place in the text. */
  at(line: number, column: number, offset: number): Position {
    const b = this.base;
    if (!b) return { line, column, offset };
    return {
      line: b.line + line - 1,
      column: line === 1 ? b.column + column - 1 : column,
      offset: b.offset + offset,
    };
  }

  /** Position of a token; EOF maps to the end of the text. */
  ofToken(tok: IToken): Position {
    if (tok.tokenType === EOF || Number.isNaN(tok.startOffset) || tok.startLine === undefined) return this.end();
    return this.at(tok.startLine, tok.startColumn ?? 1, tok.startOffset);
  }

  /** Position just after the last character of the text. */
  end(): Position {
    return this.ofOffset(this.text.length);
  }

  /** Position of a character offset in the text. */
  ofOffset(offset: number): Position {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.text.length; i++) {
      if (this.text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return this.at(line, offset - lineStart + 1, offset);
  }
}

/**
 * A ParseError whose message already names the position (`line L:C: Syntax
 * Error` and its detail), so `describe` adds only the caret snippet, after
 * ksqlDB's lines.
 */
export class SqlSyntaxError extends ParseError {
  constructor(message: string, position: Position) {
    super(message, position);
    this.name = 'ParseError';
  }

  override describe(source?: string): string {
    if (source === undefined || !this.position) return this.message;
    return `${this.message}\n${caretSnippet(source, this.position)}`;
  }
}

/** ksqlDB's syntax error: `line L:C: Syntax Error` and the detail on the next line, at `pos`. */
export function syntaxError(detail: string, pos: Position): ParseError {
  return new SqlSyntaxError(`line ${pos.line}:${pos.column}: Syntax Error\n${detail}`, pos);
}

/**
 * An error ksqlDB's AST builder raises while preparing a parsed statement
 * (`Failed to prepare statement: line L:C: …`), e.g. a numeric literal out of range.
 */
export function prepareError(detail: string, pos: Position): ParseError {
  return new SqlSyntaxError(`Failed to prepare statement: line ${pos.line}:${pos.column}: ${detail}`, pos);
}

/**
 * The ParseError for the first lexing error: ANTLR's `token recognition error
 * at: '…'`, the text from where no token matched (to the end of the input for
 * an unterminated string or quoted identifier, as ANTLR's lexer reads it).
 */
export function lexingError(err: ILexingError, text: string, shift: PositionShift): ParseError {
  const pos = shift.ofOffset(err.offset);
  const ch = text.slice(err.offset, err.offset + err.length);
  const unterminated = ch.startsWith("'") || ch.startsWith('`') || ch.startsWith('"');
  const bad = unterminated ? text.slice(err.offset) : ch.slice(0, 1);
  const shown = bad.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return syntaxError(`token recognition error at: '${shown}'`, pos);
}

/** The first words of every statement ksqlDB's server grammar takes, for "Did you mean". */
const STATEMENT_WORDS = [
  'SELECT',
  'CREATE',
  'INSERT',
  'DROP',
  'TERMINATE',
  'SHOW',
  'LIST',
  'DESCRIBE',
  'EXPLAIN',
  'SET',
  'UNSET',
  'DEFINE',
  'UNDEFINE',
  'PRINT',
  'PAUSE',
  'RESUME',
  'ALTER',
  'ASSERT',
] as const;

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * `Unknown statement 'X'` for a statement whose first word starts none of
 * ksqlDB's statements, with `Did you mean 'W'?` when one is a typo away
 * (at most two edits, and fewer than the word's length).
 */
export function unknownStatement(first: IToken, shift: PositionShift): ParseError {
  const word = first.image.toUpperCase();
  let best: { readonly w: string; readonly d: number } | undefined;
  for (const w of STATEMENT_WORDS) {
    const d = editDistance(word, w);
    if (d <= 2 && d < word.length && (!best || d < best.d)) best = { w, d };
  }
  const hint = best ? `\nDid you mean '${best.w}'?` : '';
  return syntaxError(`Unknown statement '${display(first)}'${hint}`, shift.ofToken(first));
}

/** Whether a token can start a statement of the grammar (its first word is a statement keyword). */
export function startsStatement(first: IToken): boolean {
  return (STATEMENT_WORDS as readonly string[]).includes(first.tokenType.name);
}

/**
 * Longest prefix the `missing …` check hands to the parser's content assist, whose
 * cost grows with it (a few tens of milliseconds here); past it a mismatch reads
 * `Expecting …`.
 */
const MAX_ASSIST_TOKENS = 100;

/** The token types that may follow `preceding` in a statement (the parser's content assist). */
export type NextTokens = (preceding: readonly IToken[]) => readonly TokenType[];

/**
 * ANTLR's single-token recovery for a mismatched token, which ksqlDB reports as
 * such: when the token after the offending one is the expected one, `extraneous
 * input 'X' expecting Y` (or the reserved-keyword hint for a reserved word);
 * when the offending token could follow the expected one, `missing Y at 'X'`.
 */
export function singleTokenRecovery(err: IRecognitionException, tokens: readonly IToken[], next: NextTokens): IRecognitionException {
  const at = err.message.lastIndexOf(EXPECTED);
  if (at < 0) return err;
  const name = err.message.slice(at + EXPECTED.length);
  const withMessage = (message: string): IRecognitionException => ({
    name: err.name,
    message,
    token: err.token,
    resyncedTokens: err.resyncedTokens,
    context: err.context,
  });
  const plain = withMessage(err.message.slice(0, at));
  const expected = allTokens.find((t) => t.name === name);
  const tok = err.token;
  const i = tokens.indexOf(tok);
  if (!expected || i < 0) return plain;
  const after = tokens[i + 1];
  if (after && tokenMatcher(after, expected)) {
    return withMessage(isReservedKeyword(tok) ? reservedKeyword(tok) : `extraneous input '${display(tok)}' expecting ${expectedSet([expected])}`);
  }
  if (i > MAX_ASSIST_TOKENS) return plain;
  const prev = tokens[i - 1];
  const line = prev?.endLine ?? 1;
  const column = prev?.endColumn ?? 1;
  const inserted = createTokenInstance(expected, '', tok.startOffset, tok.startOffset, line, line, column, column);
  if (next([...tokens.slice(0, i), inserted]).some((t) => tokenMatcher(tok, t))) return withMessage(`missing ${expectedSet([expected])} at '${display(tok)}'`);
  return plain;
}

/** The ParseError for the first parser error. */
export function recognitionError(err: IRecognitionException, shift: PositionShift): ParseError {
  const tok = err.token;
  // "… but found EOF": point just after the previous token.
  const prev = (err as IRecognitionException & { previousToken?: IToken }).previousToken;
  const marked = MARK.exec(err.message);
  const at = marked ? Number(marked[1]) : -1;
  const detail = err.message.replace(MARK, '');
  const pos =
    at >= 0
      ? shift.ofOffset(at)
      : tok.tokenType === EOF && prev && prev.tokenType !== EOF && !Number.isNaN(prev.startOffset)
        ? shift.ofOffset((prev.endOffset ?? prev.startOffset) + 1)
        : shift.ofToken(tok);
  return syntaxError(detail.replace(AT, `${pos.line}:${pos.column}`), pos);
}

/**
 * ksqlDB's server answer to a testing-tool assertion (ASSERT VALUES, ASSERT NULL
 * VALUES, ASSERT STREAM|TABLE): its server grammar has no such statements, so
 * it fails at the word after ASSERT.
 */
export function testOnlyStatementError(word: { readonly image: string; readonly pos: Position }): ParseError {
  return syntaxError(`Syntax error at or near '${word.image}' at line ${word.pos.line}:${word.pos.column}`, word.pos);
}
