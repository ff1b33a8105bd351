import { T } from '../../common/types.js';
import { getScalar } from '../../functions/registry.js';
import type { DataSource } from '../../planner/data-source.js';
import { parseTimestamp } from '../../common/java-text.js';

/**
 * Gives a source row's event time in epoch ms, or a message saying why it has
 * none (the record is then skipped and logged). Without a TIMESTAMP column the
 * record timestamp (ROWTIME, already in the row) is used.
 */
export type TimestampExtractor = (row: readonly unknown[]) => number | string;

/** Builds the extractor for a source; `rowtimeIndex` is where ROWTIME sits in the row. */
export function timestampExtractor(source: DataSource, rowtimeIndex: number): TimestampExtractor {
  const name = source.timestampColumn;
  if (!name) return (row) => row[rowtimeIndex] as number;
  const all = [...source.schema.key, ...source.schema.value];
  const index = all.findIndex((c) => c.name === name);
  const col = all[index]!;
  const fmt = source.timestampFormat;
  const parse = fmt !== undefined ? stringTimestampParser(fmt) : parseTimestamp;
  return (row) => {
    const v = row[index];
    if (v === null || v === undefined) return `Failed to extract timestamp from column ${name}: value is null`;
    let t: number;
    if (col.type.kind === 'STRING') {
      try {
        t = parse(v as string);
      } catch (e) {
        return `Failed to parse timestamp '${String(v)}' in column ${name} with format '${fmt ?? ''}': ${(e as Error).message}`;
      }
    } else {
      t = v as number;
    }
    if (typeof t !== 'number' || Number.isNaN(t)) return `Invalid timestamp in column ${name}: ${String(v)}`;
    if (t < 0) return `Negative timestamp in column ${name}: ${t}`;
    return t;
  };
}

/** Parses STRING timestamps with a Java pattern (PARSE_TIMESTAMP's); throws on text that does not fit. */
export function stringTimestampParser(format: string): (s: string) => number {
  const fn = getScalar('PARSE_TIMESTAMP');
  const resolved = fn?.resolve([
    { kind: 'value', type: T.STRING },
    { kind: 'value', type: T.STRING, literal: format },
  ]);
  if (!resolved || typeof resolved === 'string') return parseTimestamp;
  return (s) => resolved.invoke([s, format]) as number;
}
