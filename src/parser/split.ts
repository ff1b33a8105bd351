/**
 * Script-level helpers: splitting a script into statements and ksqlDB's
 * `${name}` variable substitution.
 */
import type { Position } from '../common/position.js';

/** One statement of a script: its text (trimmed, without the `;`) and where it starts. */
export interface StatementSlice {
  readonly text: string;
  readonly pos: Position;
}

/**
 * Splits a script at `;` outside string literals, quoted identifiers and
 * comments. Segments holding only whitespace and comments are dropped.
 */
export function splitStatements(sql: string): StatementSlice[] {
  const out: StatementSlice[] = [];
  let start = 0;
  let hasContent = false;
  // Positions are found in one pass: each statement starts after the one before
  // (positionAt from the top each time made a script of many statements quadratic).
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  const at = (offset: number): Position => {
    for (; scanned < offset && scanned < sql.length; scanned++) {
      if (sql.charCodeAt(scanned) === 10 /* \n */) {
        line++;
        lineStart = scanned + 1;
      }
    }
    return { line, column: offset - lineStart + 1, offset };
  };
  const flush = (end: number): void => {
    if (hasContent) {
      const raw = sql.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      out.push({ text: raw.trim(), pos: at(start + lead) });
    }
    hasContent = false;
    start = end + 1;
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      hasContent = true;
      i = skipQuoted(sql, i, ch);
    } else if (ch === ';') {
      flush(i);
      i++;
    } else {
      if (ch !== undefined && !/\s/.test(ch)) hasContent = true;
      i++;
    }
  }
  flush(sql.length);
  return out;
}

/** Index just past the quoted run starting at `i` (a doubled quote escapes it). */
function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

/** The line/column/offset of a character offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/**
 * Replaces `${name}` references with the values of defined variables, as
 * ksqlDB does: everywhere in the text (string literals included), names
 * matched case-insensitively. Unknown variables are left as written, and
 * `$${name}` is an escaped reference that becomes the literal `${name}`.
 */
export function substituteVariables(text: string, vars: ReadonlyMap<string, string>): string {
  if (!text.includes('${')) return text;
  const lower = new Map<string, string>();
  for (const [k, v] of vars) lower.set(k.toLowerCase(), v);
  return text.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, escaped: string, name: string) => {
    if (escaped) return whole.slice(1);
    return lower.get(name.toLowerCase()) ?? whole;
  });
}
