/**
 * A place in SQL source text. `line` and `column` are 1-based, `offset` is the
 * 0-based character offset into the text the statement was parsed from.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Longest source line a caret snippet shows whole. */
const SNIPPET_MAX = 200;

/** Renders `line:column` and a caret snippet under the offending place. */
export function caretSnippet(source: string, pos: Position): string {
  const lines = source.split('\n');
  const line = lines[pos.line - 1] ?? '';
  const col = Math.max(0, pos.column - 1);
  if (line.length <= SNIPPET_MAX) return `${line}\n${' '.repeat(col)}^`;
  // A long line is shown as a window around the caret, so an error never echoes a huge statement.
  const start = Math.max(0, Math.min(col - SNIPPET_MAX / 2, line.length - SNIPPET_MAX));
  const head = start > 0 ? '...' : '';
  const tail = start + SNIPPET_MAX < line.length ? '...' : '';
  return `${head}${line.slice(start, start + SNIPPET_MAX)}${tail}\n${' '.repeat(head.length + col - start)}^`;
}
