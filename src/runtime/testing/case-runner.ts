import { SluiceError } from '../../common/errors.js';
import { splitStatements } from '../../parser/index.js';
import { prepareEach, type PreparedStatement } from '../engine/prepare.js';
import type { DataSource } from '../../planner/data-source.js';
import { serializedValueColumns } from '../../planner/schema.js';
import { Engine } from '../engine/engine.js';
import { testFormFromBytes, toBytesFromTestForm } from '../../serde/test-form.js';
import { formatNamed } from '../../serde/formats.js';
import { decodeWindowedKey, encodeWindowedKey } from '../../serde/windowed.js';
import { serdeOptionsFor } from '../../serde/serde-for.js';
import { InMemorySchemaRegistry, javaHashMapOrder } from '../../serde/schema-registry.js';
import type { FormatName, SchemaReference, SchemaRegistry } from '../../serde/serde-types.js';
import { JournalingLog } from './journal-log.js';
import { isSessionWindow } from '../../common/windows.js';

/** A record in ksqlDB's test JSON form (inputs and outputs of a test case). */
export interface TestRecord {
  readonly topic: string;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly timestamp?: number;
  readonly partition?: number;
  readonly window?: { readonly start: number; readonly end: number; readonly type: string };
  readonly headers?: readonly { readonly KEY?: string; readonly key?: string; readonly VALUE?: string | null; readonly value?: string | null }[];
}

/** A topic declared by a test case (partitions, schemas). */
export interface TestTopic {
  readonly name: string;
  readonly partitions?: number;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly valueSchema?: unknown;
  readonly keySchema?: unknown;
  readonly keySchemaId?: number;
  readonly valueSchemaId?: number;
  readonly keySchemaReferences?: readonly SchemaReference[];
  readonly valueSchemaReferences?: readonly SchemaReference[];
}

export type CaseResult = { readonly outputs: TestRecord[] } | { readonly error: string };

/**
 * Runs one test case on a fresh in-memory engine, as ksqlDB's test runner does:
 * executes the statements, writes each input record and processes it to
 * quiescence, then returns every record written to a non-input topic in order.
 */
export async function runCase(sql: string, inputs: readonly TestRecord[], topics: readonly TestTopic[] = []): Promise<CaseResult> {
  const log = new JournalingLog();
  // Each statement is prepared once; one that does not parse fails the case when its turn comes.
  const prepared: PreparedStatement[] = [];
  let unparsed: unknown;
  try {
    for (const p of prepareEach(splitStatements(sql), new Map())) prepared.push(p);
  } catch (e) {
    unparsed = e;
  }
  const declared = declaredTopics(prepared);
  const registry = registerTopicSchemas(topics, declared);
  const engine = createCaseEngine(registry, log).engine;
  const inputTopics = new Set(inputs.map((i) => i.topic));
  // Like ksqlDB's test runner, create the topics that statements declare, the case lists or
  // inputs name with 4 partitions unless told otherwise (inputs still all go to partition 0,
  // as with its TopologyTestDriver).
  for (const [name, d] of declared) await log.createTopic(name, d.partitions ?? 4);
  for (const t of topics) if (!(await log.topic(t.name))) await log.createTopic(t.name, t.partitions ?? 4);
  try {
    for (const p of prepared) await engine.executePrepared(p);
    if (unparsed !== undefined) throw unparsed;
    await engine.pumpAll();
    for (const t of inputTopics) if (!(await log.topic(t))) await log.createTopic(t, 4);
    for (const input of inputs) {
      await writeInput(engine, input, registry);
      await engine.pumpAll();
    }
  } catch (e) {
    return { error: e instanceof SluiceError ? e.describe(sql) : `${(e as Error).name}: ${(e as Error).message}` };
  }
  // A query that failed while processing (e.g. an aggregate overflowing) fails the case, as in ksqlDB.
  const failed = [...engine.queries.values()].find((q) => q.state === 'ERROR');
  if (failed) return { error: `Query ${failed.id} failed: ${failed.error ?? 'unknown error'}` };
  const outputs: TestRecord[] = [];
  for (const j of log.journal) {
    if (inputTopics.has(j.topic)) continue;
    const [r] = await log.read(j.topic, j.partition, j.offset, 1);
    if (!r) continue;
    const source = sourceForTopic(engine, j.topic);
    outputs.push(decodeOutput(j.topic, r, source, registry));
  }
  return { outputs };
}

/**
 * A fresh in-memory engine configured as ksqlDB's test runners configure theirs:
 * reading from the earliest offset, topics created on demand, sinks written to
 * partition 0; every append journaled in order.
 */
export function createCaseEngine(registry: SchemaRegistry, log: JournalingLog = new JournalingLog()): { engine: Engine; log: JournalingLog } {
  const engine = new Engine({
    log,
    // As ksqlDB's test runner: no record cache, so every aggregation update is an output.
    properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': '0' },
    autoCreateTopics: true,
    schemaRegistry: registry,
    sinkToPartitionZero: true,
  });
  return { engine, log };
}

/**
 * A registry holding the schemas a case declares for its topics, registered as
 * ksqlDB's test runner does: topics in Java HashMap order, key before value,
 * under `<topic>-key` / `<topic>-value`. Topics that CREATE STREAM/TABLE
 * statements declare with columns in a Schema Registry format take their ids in
 * that order too (the runner registers their schemas up front); their ids are
 * left free here, for the engine to take when it registers those schemas.
 */
function registerTopicSchemas(topics: readonly TestTopic[], declared: ReadonlyMap<string, DeclaredTopic>): InMemorySchemaRegistry {
  const registry = new InMemorySchemaRegistry();
  const byName = new Map(topics.map((t) => [t.name, t]));
  const names = [...new Set([...topics.map((t) => t.name), ...[...declared].filter(([, d]) => d.keySchema || d.valueSchema).map(([n]) => n)])];
  let next = 1;
  const idFor = (schema: unknown, format: string | undefined, given: number | undefined, references: readonly SchemaReference[] | undefined): number =>
    given ?? registry.findId(schema, { format: format as FormatName | undefined, references }) ?? next++;
  for (const name of javaHashMapOrder(names)) {
    const t = byName.get(name);
    if (!t) {
      const d = declared.get(name)!;
      next += (d.keySchema ? 1 : 0) + (d.valueSchema ? 1 : 0);
      continue;
    }
    if (t.keySchema !== undefined) {
      const id = idFor(t.keySchema, t.keyFormat, t.keySchemaId, t.keySchemaReferences);
      registry.register(t.keySchema, { subject: `${name}-key`, format: t.keyFormat as FormatName | undefined, id, references: t.keySchemaReferences });
    }
    if (t.valueSchema !== undefined) {
      const id = idFor(t.valueSchema, t.valueFormat, t.valueSchemaId, t.valueSchemaReferences);
      registry.register(t.valueSchema, { subject: `${name}-value`, format: t.valueFormat as FormatName | undefined, id, references: t.valueSchemaReferences });
    }
  }
  return registry;
}

/** A topic a CREATE STREAM/TABLE statement declares: its PARTITIONS, and which sides have a registry schema. */
interface DeclaredTopic {
  readonly partitions?: number;
  readonly keySchema: boolean;
  readonly valueSchema: boolean;
}

/** Whether a test's FORMAT text names a format whose schemas live in the registry. */
function usesSchemaRegistry(format: string): boolean {
  return formatNamed(format)?.usesSchemaRegistry === true;
}

/** Topics the script's CREATE STREAM/TABLE statements declare: the first PARTITIONS, the first declaration's schemas. */
function declaredTopics(statements: readonly PreparedStatement[]): Map<string, DeclaredTopic> {
  const out = new Map<string, DeclaredTopic>();
  for (const { stmt } of statements) {
    if (stmt.kind !== 'CreateSource') continue;
    const prop = (name: string) => stmt.properties.find((p) => p.name === name)?.value.value;
    const topic = prop('KAFKA_TOPIC');
    if (typeof topic !== 'string') continue;
    const n = Number(prop('PARTITIONS'));
    const partitions = Number.isInteger(n) && n > 0 ? n : undefined;
    const seen = out.get(topic);
    if (seen) {
      if (seen.partitions === undefined && partitions !== undefined) out.set(topic, { ...seen, partitions });
      continue;
    }
    const fmt = (side: string, dflt: string) => String(prop(`${side}_FORMAT`) ?? prop('FORMAT') ?? dflt).toUpperCase();
    const keyCols = stmt.columns.filter((c) => c.constraint?.kind === 'Key' || c.constraint?.kind === 'PrimaryKey');
    const valueCols = stmt.columns.filter((c) => c.constraint === undefined);
    out.set(topic, {
      partitions,
      keySchema: keyCols.length > 0 && usesSchemaRegistry(fmt('KEY', 'KAFKA')),
      valueSchema: valueCols.length > 0 && usesSchemaRegistry(fmt('VALUE', '')),
    });
  }
  return out;
}

function sourceForTopic(engine: Engine, topic: string): DataSource | undefined {
  return engine.catalog.allSources().find((s) => s.topic === topic);
}

function serdeOptions(source: DataSource, isKey: boolean, registry?: SchemaRegistry) {
  return serdeOptionsFor(isKey ? source.keyFormat : source.valueFormat, isKey, registry);
}

async function writeInput(engine: Engine, input: TestRecord, registry: SchemaRegistry): Promise<void> {
  const source = sourceForTopic(engine, input.topic);
  let key: Buffer | null;
  let value: Buffer | null;
  if (source) {
    key =
      source.schema.key.length === 0
        ? rawBytes(input.key)
        : toBytesFromTestForm(input.key ?? null, source.keyFormat.format, source.schema.key, serdeOptions(source, true, registry));
    if (source.window && input.window) key = encodeWindowedKey(key, input.window, isSessionWindow(source.window.type));
    value = toBytesFromTestForm(input.value ?? null, source.valueFormat.format, serializedValueColumns(source.schema), serdeOptions(source, false, registry));
  } else {
    key = rawBytes(input.key);
    value = rawBytes(input.value);
  }
  // As in ksqlDB's TopologyTestDriver, every input record is read from partition 0.
  const partition = input.partition ?? 0;
  const headers = (input.headers ?? []).map((h) => {
    const v = h.VALUE ?? h.value ?? null;
    return { key: String(h.KEY ?? h.key ?? ''), value: v === null ? null : Buffer.from(v, 'base64') };
  });
  await engine.log.append(input.topic, partition, [{ key, value, timestamp: input.timestamp ?? 0, headers }]);
}

function rawBytes(v: unknown): Buffer | null {
  if (v === null || v === undefined) return null;
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
}

function decodeOutput(
  topic: string,
  r: { key: Buffer | null; value: Buffer | null; timestamp: number; headers?: readonly { key: string; value: Buffer | null }[] },
  source: DataSource | undefined,
  registry: SchemaRegistry,
): TestRecord {
  let window: TestRecord['window'];
  let key: unknown = null;
  let value: unknown = null;
  if (source) {
    let keyBytes = r.key;
    if (source.window && keyBytes) {
      const d = decodeWindowedKey(keyBytes, isSessionWindow(source.window.type), source.window.sizeMs);
      keyBytes = d.inner;
      window = { start: d.window.start, end: d.window.end, type: isSessionWindow(source.window.type) ? 'session' : 'time' };
    }
    key = source.schema.key.length === 0 ? null : testFormFromBytes(keyBytes, source.keyFormat.format, source.schema.key, serdeOptions(source, true, registry));
    value = testFormFromBytes(r.value, source.valueFormat.format, serializedValueColumns(source.schema), serdeOptions(source, false, registry));
  } else {
    key = r.key?.toString('utf8') ?? null;
    value = r.value?.toString('utf8') ?? null;
  }
  const out: TestRecord = { topic, key, value, timestamp: r.timestamp, ...(window ? { window } : {}) };
  if (r.headers && r.headers.length > 0) {
    return { ...out, headers: r.headers.map((h) => ({ KEY: h.key, VALUE: h.value === null ? null : h.value.toString('base64') })) };
  }
  return out;
}
