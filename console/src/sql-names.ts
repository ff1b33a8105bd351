/** A source or query name as SQL: bare when it is a plain upper-case identifier, else in backquotes. */
export function sqlName(name: string): string {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** A text as a SQL string literal (a topic for PRINT). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
