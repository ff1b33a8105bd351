/**
 * Schema translators: the columns ksqlDB derives from an AVRO, JSON Schema or
 * PROTOBUF schema (ksqlDB's schema translators, the SCHEMA_INFERENCE feature),
 * with names as in the schema. Shapes: a record / object / message gives one
 * column per field; for AVRO and JSON_SR keys, unwrapped values
 * (WRAP_SINGLE_VALUE=false) and non-record schemas, a single `ROWKEY` / `ROWVAL`
 * column of the whole type. PROTOBUF keys and values are always messages. Each
 * format's descriptor names its translator; schema-inference.ts applies it.
 */
import type { SqlType } from '../common/types.js';
import type { InferOptions } from './format.js';
import { messageColumns, parseProtobufSchema } from './protobuf-schema.js';
import type { SerdeColumn } from './serde-types.js';

function fail(format: string, detail: string): Error {
  return new Error(`Unable to infer ${format} schema: ${detail}`);
}

// ---------------------------------------------------------------- Avro

function avroType(s: unknown, named: Map<string, unknown>): SqlType {
  if (typeof s === 'string') {
    switch (s) {
      case 'boolean':
        return { kind: 'BOOLEAN' };
      case 'int':
        return { kind: 'INTEGER' };
      case 'long':
        return { kind: 'BIGINT' };
      case 'float':
      case 'double':
        return { kind: 'DOUBLE' };
      case 'string':
        return { kind: 'STRING' };
      case 'bytes':
        return { kind: 'BYTES' };
      default: {
        const ref = named.get(s) ?? [...named.entries()].find(([k]) => k.endsWith(`.${s}`))?.[1];
        if (ref === undefined) throw fail('AVRO', `unknown type '${s}'`);
        return avroType(ref, named);
      }
    }
  }
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== 'null');
    if (branches.length === 1) return avroType(branches[0], named);
    throw fail('AVRO', 'unions other than [null, T] are not supported');
  }
  if (typeof s !== 'object' || s === null) throw fail('AVRO', `bad schema ${JSON.stringify(s)}`);
  const o = s as Record<string, unknown>;
  const logical = o['logicalType'];
  const type = o['type'];
  if (typeof o['name'] === 'string' && (type === 'record' || type === 'enum' || type === 'fixed')) {
    const ns = typeof o['namespace'] === 'string' ? `${o['namespace']}.` : '';
    named.set(o['name'].includes('.') ? o['name'] : `${ns}${o['name']}`, s);
  }
  if (logical === 'decimal') return { kind: 'DECIMAL', precision: Number(o['precision'] ?? 64), scale: Number(o['scale'] ?? 0) };
  if (logical === 'date' && type === 'int') return { kind: 'DATE' };
  if (logical === 'time-millis' && type === 'int') return { kind: 'TIME' };
  if (logical === 'timestamp-millis' && type === 'long') return { kind: 'TIMESTAMP' };
  switch (type) {
    case 'record': {
      const fields = (o['fields'] as { name: string; type: unknown }[] | undefined) ?? [];
      return { kind: 'STRUCT', fields: fields.map((f) => ({ name: f.name, type: avroType(f.type, named) })) };
    }
    case 'array':
      return { kind: 'ARRAY', item: avroType(o['items'], named) };
    case 'map':
      return { kind: 'MAP', key: { kind: 'STRING' }, value: avroType(o['values'], named) };
    case 'enum':
      return { kind: 'STRING' };
    case 'fixed':
      return { kind: 'BYTES' };
    default:
      return avroType(type, named);
  }
}

// ---------------------------------------------------------------- JSON Schema

const CONNECT_LOGICAL: Readonly<Record<string, SqlType>> = {
  'org.apache.kafka.connect.data.Date': { kind: 'DATE' },
  'org.apache.kafka.connect.data.Time': { kind: 'TIME' },
  'org.apache.kafka.connect.data.Timestamp': { kind: 'TIMESTAMP' },
};

function jsonType(s: unknown, root: unknown): SqlType {
  if (typeof s !== 'object' || s === null) throw fail('JSON_SR', `bad schema ${JSON.stringify(s)}`);
  const o = s as Record<string, unknown>;
  if (typeof o['$ref'] === 'string') {
    const path = o['$ref']
      .replace(/^#\/?/, '')
      .split('/')
      .filter((p) => p !== '');
    let target: unknown = root;
    for (const p of path) target = (target as Record<string, unknown> | undefined)?.[p];
    if (target === undefined) throw fail('JSON_SR', `unresolved $ref ${o['$ref']}`);
    return jsonType(target, root);
  }
  const union = (o['oneOf'] ?? o['anyOf']) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const branches = union.filter((b) => (b as Record<string, unknown>)['type'] !== 'null');
    if (branches.length === 1) return jsonType(branches[0], root);
    throw fail('JSON_SR', 'oneOf/anyOf other than [null, T] are not supported');
  }
  let type = o['type'];
  if (Array.isArray(type)) {
    const t = type.filter((x) => x !== 'null');
    if (t.length !== 1) throw fail('JSON_SR', `unsupported type ${JSON.stringify(type)}`);
    type = t[0];
  }
  const connectType = o['connect.type'];
  const title = typeof o['title'] === 'string' ? o['title'] : undefined;
  if (title === 'org.apache.kafka.connect.data.Decimal') {
    const params = (o['connect.parameters'] ?? {}) as Record<string, string>;
    return { kind: 'DECIMAL', precision: Number(params['connect.decimal.precision'] ?? 64), scale: Number(params['scale'] ?? 0) };
  }
  if (title !== undefined && CONNECT_LOGICAL[title]) return CONNECT_LOGICAL[title];
  switch (type) {
    case 'boolean':
      return { kind: 'BOOLEAN' };
    case 'integer':
      return connectType === 'int32' || connectType === 'int16' || connectType === 'int8' ? { kind: 'INTEGER' } : { kind: 'BIGINT' };
    case 'number':
      return { kind: 'DOUBLE' };
    case 'string':
      return connectType === 'bytes' ? { kind: 'BYTES' } : { kind: 'STRING' };
    case 'array': {
      if (connectType === 'map') {
        const entry = (o['items'] ?? {}) as Record<string, unknown>;
        const props = (entry['properties'] ?? {}) as Record<string, unknown>;
        return { kind: 'MAP', key: jsonType(props['key'], root), value: jsonType(props['value'], root) };
      }
      return { kind: 'ARRAY', item: jsonType(o['items'] ?? {}, root) };
    }
    case 'object':
    case undefined: {
      const props = o['properties'] as Record<string, unknown> | undefined;
      if (props === undefined && typeof o['additionalProperties'] === 'object') {
        return { kind: 'MAP', key: { kind: 'STRING' }, value: jsonType(o['additionalProperties'], root) };
      }
      if (props === undefined && type === undefined) throw fail('JSON_SR', 'schema without a type');
      const entries = Object.entries(props ?? {});
      const index = (v: unknown): number => Number((v as Record<string, unknown>)['connect.index'] ?? Number.MAX_SAFE_INTEGER);
      const ordered = entries.map((e, i) => ({ e, i })).sort((a, b) => index(a.e[1]) - index(b.e[1]) || a.i - b.i);
      return { kind: 'STRUCT', fields: ordered.map(({ e: [name, v] }) => ({ name, type: jsonType(v, root) })) };
    }
    default:
      throw fail('JSON_SR', `unsupported type ${JSON.stringify(type)}`);
  }
}

function parseJsonText(schema: string | object): unknown {
  if (typeof schema !== 'string') return schema;
  try {
    return JSON.parse(schema) as unknown;
  } catch {
    return schema; // an Avro primitive name, e.g. `int`
  }
}

/** AVRO (`format` AVRO) or JSON Schema (JSON_SR, JSON) columns: one per field of a record, else one of the whole type. */
function wholeOrFields(t: SqlType, options: InferOptions): SerdeColumn[] {
  const unwrapped = options.isKey || options.wrapSingleValue === false || t.kind !== 'STRUCT';
  return unwrapped ? [{ name: options.isKey ? 'ROWKEY' : 'ROWVAL', type: t }] : t.fields.map((f) => ({ name: f.name, type: f.type }));
}

/** The columns of an Avro schema (JSON object or text). */
export function avroSchemaColumns(schema: string | object, options: InferOptions): SerdeColumn[] {
  return wholeOrFields(avroType(parseJsonText(schema), new Map()), options);
}

/** The columns of a JSON Schema (object or text). */
export function jsonSchemaColumns(schema: string | object, options: InferOptions): SerdeColumn[] {
  const json = parseJsonText(schema);
  return wholeOrFields(jsonType(json, json), options);
}

/** The columns of a protobuf schema (text) for `format` PROTOBUF or PROTOBUF_NOSR: the chosen message's fields. */
export function protobufSchemaColumns(format: string, schema: string | object, options: InferOptions): SerdeColumn[] {
  if (typeof schema !== 'string') throw fail(format, 'a protobuf schema is text');
  const parsed = parseProtobufSchema(schema, {
    ...(options.schemaFullName !== undefined ? { fullName: options.schemaFullName } : {}),
    references: options.references ?? [],
  });
  return messageColumns(parsed.message);
}
