/**
 * An in-memory schema registry: ids from 1 (or chosen by the caller), identical
 * schemas deduplicated to one id as Confluent's registry does, subjects with
 * numbered versions (soft- and hard-deletable, as Confluent's), compatibility
 * levels (global and per subject), and the format and references of each schema.
 * The embedded Schema Registry REST API (src/server/schema-registry) serves it.
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

/** The `schemaType` Confluent's registry gives a stored format; undefined for AVRO (its default, omitted). */
export function schemaTypeOfFormat(format: FormatName): string | undefined {
  if (format === 'JSON_SR' || format === 'JSON') return 'JSON';
  if (format === 'PROTOBUF' || format === 'PROTOBUF_NOSR') return 'PROTOBUF';
  return undefined;
}

/** A stored schema as the string Confluent's registry holds: protobuf text as is, others as JSON. */
export function schemaString(format: FormatName, schema: unknown): string {
  return typeof schema === 'string' && schemaTypeOfFormat(format) === 'PROTOBUF' ? schema : JSON.stringify(schema);
}

/** Confluent's compatibility levels (`NONE`: anything goes). */
export const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'] as const;
/** One of {@link COMPATIBILITY_LEVELS}. */
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** One version of a subject: its number (from 1, never reused), schema id, and soft-deleted flag. */
export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly deleted: boolean;
}

/** In-memory {@link SchemaRegistry}: what the test runner and a single engine need. */
export class InMemorySchemaRegistry implements SchemaRegistry {
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly byText = new Map<string, number>();
  private readonly subjects = new Map<string, { version: number; id: number; deleted: boolean }[]>();
  private readonly subjectLevels = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = 'BACKWARD';
  private nextId = 1;
  /** Called after every change (a durable engine saves the registry then). */
  onChange: (() => void) | undefined;

  /** Everything registered, as plain JSON (for the data directory). */
  snapshot(): RegistrySnapshot {
    return {
      version: 1,
      schemas: [...this.byId.values()],
      subjects: [...this.subjects].map(([name, versions]) => ({ name, versions: versions.map((v) => ({ ...v })) })),
      subjectLevels: [...this.subjectLevels],
      globalLevel: this.globalLevel,
    };
  }

  /** Replaces the contents with a snapshot (ids, subjects, versions and levels kept). */
  restore(snap: RegistrySnapshot): void {
    this.byId.clear();
    this.byText.clear();
    this.subjects.clear();
    this.subjectLevels.clear();
    for (const r of snap.schemas) {
      this.byId.set(r.id, r);
      const text = JSON.stringify([r.format, r.schema, r.references]);
      if (!this.byText.has(text)) this.byText.set(text, r.id);
    }
    for (const s of snap.subjects)
      this.subjects.set(
        s.name,
        s.versions.map((v) => ({ ...v })),
      );
    for (const [name, level] of snap.subjectLevels) this.subjectLevels.set(name, level);
    this.globalLevel = snap.globalLevel;
  }

  private changed(): void {
    this.onChange?.();
  }

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
    if (options.subject !== undefined && this.versions(options.subject).at(-1)?.id !== id) this.pushVersion(options.subject, id);
    this.changed();
    return id;
  }

  /** The id a schema would get if registered now: its existing id, if any. */
  findId(schema: unknown, options: Pick<RegisterOptions, 'format' | 'references'> = {}): number | undefined {
    const given = options.format === 'JSON' ? 'JSON_SR' : options.format;
    return this.byText.get(JSON.stringify([given ?? guessSchemaFormat(schema), schema, options.references ?? []]));
  }

  /**
   * Registers `id` (already known) under `subject` as Confluent's register does: a
   * live version holding it is returned as is, else a new version is added.
   */
  addVersion(subject: string, id: number): SubjectVersion {
    return this.versions(subject).find((v) => v.id === id) ?? this.pushVersion(subject, id);
  }

  private pushVersion(subject: string, id: number): SubjectVersion {
    const versions = this.subjects.get(subject) ?? [];
    const entry = { version: (versions.at(-1)?.version ?? 0) + 1, id, deleted: false };
    versions.push(entry);
    this.subjects.set(subject, versions);
    this.changed();
    return { subject, ...entry };
  }

  /** Subject names in registration order; soft-deleted ones only with `includeDeleted`. */
  subjectNames(includeDeleted = false): string[] {
    return [...this.subjects.keys()].filter((s) => this.versions(s, includeDeleted).length > 0);
  }

  /** The versions of `subject`, oldest first; soft-deleted ones only with `includeDeleted`. */
  versions(subject: string, includeDeleted = false): SubjectVersion[] {
    return (this.subjects.get(subject) ?? []).filter((v) => includeDeleted || !v.deleted).map((v) => ({ subject, ...v }));
  }

  /** One version of `subject` (`'latest'`: the newest live one); soft-deleted only with `includeDeleted`. */
  getVersion(subject: string, version: number | 'latest', includeDeleted = false): SubjectVersion | undefined {
    const all = this.versions(subject, includeDeleted);
    return version === 'latest' ? all.at(-1) : all.find((v) => v.version === version);
  }

  /** Every (subject, version) holding schema `id`; soft-deleted ones only with `includeDeleted`. */
  versionsOfId(id: number, includeDeleted = false): SubjectVersion[] {
    return [...this.subjects.keys()].flatMap((s) => this.versions(s, includeDeleted).filter((v) => v.id === id));
  }

  /**
   * Deletes versions of `subject` (all when `version` is undefined): soft (hidden,
   * numbers kept) or `permanent` (forgotten; only versions soft-deleted before).
   * Returns the version numbers deleted. Schemas stay readable by id.
   */
  deleteVersions(subject: string, version: number | 'latest' | undefined, permanent: boolean): number[] {
    const versions = this.subjects.get(subject) ?? [];
    const target = version === 'latest' ? this.getVersion(subject, 'latest')?.version : version;
    const hit = versions.filter((v) => (target === undefined || v.version === target) && v.deleted === permanent);
    if (permanent) {
      const kept = versions.filter((v) => !hit.includes(v));
      if (kept.length === 0) {
        this.subjects.delete(subject);
        this.subjectLevels.delete(subject);
      } else this.subjects.set(subject, kept);
    } else for (const v of hit) v.deleted = true;
    this.changed();
    return hit.map((v) => v.version);
  }

  /** The compatibility level of `subject` (undefined: none set for it), or the global one. */
  getCompatibility(subject?: string): CompatibilityLevel | undefined {
    return subject === undefined ? this.globalLevel : this.subjectLevels.get(subject);
  }

  /** Sets the global compatibility level, or `subject`'s. */
  setCompatibility(level: CompatibilityLevel, subject?: string): void {
    if (subject === undefined) this.globalLevel = level;
    else this.subjectLevels.set(subject, level);
    this.changed();
  }

  /** Removes `subject`'s level (the global one applies again); returns the level removed. */
  deleteCompatibility(subject: string): CompatibilityLevel | undefined {
    const level = this.subjectLevels.get(subject);
    this.subjectLevels.delete(subject);
    this.changed();
    return level;
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
    const id = this.getVersion(subject, 'latest')?.id;
    return id === undefined ? undefined : this.byId.get(id);
  }
}

/** The registry's contents as stored in a data directory (`schemas.json`). */
export interface RegistrySnapshot {
  readonly version: 1;
  readonly schemas: readonly RegisteredSchema[];
  readonly subjects: readonly { readonly name: string; readonly versions: readonly { version: number; id: number; deleted: boolean }[] }[];
  readonly subjectLevels: readonly (readonly [string, CompatibilityLevel])[];
  readonly globalLevel: CompatibilityLevel;
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
  return unique
    .map((n, i) => ({ n, i, b: bucket(n) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.n);
}
