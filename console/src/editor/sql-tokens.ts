/**
 * A small SQL tokenizer for completion: enough of ksqlDB's lexical rules to
 * find words, quoted identifiers and punctuation while skipping strings and
 * comments. Not a parser; it never fails.
 */

/** What a token is. `word` is a keyword or unquoted name; `quoted` a "…" or `…` identifier (text unquoted). */
export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'punct';

/** One token: its kind, its text (a quoted identifier without its quotes) and where it is. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/** The tokens of a text, and whether it ends inside a string, quoted identifier or comment. */
export interface SqlTokens {
  readonly tokens: readonly SqlToken[];
  /** The text ends in an unterminated string, quoted identifier or comment. */
  readonly open: boolean;
}

/** Characters of an unquoted name or keyword. */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$]/.test(c);
}

/** Index of the quote closing the one at `i`, or -1 (a doubled quote is an escaped one). */
function closingQuote(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === q) {
      if (text[j + 1] === q) j += 2;
      else return j;
    } else j++;
  }
  return -1;
}

/** Splits `text` into tokens (blanks and comments dropped). */
export function tokenize(text: string): SqlTokens {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return { tokens, open: true };
      i = nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { tokens, open: true };
      i = end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(text, i);
      if (end < 0) return { tokens, open: true };
      const inner = text
        .slice(i + 1, end)
        .split(c + c)
        .join(c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text: inner, from: i, to: end + 1 });
      i = end + 1;
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (isWordChar(text[j])) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), from: i, to: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', text: c, from: i, to: i + 1 });
      i++;
    }
  }
  return { tokens, open: false };
}

/** Is `t` a word equal (ignoring case) to one of `words` (upper-case)? */
export function isWord(t: SqlToken | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === 'word' && words.includes(t.text.toUpperCase());
}
