import { PlanError } from '../common/errors.js';
import { FORMAT_NAMES, type FormatName } from '../common/formats.js';
import type { Position } from '../common/position.js';
import type { Property } from '../parser/ast/index.js';

const KNOWN = new Set([
  'KAFKA_TOPIC', 'KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'PARTITIONS', 'REPLICAS', 'TIMESTAMP', 'TIMESTAMP_FORMAT',
  'WRAP_SINGLE_VALUE', 'VALUE_DELIMITER', 'KEY_DELIMITER', 'WINDOW_TYPE', 'WINDOW_SIZE', 'VALUE_AVRO_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME', 'KEY_SCHEMA_FULL_NAME', 'KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID', 'RETENTION_MS', 'CLEANUP_POLICY',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION', 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION', 'SOURCE_CONNECTOR',
]);

/** The WITH clause of a statement, by upper-case property name. */
export class WithProperties {
  private readonly map = new Map<string, Property>();
  constructor(
    props: readonly Property[],
    readonly pos: Position,
  ) {
    const unknown: string[] = [];
    for (const p of props) {
      if (!KNOWN.has(p.name)) unknown.push(p.name);
      this.map.set(p.name, p);
    }
    if (unknown.length > 0) throw new PlanError(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`, pos);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  string(name: string): string | undefined {
    const p = this.map.get(name);
    if (!p) return undefined;
    if (p.value.value === null) return undefined;
    return String(p.value.value);
  }

  int(name: string): number | undefined {
    const p = this.map.get(name);
    if (!p) return undefined;
    const n = Number(p.value.value);
    if (!Number.isInteger(n)) throw new PlanError(`Invalid value for ${name}: '${String(p.value.value)}' is not an integer`, p.pos);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const p = this.map.get(name);
    if (!p) return undefined;
    const v = p.value.value;
    if (typeof v === 'boolean') return v;
    const s = String(v).toLowerCase();
    if (s === 'true' || s === 'false') return s === 'true';
    throw new PlanError(`Invalid value for ${name}: '${String(v)}' is not a boolean`, p.pos);
  }

  format(name: string): FormatName | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    const f = s.toUpperCase();
    if (!FORMAT_NAMES.includes(f as FormatName)) throw new PlanError(`Unknown format: ${f}`, this.map.get(name)!.pos);
    return f as FormatName;
  }
}

/** Validates VALUE_DELIMITER / KEY_DELIMITER: one character, or TAB / SPACE spelled out (kept as the word). */
export function parseDelimiter(value: string | undefined, pos: Position): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0) {
    throw new PlanError("Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'", pos);
  }
  const u = value.toUpperCase();
  if (u === 'TAB' || u === 'SPACE') return u;
  if (value.length !== 1) throw new PlanError(`Invalid delimiter '${value}': it must be a single character, or TAB or SPACE`, pos);
  return value;
}

/** KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION as a FormatSpec field (OPTIONAL or WRAPPER). */
export function nullableRep(v: string | undefined): 'OPTIONAL' | 'WRAPPER' | undefined {
  const u = v?.toUpperCase();
  return u === 'OPTIONAL' || u === 'WRAPPER' ? u : undefined;
}
