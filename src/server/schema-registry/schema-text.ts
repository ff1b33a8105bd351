/**
 * Schemas as Confluent's REST API carries them (a string plus `schemaType`)
 * versus as the engine's registry stores them (Avro and JSON Schema parsed to
 * JSON, protobuf as text): parsing and validating request schemas, rendering
 * stored ones.
 */
import avro from 'avsc';
import type { FormatName, SchemaReference } from '../../serde/serde-types.js';
import { parseProtobufSchema } from '../../serde/protobuf-schema.js';

/** Confluent's `schemaType` names (AVRO is the default and omitted in responses). */
export const SCHEMA_TYPES = ['JSON', 'PROTOBUF', 'AVRO'] as const;

/** The registry format of a request's `schemaType` (undefined = AVRO); undefined when unknown. */
export function formatOfSchemaType(schemaType: unknown): FormatName | undefined {
  if (schemaType === undefined || schemaType === null) return 'AVRO';
  if (typeof schemaType !== 'string') return undefined;
  switch (schemaType.toUpperCase()) {
    case 'AVRO':
      return 'AVRO';
    case 'JSON':
      return 'JSON_SR';
    case 'PROTOBUF':
      return 'PROTOBUF';
    default:
      return undefined;
  }
}

/** avsc type of an Avro schema whose named types may come from `references` (validation and compatibility only). */
export function avroTypeOf(schema: unknown, references: readonly { readonly schema: string }[] = []): avro.Type {
  const registry: Record<string, avro.Type> = {};
  for (const ref of references) avro.Type.forSchema(JSON.parse(ref.schema) as avro.Schema, { registry });
  return avro.Type.forSchema(schema as avro.Schema, { registry, wrapUnions: 'auto' });
}

/**
 * Parses and validates a request's schema string for `format`, returning the
 * form the registry stores. Throws an Error saying what is wrong (the caller
 * answers 42201).
 */
export function parseSchemaText(format: FormatName, text: unknown, references: readonly SchemaReference[]): unknown {
  if (typeof text !== 'string' || text.trim() === '') throw new Error('Empty schema');
  if (format === 'PROTOBUF') {
    parseProtobufSchema(text, { references });
    return text;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error((e as Error).message);
  }
  if (format === 'AVRO') {
    avroTypeOf(parsed, references);
    return parsed;
  }
  if (typeof parsed !== 'boolean' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
    throw new Error('Invalid JSON schema: expected an object or a boolean');
  }
  return parsed;
}
