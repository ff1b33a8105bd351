/** Columns whose BIGINT values are window bounds, shown as times. */
const WINDOW_COLUMNS = new Set(['WINDOWSTART', 'WINDOWEND']);

/** Is this column a window bound (shown as a UTC time)? */
export function isWindowColumn(name: string): boolean {
  return WINDOW_COLUMNS.has(name.toUpperCase());
}

/** `2026-12-07 12:01:00.000` (UTC) for an epoch-millisecond value. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('T', ' ').replace('Z', '');
}

/** A cell's text: null as `null`, structures as JSON, window bounds as times. */
export function formatCell(value: unknown, windowBound: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (windowBound && typeof value === 'number') return formatTime(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One CSV field (RFC 4180 quoting). */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV with a header line; values as the server sent them (window bounds stay epoch ms). */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows as a JSON array of objects keyed by column name. */
export function toJson(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(
    rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null]))),
    null,
    2,
  );
}
