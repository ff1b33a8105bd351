/**
 * Text tables the way the ksql CLI draws them: column listings for SHOW,
 * LIST and DESCRIBE (` A | B ` under a dashed rule), and framed grids for
 * query results (`+---+`, `|a  |`) whose rows are printed as they arrive.
 * Cells wider than their column wrap onto further lines, so tables fit the
 * terminal.
 */

/** Displays one value of a query result or entity field. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Splits text into lines of at most `width` characters (at spaces when it can). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.replace(/\t/g, '  ');
    while (line.length > width) {
      let cut = line.lastIndexOf(' ', width);
      if (cut <= width / 2) cut = width;
      out.push(line.slice(0, cut).trimEnd());
      line = line.slice(cut).replace(/^ /, '');
    }
    out.push(line);
  }
  return out;
}

/**
 * Column widths for the given natural widths that fit in `maxWidth` characters
 * in total, where each column costs `overhead` more: the widest columns
 * shrink first, never below `min`.
 */
export function fitWidths(natural: readonly number[], overhead: number, maxWidth: number, min = 8): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b + overhead, 1);
  while (total() > maxWidth) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
    if (widths[widest]! <= min) break;
    widths[widest] = Math.max(min, widths[widest]! - Math.max(1, total() - maxWidth));
  }
  return widths;
}

/** One row of wrapped cells as text lines, each cell padded to its width. */
function rowLines(cells: readonly string[], widths: readonly number[], left: string, sep: string, right: string): string[] {
  const wrapped = cells.map((c, i) => wrap(c, widths[i]!));
  const height = Math.max(1, ...wrapped.map((w) => w.length));
  const lines: string[] = [];
  for (let l = 0; l < height; l++) {
    lines.push(left + wrapped.map((w, i) => (w[l] ?? '').padEnd(widths[i]!)).join(sep) + right);
  }
  return lines;
}

/**
 * A ksql-style listing: ` Header | Header `, a dashed rule, the rows, and a
 * closing rule. `maxWidth` undefined: no fitting (output that is not a terminal).
 */
export function listing(headers: readonly string[], rows: readonly (readonly string[])[], maxWidth?: number): string {
  const natural = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.max(...(r[i] ?? '').split('\n').map((x) => x.length)))));
  const widths = maxWidth === undefined ? natural : fitWidths(natural, 3, maxWidth);
  const ruleWidth = widths.reduce((a, b) => a + b + 3, -1);
  const rule = '-'.repeat(ruleWidth);
  const lines = [...rowLines(headers, widths, ' ', ' | ', ' '), rule];
  for (const r of rows)
    lines.push(
      ...rowLines(
        headers.map((_, i) => r[i] ?? ''),
        widths,
        ' ',
        ' | ',
        ' ',
      ),
    );
  lines.push(rule);
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** `Label : value` lines as DESCRIBE and EXPLAIN print them, labels padded to 21 characters. */
export function labelled(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k.padEnd(21)}: ${v}`).join('\n');
}

/** A typical display width for a value of a SQL type (query results are drawn before their rows are known). */
function typicalWidth(type: string): number {
  const t = type.toUpperCase();
  if (t === 'BOOLEAN') return 7;
  if (t === 'INTEGER' || t === 'INT') return 11;
  if (t === 'BIGINT') return 14;
  if (t === 'DOUBLE' || t.startsWith('DECIMAL')) return 14;
  if (t === 'STRING' || t.startsWith('VARCHAR')) return 22;
  if (t === 'TIMESTAMP') return 24;
  return 28;
}

/**
 * A framed grid for query results, written row by row: `header()` once, then
 * `row()` per row as it arrives, then `footer()`. Column widths are decided up
 * front from the column types and the terminal width; longer values wrap.
 */
export class QueryGrid {
  private readonly widths: number[];

  constructor(
    private readonly names: readonly string[],
    types: readonly string[],
    maxWidth: number,
  ) {
    const natural = names.map((n, i) => Math.max(n.length, typicalWidth(types[i] ?? 'STRING')));
    this.widths = fitWidths(natural, 1, maxWidth, 4);
  }

  private rule(): string {
    return `+${this.widths.map((w) => '-'.repeat(w)).join('+')}+`;
  }

  /** The top rule, the column names and the rule under them. */
  header(): string {
    return [this.rule(), ...rowLines(this.names, this.widths, '|', '|', '|'), this.rule()].join('\n');
  }

  /** One result row. */
  row(values: readonly unknown[]): string {
    return rowLines(
      this.names.map((_, i) => cellText(values[i])),
      this.widths,
      '|',
      '|',
      '|',
    ).join('\n');
  }

  /** The closing rule. */
  footer(): string {
    return this.rule();
  }
}
