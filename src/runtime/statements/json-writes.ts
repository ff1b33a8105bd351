import { ExecutionError, PlanError } from '../../common/errors.js';
import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { appendRuns, type Log, type NewRecord, type RecordHeader } from '../log/log.js';
import { partitionFor } from '../log/murmur2.js';
import { CoercionError, containsDecimal, needsExactNumbers, structReader } from '../../serde/json-coerce.js';
import { JsonNum, parseJsonLossless } from '../../serde/json-parse.js';
import { hasInexactNumber } from '../../serde/json.js';
import { serdeFor } from '../../serde/serde-for.js';
import { SerdeError, type SchemaRegistry, type Serde } from '../../serde/serde-types.js';
import type { SqlType } from '../../common/types.js';

/**
 * Serialises one row of a source with its key and value formats and appends it
 * to the partition Kafka's default partitioner picks. Returns where it landed.
 */
export async function writeRow(
  source: DataSource,
  key: readonly unknown[],
  value: readonly unknown[],
  timestamp: number,
  log: Log,
  registry: SchemaRegistry,
): Promise<{ partition: number; offset: number }> {
  let keyBytes: Buffer | null;
  let valueBytes: Buffer | null;
  try {
    // With the topic, schema-registry formats register the row's schema under
    // `<topic>-key|value` as ksqlDB's serializers auto-register it: a new version
    // when the columns changed (ALTER … ADD COLUMN), none when it is the latest.
    keyBytes = source.schema.key.length === 0 ? null : serdeFor(source.keyFormat, source.schema.key, true, registry, source.topic).serialize(key);
    valueBytes = serdeFor(source.valueFormat, serializedValueColumns(source.schema), false, registry, source.topic).serialize(value);
  } catch (e) {
    throw new ExecutionError(`Failed to insert values into '${source.name}'. ${(e as Error).message}`);
  }
  const n = (await log.topic(source.topic))?.partitions ?? 1;
  const partition = keyBytes === null || n === 1 ? 0 : partitionFor(keyBytes, n);
  const offset = await log.append(source.topic, partition, [{ key: keyBytes, value: valueBytes, timestamp }]);
  return { partition, offset };
}

/** Why each row of a batch was not written (undefined: it was), in the batch's order. */
export type RowOutcomes = readonly (Error | undefined)[];

/**
 * Writes JSON rows (field names matched case-insensitively, values coerced as
 * the JSON format reads them; `ROWTIME` sets the record timestamp) into one
 * stream or table, a batch at a time: every row is checked, coerced and
 * serialised in one synchronous loop, the rows that fit go to the log in one
 * append per partition run, and the promise resolves once that append is done
 * (as durable as the log makes appends). Built once per target and reused.
 */
export class JsonRowInserter {
  private readonly keyCount: number;
  private readonly known: ReadonlySet<string>;
  /** JSON keys seen before that name a column (`true`) or ROWTIME (`false`), so each is upper-cased once. */
  private readonly seenKeys = new Map<string, boolean>();
  private readonly read: (v: unknown) => unknown[];
  private readonly keySerde: Serde | undefined;
  private readonly valueSerde: Serde;
  /** Index of the timestamp column among key then value columns (-1: none). */
  private readonly timestampIndex: number;
  /** Every number keeps its text (DECIMAL columns), or those JSON.parse might round do (as the JSON serde reads). */
  private readonly lossless: boolean;
  private readonly wholeNumbers: boolean;

  constructor(
    private readonly source: DataSource,
    private readonly log: Log,
    registry: SchemaRegistry,
  ) {
    const keyCols = source.schema.key;
    const valueCols = serializedValueColumns(source.schema);
    const cols = [...keyCols, ...valueCols];
    this.keyCount = keyCols.length;
    this.known = new Set(cols.map((c) => c.name.toUpperCase()));
    this.read = rowReader(cols);
    this.lossless = cols.some((c) => containsDecimal(c.type));
    this.wholeNumbers = cols.some((c) => needsExactNumbers(c.type));
    this.timestampIndex = source.timestampColumn ? cols.findIndex((c) => c.name === source.timestampColumn) : -1;
    let keySerde: Serde | undefined;
    let valueSerde: Serde;
    try {
      keySerde = keyCols.length === 0 ? undefined : serdeFor(source.keyFormat, keyCols, true, registry, source.topic);
      valueSerde = serdeFor(source.valueFormat, valueCols, false, registry, source.topic);
    } catch (e) {
      throw new ExecutionError(`Failed to insert values into '${source.name}'. ${(e as Error).message}`);
    }
    this.keySerde = keySerde;
    this.valueSerde = valueSerde;
  }

  /**
   * Parses one line of JSON as this target's JSON reader would (numbers keep
   * their digits where the columns need them); undefined when it is not a JSON object.
   */
  parse(text: string): Record<string, unknown> | undefined {
    let doc: unknown;
    try {
      doc = this.lossless || (this.wholeNumbers && hasInexactNumber(text)) ? parseJsonLossless(text) : JSON.parse(text);
    } catch {
      return undefined;
    }
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  }

  /** Writes the rows that fit; resolves with each row's outcome once they are appended. */
  async insert(rows: readonly Readonly<Record<string, unknown>>[]): Promise<RowOutcomes> {
    const outcomes = new Array<Error | undefined>(rows.length);
    const records: NewRecord[] = [];
    const placed: { partition: number; offset: number }[] = [];
    const written: number[] = [];
    const n = (await this.log.topic(this.source.topic))?.partitions ?? 1;
    if (n === 1) return this.insertOne(rows, outcomes);
    for (let i = 0; i < rows.length; i++) {
      try {
        const record = this.encode(rows[i]!);
        records.push(record);
        placed.push({ partition: record.key === null || n === 1 ? 0 : partitionFor(record.key, n), offset: -1 });
        written.push(i);
      } catch (e) {
        outcomes[i] = e as Error;
      }
    }
    try {
      await appendRuns(this.log, this.source.topic, records, placed);
    } catch (e) {
      // The runs appended before the failure stay written; the rest fail with it.
      for (let j = 0; j < placed.length; j++) if (placed[j]!.offset < 0) outcomes[written[j]!] = e as Error;
    }
    return outcomes;
  }

  /** {@link insert} into a topic of one partition: one append of every row that fits. */
  private async insertOne(rows: readonly Readonly<Record<string, unknown>>[], outcomes: (Error | undefined)[]): Promise<RowOutcomes> {
    const records: NewRecord[] = [];
    for (let i = 0; i < rows.length; i++) {
      try {
        records.push(this.encode(rows[i]!));
      } catch (e) {
        outcomes[i] = e as Error;
      }
    }
    if (records.length === 0) return outcomes;
    try {
      await this.log.append(this.source.topic, 0, records);
    } catch (e) {
      for (let i = 0; i < rows.length; i++) outcomes[i] ??= e as Error;
    }
    return outcomes;
  }

  /** Checks, coerces and serialises one row (synchronous; throws what the row's error ack reports). */
  private encode(row: Readonly<Record<string, unknown>>): NewRecord {
    const source = this.source;
    if (source.isSource) throw new PlanError(`Cannot insert values into read-only ${source.sourceType.toLowerCase()}: ${source.name}`);
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new PlanError('Each inserted row must be a JSON object.');
    let rt: unknown;
    let hasRowtime = false;
    let unknown: string[] | undefined;
    const seen = this.seenKeys;
    for (const k in row) {
      const column = seen.get(k);
      if (column === true) continue;
      const upper = column === false ? 'ROWTIME' : k.toUpperCase();
      if (column === undefined && seen.size < 1024 && (upper === 'ROWTIME' || this.known.has(upper))) seen.set(k, upper !== 'ROWTIME');
      if (upper === 'ROWTIME') {
        if (!hasRowtime) rt = row[k];
        hasRowtime = true;
      } else if (!this.known.has(upper)) (unknown ??= []).push(k);
    }
    if (unknown !== undefined) throw new PlanError(`Unknown column(s) for ${source.name}: ${unknown.join(', ')}`);
    let values: unknown[];
    try {
      values = this.read(row);
    } catch (e) {
      throw new PlanError(`Failed to insert values into '${source.name}'. ${(e as Error).message}`);
    }
    const keyCount = this.keyCount;
    if (source.sourceType === 'TABLE') {
      for (let i = 0; i < keyCount; i++)
        if (values[i] === null || values[i] === undefined)
          throw new PlanError(`Failed to insert values into '${source.name}'. Tables require a value for every PRIMARY KEY column.`);
    }
    if (rt instanceof JsonNum) rt = rt.toNumber();
    let timestamp = typeof rt === 'number' ? rt : Date.now();
    if (rt === undefined && this.timestampIndex >= 0 && typeof values[this.timestampIndex] === 'number') timestamp = values[this.timestampIndex] as number;
    try {
      const key = this.keySerde === undefined ? null : this.keySerde.serialize(values.slice(0, keyCount));
      const value = this.valueSerde.serialize(keyCount === 0 ? values : values.slice(keyCount));
      return { key, value, timestamp };
    } catch (e) {
      throw new ExecutionError(`Failed to insert values into '${source.name}'. ${(e as Error).message}`);
    }
  }
}

/** Reads a parsed JSON object into the values of `columns`, as the JSON format does. */
function rowReader(columns: readonly { name: string; type: SqlType }[]): (v: unknown) => unknown[] {
  const read = structReader(
    columns.map((c) => c.name),
    columns.map((c) => c.type),
    undefined,
    (_names, vals) => vals,
  );
  return (v) => {
    try {
      return read(v);
    } catch (e) {
      const msg = e instanceof CoercionError ? e.message : `${(e as Error).message}, path: $`;
      throw new SerdeError(`Failed to deserialize value. ${msg}`);
    }
  };
}

/**
 * Appends JSON key/value records to a topic (Confluent REST Proxy style). With a
 * source on the topic they are written in its formats; otherwise as JSON text.
 * Every record is checked and serialised first (a record that does not fit
 * fails the request before anything is written), then each run of records for
 * one partition goes to the log in one append.
 */
export async function produceJson(
  topic: string,
  source: DataSource | undefined,
  records: readonly { key?: unknown; value: unknown; partition?: number; timestamp?: number; headers?: readonly RecordHeader[] }[],
  log: Log,
  registry: SchemaRegistry,
): Promise<{ partition: number; offset: number }[]> {
  const info = await log.topic(topic);
  if (!info) throw new PlanError(`Topic '${topic}' does not exist.`);
  const keyCols = source?.schema.key ?? [];
  const valueCols = source ? serializedValueColumns(source.schema) : [];
  let codec: { readKey: (v: unknown) => unknown[]; readValue: (v: unknown) => unknown[]; keySerde: Serde | undefined; valueSerde: Serde } | undefined;
  if (source) {
    try {
      codec = {
        readKey: rowReader(keyCols),
        readValue: rowReader(valueCols),
        keySerde: keyCols.length > 0 ? serdeFor(source.keyFormat, keyCols, true, registry, source.topic) : undefined,
        valueSerde: serdeFor(source.valueFormat, valueCols, false, registry, source.topic),
      };
    } catch (e) {
      throw new PlanError(`Record does not fit ${source.name}: ${(e as Error).message}`);
    }
  }
  const out = new Array<{ partition: number; offset: number }>(records.length);
  const batch: NewRecord[] = [];
  const now = Date.now();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    let key: Buffer | null = null;
    let value: Buffer | null = null;
    if (codec) {
      try {
        if (r.key !== undefined && r.key !== null && codec.keySerde) {
          const keyObj = keyCols.length === 1 && (typeof r.key !== 'object' || Array.isArray(r.key)) ? { [keyCols[0]!.name]: r.key } : r.key;
          key = codec.keySerde.serialize(codec.readKey(keyObj));
        }
        if (r.value !== null && r.value !== undefined) value = codec.valueSerde.serialize(codec.readValue(r.value));
      } catch (e) {
        throw new PlanError(`Record does not fit ${source!.name}: ${(e as Error).message}`);
      }
    } else {
      key = r.key === undefined || r.key === null ? null : Buffer.from(typeof r.key === 'string' ? r.key : JSON.stringify(r.key));
      value = r.value === undefined || r.value === null ? null : Buffer.from(JSON.stringify(r.value));
    }
    const partition = r.partition ?? (key === null || info.partitions === 1 ? 0 : partitionFor(key, info.partitions));
    if (partition < 0 || partition >= info.partitions) throw new PlanError(`Topic '${topic}' has no partition ${partition}.`);
    batch.push(r.headers ? { key, value, timestamp: r.timestamp ?? now, headers: r.headers } : { key, value, timestamp: r.timestamp ?? now });
    out[i] = { partition, offset: -1 };
  }
  await appendRuns(log, topic, batch, out);
  return out;
}
