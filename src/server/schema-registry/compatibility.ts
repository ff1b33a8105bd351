/**
 * Schema compatibility as Confluent's Schema Registry checks it when a schema is
 * registered or tested: AVRO by Avro's schema-resolution rules (avsc's resolver:
 * a reader field missing from the writer needs a default, types may only be
 * promoted int→long→float→double, string↔bytes, named types must match by name
 * or alias, enum symbols the writer has must exist in the reader or it needs a
 * default, every writer union branch must be readable); JSON_SR and PROTOBUF by
 * a best-effort structural check (see {@link jsonSchemaProblems},
 * {@link protobufProblems}).
 */
import type { FormatName } from '../../serde/serde-types.js';
import type { CompatibilityLevel } from '../../serde/schema-registry.js';
import { avroTypeOf } from './schema-text.js';

/** A schema to compare: format, stored form (Avro/JSON object or protobuf text) and references. */
export interface ComparableSchema {
  readonly format: FormatName;
  readonly schema: unknown;
  readonly references?: readonly { readonly name: string; readonly schema: string }[];
}

/**
 * Reasons `reader` cannot read what `writer` wrote (empty: it can). Schemas of
 * different formats are never compatible.
 */
export function readProblems(reader: ComparableSchema, writer: ComparableSchema): string[] {
  if (reader.format !== writer.format) return [`schema type changed from ${writer.format} to ${reader.format}`];
  switch (reader.format) {
    case 'AVRO':
      try {
        avroTypeOf(reader.schema, reader.references).createResolver(avroTypeOf(writer.schema, writer.references));
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    case 'JSON_SR':
      return jsonSchemaProblems(reader.schema, writer.schema, '#');
    case 'PROTOBUF':
      return protobufProblems(reader.schema, writer.schema);
    default:
      return [];
  }
}

/**
 * Reasons `candidate` is not compatible under `level` with `previous` (oldest
 * first; the non-transitive levels look at the last one only). Empty: compatible.
 */
export function compatibilityProblems(level: CompatibilityLevel, candidate: ComparableSchema, previous: readonly ComparableSchema[]): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? previous : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const out: string[] = [];
  for (const old of against) {
    if (backward) out.push(...readProblems(candidate, old).map((m) => `BACKWARD: the new schema cannot read data written with an old one: ${m}`));
    if (forward) out.push(...readProblems(old, candidate).map((m) => `FORWARD: an old schema cannot read data written with the new one: ${m}`));
  }
  return out;
}

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function typesOf(s: Json): Set<string> | undefined {
  const t = s['type'];
  if (typeof t === 'string') return new Set(t === 'integer' ? ['integer'] : [t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  return undefined;
}

/**
 * Best-effort JSON Schema check that a `reader` schema accepts documents valid
 * under `writer`: the declared `type`s of the writer must be accepted by the
 * reader (`integer` is accepted by `number`), a property the reader requires
 * must be required by the writer too, and properties and `items` are compared
 * recursively. Composition keywords (`oneOf`, `$ref`, …) are not analysed.
 */
export function jsonSchemaProblems(reader: unknown, writer: unknown, path: string): string[] {
  const r = asObject(reader);
  const w = asObject(writer);
  if (!r || !w) return [];
  const out: string[] = [];
  const rt = typesOf(r);
  const wt = typesOf(w);
  if (rt && wt) {
    for (const t of wt) {
      if (!rt.has(t) && !(t === 'integer' && rt.has('number'))) out.push(`${path}: type '${t}' is no longer accepted`);
    }
  }
  const wRequired = new Set(Array.isArray(w['required']) ? (w['required'] as unknown[]) : []);
  for (const name of Array.isArray(r['required']) ? (r['required'] as unknown[]) : []) {
    if (!wRequired.has(name)) out.push(`${path}: property '${String(name)}' became required`);
  }
  const rp = asObject(r['properties']) ?? {};
  const wp = asObject(w['properties']) ?? {};
  for (const [name, schema] of Object.entries(rp)) {
    if (name in wp) out.push(...jsonSchemaProblems(schema, wp[name], `${path}/properties/${name}`));
  }
  if (r['additionalProperties'] === false) {
    for (const name of Object.keys(wp)) if (!(name in rp)) out.push(`${path}: property '${name}' is no longer allowed`);
  }
  if (r['items'] !== undefined && w['items'] !== undefined) out.push(...jsonSchemaProblems(r['items'], w['items'], `${path}/items`));
  return out;
}

/** `message`-level fields of protobuf text: `Message.field_number` → type, by a light parse. */
function protobufFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack: string[] = [];
  const tokens = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ').match(/[A-Za-z_][\w.]*|\d+|[{};=<>,[\]]/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t === 'message' || t === 'enum' || t === 'oneof') && tokens[i + 2] === '{') {
      stack.push(t === 'oneof' ? (stack.at(-1) ?? '') : `${stack.at(-1) ?? ''}.${tokens[i + 1]!}`);
      i += 2;
    } else if (t === '{') stack.push(stack.at(-1) ?? '');
    else if (t === '}') stack.pop();
    else if (t === '=' && /^\d+$/.test(tokens[i + 1] ?? '') && i >= 2) {
      let j = i - 2;
      let type = tokens[j]!;
      if (type === '>') {
        while (j > 0 && tokens[j] !== 'map') j--;
        type = tokens.slice(j, i - 1).join('');
      }
      out.set(`${stack.at(-1) ?? ''}#${tokens[i + 1]!}`, `${tokens[j - 1] === 'repeated' ? 'repeated ' : ''}${type}`);
    }
  }
  return out;
}

/**
 * Best-effort protobuf check: a field number present in both schemas must keep
 * its type (and repeated-ness). Adding and removing fields is compatible in
 * proto3, as in Confluent's checker.
 */
export function protobufProblems(reader: unknown, writer: unknown): string[] {
  if (typeof reader !== 'string' || typeof writer !== 'string') return [];
  const r = protobufFields(reader);
  const out: string[] = [];
  for (const [key, type] of protobufFields(writer)) {
    const now = r.get(key);
    if (now !== undefined && now !== type) out.push(`field ${key.replace('#', ' number ')} changed type from ${type} to ${now}`);
  }
  return out;
}
