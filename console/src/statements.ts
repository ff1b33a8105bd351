/** A statement of the editor's text: where it is and what it says. */
export interface StatementSpan {
  /** Offset of its first character (after leading blanks and comments) in the whole text. */
  readonly from: number;
  /** Offset just past its end (after the `;` when there is one). */
  readonly to: number;
  readonly text: string;
}

/** How the console runs a statement. */
export type StatementKind = 'query' | 'print' | 'other';

/**
 * Splits SQL text into statements at `;`, skipping `;` inside '…' strings,
 * "…" and `…` identifiers, and -- or /* comments. Blank pieces are dropped.
 */
export function splitStatements(text: string): StatementSpan[] {
  const out: StatementSpan[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const piece = text.slice(start, end);
    const lead = leadingTrivia(piece);
    if (piece.slice(lead).trim() !== '') {
      const from = start + lead;
      const trimmedEnd = start + piece.trimEnd().length;
      out.push({ from, to: trimmedEnd, text: text.slice(from, trimmedEnd) });
    }
    start = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = closing(text, i, c);
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === ';') {
      i++;
      push(i);
    } else i++;
  }
  push(text.length);
  return out;
}

/** Index just past the quote closing the one at `i` (a doubled quote is an escaped one). */
function closing(text: string, i: number, q: string): number {
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === q) {
      if (text[j + 1] === q) j += 2;
      else return j + 1;
    } else j++;
  }
  return text.length;
}

/** Length of the blanks and comments a piece starts with. */
function leadingTrivia(piece: string): number {
  let i = 0;
  for (;;) {
    while (i < piece.length && /\s/.test(piece[i]!)) i++;
    if (piece.startsWith('--', i)) {
      const nl = piece.indexOf('\n', i);
      i = nl < 0 ? piece.length : nl + 1;
    } else if (piece.startsWith('/*', i)) {
      const end = piece.indexOf('*/', i + 2);
      i = end < 0 ? piece.length : end + 2;
    } else return i;
  }
}

/** The statement the cursor at `pos` is in (or just after), if any. */
export function statementAt(text: string, pos: number): StatementSpan | undefined {
  const all = splitStatements(text);
  return all.find((s) => pos >= s.from && pos <= s.to) ?? all.filter((s) => s.to <= pos).pop() ?? all[0];
}

/** SELECT goes to /query-stream, PRINT to /query, everything else to /ksql. */
export function statementKind(text: string): StatementKind {
  const first = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
  if (first === 'SELECT') return 'query';
  if (first === 'PRINT') return 'print';
  return 'other';
}

/**
 * Where a ksqlDB error message (`line 2:7: …`) points, as an offset into the
 * statement's text, or undefined when it names no position.
 */
export function errorOffset(statement: string, message: string): number | undefined {
  const m = /line (\d+):(\d+)/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  const col = Number(m[2]);
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = statement.indexOf('\n', offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  return Math.min(offset + Math.max(col - 1, 0), statement.length);
}
