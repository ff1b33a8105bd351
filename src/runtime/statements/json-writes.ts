import { ExecutionError, PlanError } from '../../common/errors.js';
import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import type { Log, RecordHeader } from '../log/log.js';
import { partitionFor } from '../log/murmur2.js';
import { createSerde } from '../../serde/index.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { SchemaRegistry } from '../../serde/serde-types.js';

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

/**
 * Inserts one JSON row (field names matched case-insensitively, values coerced as
 * the JSON format reads them); `ROWTIME` sets the record timestamp.
 */
export async function insertJsonRow(source: DataSource, row: Readonly<Record<string, unknown>>, log: Log, registry: SchemaRegistry): Promise<void> {
  if (source.isSource) throw new PlanError(`Cannot insert values into read-only ${source.sourceType.toLowerCase()}: ${source.name}`);
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new PlanError('Each inserted row must be a JSON object.');
  const keyCols = source.schema.key;
  const valueCols = serializedValueColumns(source.schema);
  const known = new Set([...keyCols, ...valueCols].map((c) => c.name.toUpperCase()));
  const unknown = Object.keys(row).filter((k) => !known.has(k.toUpperCase()) && k.toUpperCase() !== 'ROWTIME');
  if (unknown.length > 0) throw new PlanError(`Unknown column(s) for ${source.name}: ${unknown.join(', ')}`);
  let values: unknown[];
  try {
    values = createSerde('JSON', [...keyCols, ...valueCols], { isKey: false }).deserialize(Buffer.from(JSON.stringify(row))) ?? [];
  } catch (e) {
    throw new PlanError(`Failed to insert values into '${source.name}'. ${(e as Error).message}`);
  }
  if (source.sourceType === 'TABLE' && keyCols.some((_, i) => values[i] === null || values[i] === undefined)) {
    throw new PlanError(`Failed to insert values into '${source.name}'. Tables require a value for every PRIMARY KEY column.`);
  }
  const rt = Object.entries(row).find(([k]) => k.toUpperCase() === 'ROWTIME')?.[1];
  let timestamp = typeof rt === 'number' ? rt : Date.now();
  if (rt === undefined && source.timestampColumn) {
    const i = [...keyCols, ...valueCols].findIndex((c) => c.name === source.timestampColumn);
    if (typeof values[i] === 'number') timestamp = values[i] as number;
  }
  await writeRow(source, values.slice(0, keyCols.length), values.slice(keyCols.length), timestamp, log, registry);
}

/**
 * Appends JSON key/value records to a topic (Confluent REST Proxy style). With a
 * source on the topic they are written in its formats; otherwise as JSON text.
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
  const out: { partition: number; offset: number }[] = [];
  for (const r of records) {
    let key: Buffer | null = null;
    let value: Buffer | null = null;
    if (source) {
      const keyCols = source.schema.key;
      try {
        if (r.key !== undefined && r.key !== null && keyCols.length > 0) {
          const keyObj = keyCols.length === 1 && (typeof r.key !== 'object' || Array.isArray(r.key)) ? { [keyCols[0]!.name]: r.key } : r.key;
          const k = createSerde('JSON', keyCols, { isKey: false }).deserialize(Buffer.from(JSON.stringify(keyObj)));
          key = serdeFor(source.keyFormat, keyCols, true, registry).serialize(k);
        }
        if (r.value !== null && r.value !== undefined) {
          const cols = serializedValueColumns(source.schema);
          const v = createSerde('JSON', cols, { isKey: false }).deserialize(Buffer.from(JSON.stringify(r.value)));
          value = serdeFor(source.valueFormat, cols, false, registry).serialize(v);
        }
      } catch (e) {
        throw new PlanError(`Record does not fit ${source.name}: ${(e as Error).message}`);
      }
    } else {
      key = r.key === undefined || r.key === null ? null : Buffer.from(typeof r.key === 'string' ? r.key : JSON.stringify(r.key));
      value = r.value === undefined || r.value === null ? null : Buffer.from(JSON.stringify(r.value));
    }
    const partition = r.partition ?? (key === null || info.partitions === 1 ? 0 : partitionFor(key, info.partitions));
    if (partition < 0 || partition >= info.partitions) throw new PlanError(`Topic '${topic}' has no partition ${partition}.`);
    const offset = await log.append(topic, partition, [{ key, value, timestamp: r.timestamp ?? Date.now(), ...(r.headers ? { headers: r.headers } : {}) }]);
    out.push({ partition, offset });
  }
  return out;
}
