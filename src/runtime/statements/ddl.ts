/**
 * DDL statements: CREATE STREAM/TABLE (with schema inference) and DROP.
 */
import { queriesReading, queriesWriting } from './inspect.js';
import { PlanError } from '../../common/errors.js';
import type { FormatSpec } from '../../common/formats.js';
import type { Statement } from '../../parser/ast/index.js';
import type { DataSource } from '../../planner/data-source.js';
import { inferenceNeeds, planCreateSource, type InferenceRequest, type InferredColumns } from '../../planner/ddl-planner.js';
import { checkSourceUpgrade } from '../../planner/source-upgrade.js';
import { serializedValueColumns, type Column } from '../../planner/schema.js';
import { resolveType } from '../../planner/type-resolver.js';
import { WithProperties } from '../../planner/with-properties.js';
import { formatNamed } from '../../serde/formats.js';
import { serdeFor } from '../../serde/serde-for.js';
import type { InMemorySchemaRegistry } from '../../serde/schema-registry.js';
import { inferColumnsFromRegistry } from '../../serde/schema-inference.js';
import type { StatementResult } from './statement-result.js';
import type { StatementContext } from './context.js';
import { ddlConfig } from './session.js';

/** Rejects a source whose formats cannot hold its schema (e.g. KAFKA with a STRUCT). */
export function checkFormats(e: StatementContext, source: DataSource, pos: Statement['pos']): void {
  const check = (spec: FormatSpec, cols: DataSource['schema']['key'], isKey: boolean) => {
    try {
      serdeFor(spec, cols, isKey, e.registry);
    } catch (e) {
      throw new PlanError((e as Error).message, pos);
    }
  };
  check(source.keyFormat, source.schema.key, true);
  check(source.valueFormat, serializedValueColumns(source.schema), false);
}

export async function createSource(e: StatementContext, s: Extract<Statement, { kind: 'CreateSource' }>): Promise<StatementResult> {
  const existing = e.catalog.getSource(s.name);
  const what = s.sourceType === 'STREAM' ? 'stream' : 'table';
  if (existing) {
    if (s.ifNotExists) return { kind: 'Message', statementText: s.text, message: `Cannot add ${what} ${s.name}: A ${what} with the same name already exists.` };
    if (!s.orReplace) {
      throw new PlanError(`Cannot add ${what} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`, s.pos);
    }
    if (existing.isSource) throw new PlanError(`Cannot add ${what} '${s.name}': CREATE OR REPLACE is not supported on source ${what}s.`, s.pos);
  }
  const planned = planCreateSource(s, e.catalog, ddlConfig(e.properties), inferColumns(e, s));
  checkFormats(e, planned.source, s.pos);
  if (existing) checkSourceUpgrade(existing, planned.source, s.pos);
  const info = await e.log.topic(planned.source.topic);
  if (!info) {
    if (planned.partitions === undefined && !e.autoCreateTopics) {
      throw new PlanError(
        `Topic '${planned.source.topic}' does not exist. If you want to create a new topic for the ${what} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${s.sourceType} ${s.name} (...) WITH (KAFKA_TOPIC='${planned.source.topic}', PARTITIONS=2, ...);`,
        s.pos,
      );
    }
    await e.log.createTopic(planned.source.topic, planned.partitions ?? 1, planned.replicas !== undefined ? { replicas: planned.replicas } : undefined);
  } else if (planned.partitions !== undefined && planned.partitions !== info.partitions) {
    throw new PlanError(
      `A Kafka topic with the name '${planned.source.topic}' already exists, with different partition/replica configuration than required. KSQL expects ${planned.partitions} partitions (topic has ${info.partitions}).`,
      s.pos,
    );
  }
  e.catalog.putSource(planned.source);
  registerSchemas(e, planned.source, s.pos);
  return { kind: 'Message', statementText: s.text, message: `${s.sourceType === 'STREAM' ? 'Stream' : 'Table'} created` };
}

/**
 * As ksqlDB's SchemaRegisterInjector for CREATE STREAM/TABLE: each side in a
 * schema-registry format (no KEY_/VALUE_SCHEMA_ID) has the schema ksqlDB
 * generates for its columns registered under `<topic>-key|value`, unless that
 * subject already has one (a schema the columns were inferred from, or an
 * older one: CREATE does not add versions). ALTER registers nothing; the next
 * write registers the wider schema (see json-writes.ts).
 */
function registerSchemas(e: StatementContext, source: DataSource, pos: Statement['pos']): void {
  for (const isKey of [true, false]) {
    const spec = isKey ? source.keyFormat : source.valueFormat;
    const cols = isKey ? source.schema.key : serializedValueColumns(source.schema);
    if (cols.length === 0 || spec.schemaId !== undefined || formatNamed(spec.format)?.usesSchemaRegistry !== true) continue;
    if (e.registry.getLatest?.(`${source.topic}-${isKey ? 'key' : 'value'}`) !== undefined) continue;
    try {
      serdeFor(spec, cols, isKey, e.registry, source.topic);
    } catch (err) {
      throw new PlanError(`Could not register schema for topic: ${(err as Error).message}`, pos);
    }
  }
}

/** Columns for the sides of a CREATE that take them from the schema registry. */
export function inferColumns(e: StatementContext, s: Extract<Statement, { kind: 'CreateSource' }>): InferredColumns {
  const needs = inferenceNeeds(s, ddlConfig(e.properties));
  const topic = new WithProperties(s.properties, s.pos).string('KAFKA_TOPIC') ?? '';
  const side = (req: InferenceRequest | undefined, isKey: boolean) => {
    if (!req) return undefined;
    try {
      return inferColumnsFromRegistry(e.registry as InMemorySchemaRegistry, topic, req.format, {
        isKey,
        schemaFullName: req.schemaFullName,
        wrapSingleValue: req.wrapSingleValue,
        schemaId: req.schemaId,
      });
    } catch (e) {
      if (!req.required && /does not exist/.test((e as Error).message)) return undefined;
      throw new PlanError((e as Error).message, s.pos);
    }
  };
  const key = side(needs.key, true);
  const value = side(needs.value, false);
  return { key: key?.columns, value: value?.columns, keySchemaId: key?.schemaId, valueSchemaId: value?.schemaId };
}

export async function dropSource(e: StatementContext, s: Extract<Statement, { kind: 'DropSource' }>): Promise<StatementResult> {
  const source = e.catalog.getSource(s.name);
  if (!source) {
    if (s.ifExists) return { kind: 'Message', statementText: s.text, message: `Source \`${s.name}\` does not exist.` };
    throw new PlanError(`Source ${s.name} does not exist.`, s.pos);
  }
  if (source.isSource && s.deleteTopic) {
    throw new PlanError(`Cannot delete topic for read-only source: ${source.name}`, s.pos);
  }
  if (source.sourceType !== s.sourceType) {
    throw new PlanError(`Incompatible data source type is ${source.sourceType}, but statement was DROP ${s.sourceType}`, s.pos);
  }
  // ksqlDB terminates the query that created the source (CREATE ... AS) and refuses
  // while any other query reads from it or INSERTs INTO it (EngineContext).
  const readers = queriesReading(e, source.name).filter((q) => q.sink !== source.name);
  const inserters = queriesWriting(e, source.name).filter((q) => q.id !== source.writerQueryId);
  if (readers.length > 0 || inserters.length > 0) {
    const ids = (qs: readonly { id: string }[]) =>
      qs
        .map((q) => q.id)
        .sort()
        .join(', ');
    throw new PlanError(
      `Cannot drop ${source.name}.\nThe following queries read from this source: [${ids(readers)}].\nThe following queries write into this source: [${ids(inserters)}].\nYou need to terminate them before dropping ${source.name}.`,
      s.pos,
    );
  }
  for (const q of queriesWriting(e, source.name)) e.queries.remove(q.id);
  e.catalog.dropSource(source.name);
  e.views.delete(source.name);
  if (s.deleteTopic) await e.log.deleteTopic(source.topic);
  return { kind: 'Message', statementText: s.text, message: `Source \`${source.name}\` (topic: ${source.topic}) was dropped.` };
}

/**
 * ALTER STREAM|TABLE name ADD [COLUMN] col type, …: appends value columns to a
 * source created by CREATE STREAM/TABLE (not by CREATE … AS SELECT), as
 * ksqlDB's AlterSource command; queries started afterwards see them.
 */
export function alterSource(e: StatementContext, s: Extract<Statement, { kind: 'AlterSource' }>): StatementResult {
  const source = e.catalog.getSource(s.name);
  if (!source) throw new PlanError(`Source ${s.name} does not exist`, s.pos);
  if (source.sourceType !== s.sourceType) {
    throw new PlanError(`Incompatible data source type is ${source.sourceType}, but statement was ALTER ${s.sourceType}`, s.pos);
  }
  if (source.isSource) {
    const what = s.sourceType === 'STREAM' ? 'stream' : 'table';
    throw new PlanError(`Cannot alter ${what} '${source.name}': ALTER operations are not supported on source ${what}s.`, s.pos);
  }
  if (source.writerQueryId !== undefined) throw new PlanError('ALTER command is not supported for CREATE ... AS statements.', s.pos);
  const added: Column[] = [];
  const taken = new Set([...source.schema.key, ...source.schema.value].map((c) => c.name));
  for (const c of s.columns) {
    if (taken.has(c.name)) throw new PlanError(`Cannot add column \`${c.name}\` to schema. A column with the same name already exists.`, c.pos);
    taken.add(c.name);
    added.push({ name: c.name, type: resolveType(c.type, e.catalog.types), namespace: 'VALUE' });
  }
  const altered: DataSource = { ...source, schema: { key: source.schema.key, value: [...source.schema.value, ...added] } };
  checkFormats(e, altered, s.pos);
  e.catalog.putSource(altered);
  return { kind: 'Message', statementText: s.text, message: `${s.sourceType === 'STREAM' ? 'Stream' : 'Table'} ${source.name} altered.` };
}
