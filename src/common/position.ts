/**
 * A place in SQL source text. `line` and `column` are 1-based, `offset` is the
 * 0-based character offset into the text the statement was parsed from.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Renders `line:column` and a caret snippet under the offending place. */
export function caretSnippet(source: string, pos: Position): string {
  const lines = source.split('\n');
  const line = lines[pos.line - 1] ?? '';
  return `${line}\n${' '.repeat(Math.max(0, pos.column - 1))}^`;
}
