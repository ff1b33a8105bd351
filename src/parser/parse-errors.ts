/**
 * ksqlDB-style syntax error messages ("mismatched input 'X' expecting …") for
 * the chevrotain parser, and the conversion of chevrotain/lexer errors into
 * {@link ParseError}.
 */
import { EOF, tokenLabel, type IParserErrorMessageProvider, type IRecognitionException, type ILexingError, type IToken, type TokenType } from 'chevrotain';
import { ParseError } from '../common/errors.js';
import { caretSnippet, type Position } from '../common/position.js';

const MAX_EXPECTED = 8;

function label(t: TokenType): string {
  if (t === EOF) return '<EOF>';
  switch (t.name) {
    case 'Identifier':
    case 'NonReserved':
    case 'QuotedIdentifier':
    case 'BackQuotedIdentifier':
    case 'DigitIdentifier':
      return 'identifier';
    case 'StringLiteral':
      return 'string';
    case 'IntegerLiteral':
      return 'integer';
    case 'DecimalLiteral':
    case 'FloatingPointLiteral':
      return 'number';
    default:
      return tokenLabel(t);
  }
}

function expectedList(types: readonly TokenType[]): string {
  const labels = [...new Set(types.map(label))];
  if (labels.length === 1) return labels[0] ?? '';
  const shown = labels.slice(0, MAX_EXPECTED);
  return `{${shown.join(', ')}${labels.length > MAX_EXPECTED ? ', …' : ''}}`;
}

function image(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return '<EOF>';
  return tok.image;
}

/** Builds ksqlDB-like messages for chevrotain's recognition errors. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `mismatched input '${image(actual)}' expecting ${label(expected)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `extraneous input '${image(firstRedundant)}' expecting <EOF>`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    const firsts = expectedPathsPerAlt
      .flat()
      .map((path) => path[0])
      .filter((t): t is TokenType => t !== undefined);
    return `mismatched input '${image(actual[0])}' expecting ${expectedList(firsts)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const firsts = expectedIterationPaths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined);
    return `mismatched input '${image(actual[0])}' expecting ${expectedList(firsts)}`;
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
 * A ParseError whose message already names the position
 * (`Syntax error at line L:C: …`), so `describe` does not repeat it.
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

/** `Syntax error at line L:C: <detail>` as a ParseError at `pos`. */
export function syntaxError(detail: string, pos: Position): ParseError {
  return new SqlSyntaxError(`Syntax error at line ${pos.line}:${pos.column}: ${detail}`, pos);
}

/** The ParseError for the first lexing error. */
export function lexingError(err: ILexingError, text: string, shift: PositionShift): ParseError {
  const pos = shift.ofOffset(err.offset);
  const ch = text.slice(err.offset, err.offset + err.length);
  const what = ch.startsWith('/*')
    ? 'unterminated comment'
    : ch.startsWith("'")
      ? 'unterminated string literal'
      : ch.startsWith('`') || ch.startsWith('"')
        ? 'unterminated quoted identifier'
        : `unexpected character '${ch.slice(0, 1)}'`;
  return syntaxError(what, pos);
}

/** The ParseError for the first parser error. */
export function recognitionError(err: IRecognitionException, shift: PositionShift): ParseError {
  const tok = err.token;
  // "… but found EOF": point just after the previous token.
  const prev = (err as IRecognitionException & { previousToken?: IToken }).previousToken;
  if (tok.tokenType === EOF && prev && prev.tokenType !== EOF && !Number.isNaN(prev.startOffset)) {
    return syntaxError(err.message, shift.ofOffset((prev.endOffset ?? prev.startOffset) + 1));
  }
  return syntaxError(err.message, shift.ofToken(tok));
}
