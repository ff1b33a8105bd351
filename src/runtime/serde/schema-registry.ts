/**
 * An in-memory schema registry: ids from 1 (or chosen by the caller), identical
 * schemas deduplicated to one id as Confluent's registry does, subjects with
 * their latest version, and the format and references of each schema.
 */
import type { FormatName, RegisteredSchema, SchemaReference, SchemaRegistry } from './serde-types.js';

/** How a schema is registered: under which subject, with which id, format and references. */
export interface RegisterOptions {
  /** Subject, e.g. `<topic>-value`; the schema becomes its latest version. */
  readonly subject?: string;
  /** Use this id instead of the next free one (test cases' `valueSchemaId`). */
  readonly id?: number;
  /** Schema format (`JSON` is taken as `JSON_SR`); default {@link guessSchemaFormat}. */
  readonly format?: FormatName;
  /** Protobuf imports resolved by name (e.g. `event.proto`). */
  readonly references?: readonly SchemaReference[];
}

/**
 * The format of a schema when the caller does not say: protobuf text, a JSON
 * Schema (`properties`, `oneOf`, `$schema`, or a JSON-only `type`), else Avro.
 */
export function guessSchemaFormat(schema: unknown): FormatName {
  if (typeof schema === 'string') return /^\s*(syntax|package|import|message|option)\b/.test(schema) ? 'PROTOBUF' : 'AVRO';
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'AVRO';
  const o = schema as Record<string, unknown>;
  const jsonOnly = ['$schema', 'properties', 'oneOf', 'anyOf', 'allOf', 'connect.type', 'title'];
  if (jsonOnly.some((k) => o[k] !== undefined)) return 'JSON_SR';
  return o['type'] === 'object' || o['type'] === 'integer' || o['type'] === 'number' ? 'JSON_SR' : 'AVRO';
}

/** In-memory {@link SchemaRegistry}: what the test runner and a single engine need. */
export class InMemorySchemaRegistry implements SchemaRegistry {
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly byText = new Map<string, number>();
  private readonly subjects = new Map<string, number[]>();
  private nextId = 1;

  /**
   * Registers a schema (Avro JSON, JSON Schema object or protobuf text) and returns
   * its id. The same schema (same text, format and references) gets the same id
   * unless `options.id` asks for another one.
   */
  register(schema: unknown, options: RegisterOptions = {}): number {
    const given = options.format === 'JSON' ? 'JSON_SR' : options.format;
    const format = given ?? guessSchemaFormat(schema);
    const references = options.references ?? [];
    const text = JSON.stringify([format, schema, references]);
    let id = options.id;
    if (id === undefined) {
      id = this.byText.get(text);
      if (id === undefined) {
        while (this.byId.has(this.nextId)) this.nextId++;
        id = this.nextId++;
      }
    }
    if (!this.byId.has(id)) {
      this.byId.set(id, { id, format, schema: JSON.parse(JSON.stringify(schema)) as unknown, references });
    }
    if (!this.byText.has(text)) this.byText.set(text, id);
    if (options.subject !== undefined) {
      const versions = this.subjects.get(options.subject) ?? [];
      if (versions[versions.length - 1] !== id) versions.push(id);
      this.subjects.set(options.subject, versions);
    }
    return id;
  }

  getSchema(id: number): unknown {
    return this.byId.get(id)?.schema;
  }

  /** The schema registered under `id` with its format and references. */
  getRegistered(id: number): RegisteredSchema | undefined {
    return this.byId.get(id);
  }

  /** The latest schema registered under `subject` (e.g. `orders-value`), if any. */
  getLatest(subject: string): RegisteredSchema | undefined {
    const versions = this.subjects.get(subject);
    const id = versions?.[versions.length - 1];
    return id === undefined ? undefined : this.byId.get(id);
  }
}

/**
 * `names` in the iteration order of a Java `HashMap<String, …>` (bucket by
 * String.hashCode spread, then insertion order; table grown as Java grows it).
 * ksqlDB's test runner registers the schemas of a case's topics in this order,
 * so the ids a case's KEY_/VALUE_SCHEMA_ID refer to follow it.
 */
export function javaHashMapOrder(names: readonly string[]): string[] {
  const unique = [...new Set(names)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string): number => {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique.map((n, i) => ({ n, i, b: bucket(n) })).sort((a, b) => a.b - b.b || a.i - b.i).map((x) => x.n);
}
