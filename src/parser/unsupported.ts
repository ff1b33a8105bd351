/**
 * Statements of ksqlDB's grammar that Sluice does not build (connectors):
 * recognised by their leading keywords before parsing, so that they are
 * refused as "not supported yet" rather than reported as a typing mistake.
 */
import type { IToken, TokenType } from 'chevrotain';
import { NotImplementedError } from '../common/errors.js';
import type { Position } from '../common/position.js';
import * as T from './lexer.js';

/** A ksqlDB statement Sluice recognises but does not run; `position` is its first keyword. */
export class UnsupportedStatementError extends NotImplementedError {
  constructor(
    /** The statement's leading keywords, e.g. `CREATE SOURCE CONNECTOR`. */
    readonly statement: string,
    position: Position,
  ) {
    super(`Statement not supported by Sluice yet: ${statement}`, position);
  }
}

/** Leading keyword sequences of ksqlDB statements Sluice does not build; an array is "one of". */
const UNSUPPORTED: readonly (readonly (TokenType | readonly TokenType[])[])[] = [
  [T.CREATE, [T.SOURCE, T.SINK], T.CONNECTOR],
  [T.DROP, T.CONNECTOR],
  [T.DESCRIBE, T.CONNECTOR],
  [[T.SHOW, T.LIST], T.CONNECTORS],
  [[T.SHOW, T.LIST], [T.SOURCE, T.SINK], T.CONNECTORS],
  [[T.SHOW, T.LIST], T.CONNECTOR, T.PLUGINS],
];

function matches(tok: IToken | undefined, want: TokenType | readonly TokenType[]): boolean {
  if (!tok) return false;
  return Array.isArray(want) ? want.includes(tok.tokenType) : tok.tokenType === want;
}

/**
 * The leading keywords of an unsupported ksqlDB statement the tokens start with
 * (upper-cased, as written), or undefined when the statement is one Sluice runs.
 * A leading `EXPLAIN` is looked through.
 */
export function unsupportedStatement(tokens: readonly IToken[]): { readonly words: string; readonly first: IToken } | undefined {
  const start = tokens[0]?.tokenType === T.EXPLAIN ? 1 : 0;
  for (const seq of UNSUPPORTED) {
    if (seq.every((want, i) => matches(tokens[start + i], want))) {
      const words = tokens
        .slice(start, start + seq.length)
        .map((t) => t.image.toUpperCase())
        .join(' ');
      return { words, first: tokens[start]! };
    }
  }
  return undefined;
}
