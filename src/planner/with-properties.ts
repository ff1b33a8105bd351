import { PlanError } from '../common/errors.js';
import type { FormatName } from '../common/formats.js';
import type { FormatConfig } from '../serde/format.js';
import { formatNamed, isFormatName } from '../serde/formats.js';
import type { Position } from '../common/position.js';
import type { Property } from '../parser/ast/index.js';

/** Properties every CREATE and CREATE … AS SELECT accepts (ksqlDB's CommonCreateConfigs). */
const COMMON = [
  'KAFKA_TOPIC',
  'KEY_FORMAT',
  'VALUE_FORMAT',
  'FORMAT',
  'PARTITIONS',
  'REPLICAS',
  'TIMESTAMP',
  'TIMESTAMP_FORMAT',
  'WRAP_SINGLE_VALUE',
  'VALUE_DELIMITER',
  'KEY_DELIMITER',
  'VALUE_AVRO_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME',
  'KEY_SCHEMA_FULL_NAME',
  'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID',
  'RETENTION_MS',
  'CLEANUP_POLICY',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION',
  'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
];

/** Which statement a WITH clause belongs to; each accepts its own properties. */
export type WithClauseKind = 'CREATE' | 'CREATE_AS' | 'INSERT';

/** ksqlDB's CreateConfigs, CreateAsConfigs and InsertIntoConfigs. */
const KNOWN: Readonly<Record<WithClauseKind, ReadonlySet<string>>> = {
  CREATE: new Set([...COMMON, 'WINDOW_TYPE', 'WINDOW_SIZE', 'SOURCE_CONNECTOR', 'SOURCED_BY_CONNECTOR']),
  CREATE_AS: new Set(COMMON),
  INSERT: new Set(['QUERY_ID']),
};

/** The WITH clause of a statement, by upper-case property name. */
export class WithProperties {
  private readonly map = new Map<string, Property>();
  constructor(
    props: readonly Property[],
    readonly pos: Position,
    kind: WithClauseKind = 'CREATE',
  ) {
    const unknown: string[] = [];
    for (const p of props) {
      if (!KNOWN[kind].has(p.name)) unknown.push(p.name);
      this.map.set(p.name, p);
    }
    if (unknown.length > 0) throw new PlanError(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`, pos);
    this.validate();
  }

  /** Checks ksqlDB makes while reading the clause (config validators, CommonCreateConfigs.validateKeyValueFormats). */
  private validate(): void {
    const topic = this.map.get('KAFKA_TOPIC');
    if (topic && String(topic.value.value ?? '') === '') throw new PlanError('Invalid value  for property KAFKA_TOPIC: String must be non-empty', topic.pos);
    for (const name of ['KEY_PROTOBUF_NULLABLE_REPRESENTATION', 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION']) {
      const v = this.string(name);
      if (v !== undefined && v.toUpperCase() !== 'OPTIONAL' && v.toUpperCase() !== 'WRAPPER') {
        throw new PlanError(`Invalid value ${v} for property ${name}: String must be one of: OPTIONAL, WRAPPER`, this.map.get(name)!.pos);
      }
    }
    if (this.string('FORMAT') !== undefined) {
      for (const side of ['KEY_FORMAT', 'VALUE_FORMAT']) {
        if (this.string(side) !== undefined) {
          throw new PlanError(
            `Cannot supply both '${side}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.`,
            this.pos,
          );
        }
      }
    }
    if (this.string('VALUE_AVRO_SCHEMA_FULL_NAME') !== undefined && this.string('VALUE_SCHEMA_FULL_NAME') !== undefined) {
      throw new PlanError(
        "Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. Please only set 'VALUE_SCHEMA_FULL_NAME'.",
        this.pos,
      );
    }
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

  /** PARTITIONS: a positive integer (Kafka's message otherwise), or undefined when not given. */
  partitions(): number | undefined {
    const n = this.int('PARTITIONS');
    if (n !== undefined && n < 1) throw new PlanError('Number of partitions must be larger than 0.', this.map.get('PARTITIONS')!.pos);
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
    if (!isFormatName(f)) throw new PlanError(`Unknown format: ${f}`, this.map.get(name)!.pos);
    return f;
  }
}

/** Validates VALUE_DELIMITER / KEY_DELIMITER: one character, or TAB / SPACE spelled out (kept as the word). */
export function parseDelimiter(value: string | undefined, pos: Position): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0) {
    throw new PlanError(
      "Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'",
      pos,
    );
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

/**
 * Rejects a KEY_/VALUE_ delimiter or schema full name the side's format has no use
 * for, and an empty schema full name, with FormatInfo's messages.
 */
export function checkFormatConfigs(props: WithProperties, side: 'KEY' | 'VALUE', format: FormatName, pos: Position): void {
  const given: [FormatConfig, string | undefined][] = [
    ['delimiter', props.string(`${side}_DELIMITER`)],
    [
      'fullSchemaName',
      side === 'KEY' ? props.string('KEY_SCHEMA_FULL_NAME') : (props.string('VALUE_AVRO_SCHEMA_FULL_NAME') ?? props.string('VALUE_SCHEMA_FULL_NAME')),
    ],
  ];
  const unsupported = given.filter(([name, v]) => v !== undefined && formatNamed(format)?.configs.has(name) !== true).map(([name]) => name);
  if (unsupported.length > 0) throw new PlanError(`${format} does not support the following configs: [${unsupported.join(', ')}]`, pos);
  for (const [name, v] of given) {
    if (name === 'fullSchemaName' && v !== undefined && v.trim() === '')
      throw new PlanError(`fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${v}}`, pos);
  }
}
