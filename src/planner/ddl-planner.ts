import { PlanError } from '../common/errors.js';
import type { FormatName, FormatSpec } from '../common/formats.js';
import { FORMATS, formatNamed } from '../serde/formats.js';
import { T, formatType, typeEquals, type SqlType } from '../common/types.js';
import type { CreateSource } from '../parser/ast/index.js';
import type { Catalog } from './catalog.js';
import type { DataSource, WindowInfo } from './data-source.js';
import { RESERVED_COLUMN_NAMES, type Column } from './schema.js';
import { checkKeyType } from './key-checks.js';
import { resolveType } from './type-resolver.js';
import { WithProperties, checkFormatConfigs, nullableRep, parseDelimiter } from './with-properties.js';
import { compilePattern } from '../functions/support/java-datetime.js';
import { parseWindowType, WINDOW_TYPES, windowNeedsSize } from '../common/windows.js';

/** Session settings that change how DDL is planned. */
export interface DdlConfig {
  readonly defaultKeyFormat: FormatName;
  readonly defaultValueFormat?: FormatName;
  readonly wrapSingleValues?: boolean;
}

const HEADERS_TYPE = T.array(
  T.struct([
    { name: 'KEY', type: T.STRING },
    { name: 'VALUE', type: T.BYTES },
  ]),
);

/** The result of planning CREATE STREAM/TABLE: the source, and the topic it needs. */
export interface PlannedSource {
  readonly source: DataSource;
  /** PARTITIONS from the WITH clause (the topic is created when set and missing). */
  readonly partitions?: number;
  /** REPLICAS: replication factor of the topic to create (Kafka mode). */
  readonly replicas?: number;
}

/** One side (key or value) whose columns must come from the schema registry. */
export interface InferenceRequest {
  readonly format: FormatName;
  readonly schemaId?: number;
  readonly schemaFullName?: string;
  readonly wrapSingleValue?: boolean;
  /** False when finding no registered schema just means the side has no columns. */
  readonly required: boolean;
}

/** Columns the engine found in the schema registry for the sides that asked. */
export interface InferredColumns {
  readonly key?: readonly { readonly name: string; readonly type: SqlType }[];
  readonly value?: readonly { readonly name: string; readonly type: SqlType }[];
  readonly keySchemaId?: number;
  readonly valueSchemaId?: number;
}

/**
 * Which sides of a CREATE need their columns inferred from the schema registry:
 * a side with a KEY_/VALUE_SCHEMA_ID, or a side without declared columns whose
 * format keeps schemas in the registry.
 */
export function inferenceNeeds(s: CreateSource, cfg: DdlConfig): { key?: InferenceRequest; value?: InferenceRequest } {
  const props = new WithProperties(s.properties, s.pos);
  const format = props.format('FORMAT');
  const keyFormat = props.format('KEY_FORMAT') ?? format ?? cfg.defaultKeyFormat;
  const valueFormat = props.format('VALUE_FORMAT') ?? format ?? cfg.defaultValueFormat;
  const declaredKey = s.columns.some((c) => c.constraint?.kind === 'Key' || c.constraint?.kind === 'PrimaryKey');
  const declaredValue = s.columns.some((c) => c.constraint === undefined);
  const keyId = props.int('KEY_SCHEMA_ID');
  const valueId = props.int('VALUE_SCHEMA_ID');
  const out: { key?: InferenceRequest; value?: InferenceRequest } = {};
  if (keyId !== undefined) {
    if (formatNamed(keyFormat)?.usesSchemaRegistry !== true)
      throw new PlanError(`KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is ${keyFormat}.`, s.pos);
    if (declaredKey) throw new PlanError('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.', s.pos);
  }
  if (valueId !== undefined) {
    if (!valueFormat || formatNamed(valueFormat)?.usesSchemaRegistry !== true)
      throw new PlanError(`VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is ${valueFormat ?? 'none'}.`, s.pos);
    if (declaredValue) throw new PlanError('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.', s.pos);
  }
  if (!declaredKey && formatNamed(keyFormat)?.usesSchemaRegistry === true && (keyId !== undefined || props.has('KEY_FORMAT') || format !== undefined)) {
    out.key = { format: keyFormat, schemaId: keyId, schemaFullName: props.string('KEY_SCHEMA_FULL_NAME'), required: keyId !== undefined };
  }
  if (!declaredValue && valueFormat && formatNamed(valueFormat)?.usesSchemaRegistry === true) {
    out.value = {
      format: valueFormat,
      schemaId: valueId,
      schemaFullName: props.string('VALUE_SCHEMA_FULL_NAME') ?? props.string('VALUE_AVRO_SCHEMA_FULL_NAME'),
      wrapSingleValue: props.boolean('WRAP_SINGLE_VALUE'),
      required: true,
    };
  }
  return out;
}

/** Plans `CREATE [SOURCE] STREAM|TABLE … (columns) WITH (…)`. */
export function planCreateSource(s: CreateSource, catalog: Catalog, cfg: DdlConfig, inferred: InferredColumns = {}): PlannedSource {
  const props = new WithProperties(s.properties, s.pos);
  const what = s.sourceType === 'STREAM' ? 'stream' : 'table';
  if (s.isSource && s.orReplace) {
    throw new PlanError(`Cannot add ${what} '${s.name}': CREATE OR REPLACE is not supported on source ${what}s.`, s.pos);
  }
  const topic = props.string('KAFKA_TOPIC');
  if (topic === undefined) throw new PlanError('Missing required property "KAFKA_TOPIC" for this statement.', s.pos);

  const window = windowInfoOf(props, s);
  for (const side of ['KEY', 'VALUE'] as const) {
    const prop = `${side}_PROTOBUF_NULLABLE_REPRESENTATION`;
    const f = props.format(`${side}_FORMAT`) ?? props.format('FORMAT');
    if (props.has(prop) && (f === undefined || !FORMATS[f].nullableRepresentation)) {
      throw new PlanError(`Property ${prop} can only be enabled with protobuf format`, s.pos);
    }
  }

  const key: Column[] = [];
  const value: Column[] = [];
  const names = new Set<string>();
  // Header keys seen so far; null stands for a HEADERS column (all headers).
  const headerKeys = new Set<string | null>();
  for (const c of s.columns) {
    if (RESERVED_COLUMN_NAMES.has(c.name.toUpperCase())) {
      throw new PlanError(`'${c.name}' is a reserved column name. You cannot use it as a name for a column.`, c.pos);
    }
    if (names.has(c.name)) throw new PlanError(`Duplicate column names: ${c.name}`, c.pos);
    names.add(c.name);
    const type = resolveType(c.type, catalog.types);
    const k = c.constraint?.kind;
    if (k === 'Key' || k === 'PrimaryKey') {
      if (k === 'PrimaryKey' && s.sourceType === 'STREAM') {
        throw new PlanError(
          `Column \`${c.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`,
          c.pos,
        );
      }
      if (k === 'Key' && s.sourceType === 'TABLE') {
        throw new PlanError(
          `Column \`${c.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`,
          c.pos,
        );
      }
      checkKeyType(c.name, type, c.pos);
      key.push({ name: c.name, type, namespace: 'KEY' });
    } else if (k === 'Headers') {
      if (!typeEquals(type, HEADERS_TYPE))
        throw new PlanError(`Invalid type for HEADERS column: expected ${formatType(HEADERS_TYPE)}, got ${formatType(type)}`, c.pos);
      addHeaderKey(headerKeys, null, c.pos);
      value.push({ name: c.name, type, namespace: 'HEADER' });
    } else if (k === 'Header') {
      const headerKey = c.constraint?.kind === 'Header' ? c.constraint.key : '';
      if (type.kind !== 'BYTES') throw new PlanError(`Invalid type for HEADER('${headerKey}') column: expected BYTES, got ${formatType(type)}`, c.pos);
      addHeaderKey(headerKeys, headerKey, c.pos);
      value.push({ name: c.name, type, namespace: 'HEADER', headerKey });
    } else {
      value.push({ name: c.name, type, namespace: 'VALUE' });
    }
  }
  for (const c of inferred.key ?? []) key.push({ name: c.name, type: c.type, namespace: 'KEY' });
  for (const c of inferred.value ?? []) value.push({ name: c.name, type: c.type, namespace: 'VALUE' });
  if (s.sourceType === 'TABLE' && key.length === 0 && (s.columns.length > 0 || inferred.value !== undefined)) {
    throw new PlanError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.', s.pos);
  }
  if (key.length === 0 && value.length === 0) throw new PlanError('The statement does not define any columns.', s.pos);

  const format = props.format('FORMAT');
  const explicitKeyFormat = props.format('KEY_FORMAT');
  let keyFormatName: FormatName = explicitKeyFormat ?? format ?? cfg.defaultKeyFormat;
  const valueFormatName = props.format('VALUE_FORMAT') ?? format ?? cfg.defaultValueFormat;
  if (!valueFormatName) {
    throw new PlanError(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.",
      s.pos,
    );
  }
  // A stream without key columns keeps an explicitly given key format (queries that
  // re-key it inherit that format); otherwise it has none.
  if (key.length === 0 && explicitKeyFormat === undefined && format === undefined) keyFormatName = 'NONE';

  const wrap = props.boolean('WRAP_SINGLE_VALUE') ?? cfg.wrapSingleValues;
  const serialized = value.filter((c) => c.namespace === 'VALUE');
  if (props.has('WRAP_SINGLE_VALUE') && serialized.length !== 1) {
    throw new PlanError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", s.pos);
  }
  const keyFormat: FormatSpec = {
    format: keyFormatName,
    delimiter: parseDelimiter(props.string('KEY_DELIMITER'), s.pos),
    schemaFullName: props.string('KEY_SCHEMA_FULL_NAME'),
    schemaId: inferred.keySchemaId ?? props.int('KEY_SCHEMA_ID'),
    nullableRepresentation: nullableRep(props.string('KEY_PROTOBUF_NULLABLE_REPRESENTATION')),
  };
  const valueFormat: FormatSpec = {
    format: valueFormatName,
    wrapSingleValue: serialized.length === 1 ? wrap : undefined,
    delimiter: parseDelimiter(props.string('VALUE_DELIMITER'), s.pos),
    schemaFullName: props.string('VALUE_AVRO_SCHEMA_FULL_NAME') ?? props.string('VALUE_SCHEMA_FULL_NAME'),
    schemaId: inferred.valueSchemaId ?? props.int('VALUE_SCHEMA_ID'),
    nullableRepresentation: nullableRep(props.string('VALUE_PROTOBUF_NULLABLE_REPRESENTATION')),
  };
  checkFormatConfigs(props, 'VALUE', valueFormatName, s.pos);
  if (key.length > 0) checkFormatConfigs(props, 'KEY', keyFormatName, s.pos);

  const timestampColumn = timestampColumnOf(props, [...key, ...value], s.pos);

  if (window && key.length === 0) throw new PlanError('Windowed sources require a key column.', s.pos);

  const source: DataSource = {
    name: s.name,
    sourceType: s.sourceType,
    schema: { key, value },
    topic,
    keyFormat,
    valueFormat,
    timestampColumn,
    timestampFormat: props.string('TIMESTAMP_FORMAT'),
    window,
    isSource: s.isSource,
    sqlText: s.text,
  };
  return { source, partitions: props.partitions(), replicas: props.int('REPLICAS') };
}

/**
 * The TIMESTAMP column named in a WITH clause (CREATE or CREATE … AS SELECT), checked
 * as ksqlDB's TimestampExtractionPolicyFactory does: it must exist and be a BIGINT,
 * a TIMESTAMP, or a STRING with a TIMESTAMP_FORMAT.
 */
export function timestampColumnOf(props: WithProperties, columns: readonly Column[], pos: CreateSource['pos']): string | undefined {
  const format = props.string('TIMESTAMP_FORMAT');
  if (format !== undefined) {
    const problem = dateTimePatternProblem(format);
    if (problem !== undefined) throw new PlanError(`Invalid datetime format for config:TIMESTAMP_FORMAT, reason:${problem}`, pos);
  }
  const ts = props.string('TIMESTAMP');
  if (ts === undefined) return undefined;
  const name = ts.startsWith('`') ? ts.slice(1, -1) : ts.toUpperCase();
  const col = columns.find((c) => c.name === name);
  if (!col) throw new PlanError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`, pos);
  const tsFormat = props.string('TIMESTAMP_FORMAT');
  if (!['BIGINT', 'TIMESTAMP', 'STRING'].includes(col.type.kind) || (col.type.kind === 'STRING' && tsFormat === undefined)) {
    throw new PlanError(`Timestamp column, \`${name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`, pos);
  }
  return name;
}

/** Letters java.time.format.DateTimeFormatter.ofPattern accepts (DateTimeFormatterBuilder). */
const JAVA_PATTERN_LETTERS = new Set('GuyDMLdQqYwWEecFaBhKkHmsSAnNgVvzOXxZp');

/** Why Java's DateTimeFormatter.ofPattern would reject `pattern`, or undefined when it accepts it. */
function dateTimePatternProblem(pattern: string): string | undefined {
  try {
    compilePattern(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  let quoted = false;
  for (const c of pattern) {
    if (c === "'") quoted = !quoted;
    else if (!quoted && /[A-Za-z]/.test(c) && !JAVA_PATTERN_LETTERS.has(c)) return `Unknown pattern letter: ${c}`;
  }
  return undefined;
}

/**
 * Records a HEADERS (null) or HEADER('key') column, with the rules of ksqlDB's
 * LogicalSchema builder: nothing may follow a HEADERS column, and a key is read once.
 */
function addHeaderKey(seen: Set<string | null>, key: string | null, pos: CreateSource['pos']): void {
  if (seen.has(null)) throw new PlanError('Schema already contains a HEADERS column.', pos);
  if (key !== null && seen.has(key)) throw new PlanError(`Schema already contains a HEADER('${key}') column.`, pos);
  seen.add(key);
}

/**
 * WINDOW_TYPE and WINDOW_SIZE of a CREATE, checked as ksqlDB's CreateSourceProperties
 * does: time windows need a size, and only they may have one.
 */
function windowInfoOf(props: WithProperties, s: CreateSource): WindowInfo | undefined {
  const wt = props.string('WINDOW_TYPE');
  const size = props.string('WINDOW_SIZE');
  const type = wt === undefined ? undefined : parseWindowType(wt);
  if (wt !== undefined && type === undefined) {
    throw new PlanError(`Invalid value ${wt} for property WINDOW_TYPE: String must be one of: ${WINDOW_TYPES.join(', ')}, null`, s.pos);
  }
  let sizeMs: number | undefined;
  if (size !== undefined) {
    try {
      sizeMs = parseDurationText(size, s.pos);
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
      throw new PlanError(`Configuration WINDOW_SIZE is invalid: ${err.message}`, s.pos);
    }
  }
  const requiresSize = type !== undefined && windowNeedsSize(type);
  if (requiresSize && sizeMs === undefined) {
    throw new PlanError(`${type} windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'`, s.pos);
  }
  if (!requiresSize && sizeMs !== undefined) throw new PlanError("'WINDOW_SIZE' should not be set for SESSION windows.", s.pos);
  if (type === undefined) return undefined;
  return { type, sizeMs };
}

const UNIT_MS: Record<string, number> = {
  MILLISECOND: 1,
  MILLISECONDS: 1,
  SECOND: 1000,
  SECONDS: 1000,
  MINUTE: 60_000,
  MINUTES: 60_000,
  HOUR: 3_600_000,
  HOURS: 3_600_000,
  DAY: 86_400_000,
  DAYS: 86_400_000,
};

/** Parses `'5 SECONDS'`-style durations from WITH properties. */
export function parseDurationText(text: string, pos: CreateSource['pos']): number {
  const m = /^\s*(\d+)\s*([A-Za-z]+)\s*$/.exec(text);
  const unit = m ? UNIT_MS[m[2]!.toUpperCase()] : undefined;
  if (m && unit === undefined) throw new PlanError(`Invalid duration: '${text}'. Unknown time unit: '${m[2]!.toUpperCase()}'`, pos);
  if (!m || unit === undefined) throw new PlanError(`Invalid duration: '${text}'`, pos);
  return Number(m[1]) * unit;
}
