/**
 * Protobuf schemas for the PROTOBUF formats: parsing schema text (with Confluent's
 * and Google's well-known imports and registry references) into a small model
 * the codec walks, generating the schema ksqlDB registers for columns (message
 * `ConnectDefault1`, nested structs as nested messages `ConnectDefault2`…, maps as
 * map fields, DECIMAL/DATE/TIME/TIMESTAMP as `confluent.type.Decimal`,
 * `google.type.Date`, `google.type.TimeOfDay`, `google.protobuf.Timestamp`), and
 * the SQL type of each protobuf type (as Confluent's ProtobufData maps them).
 */
import protobuf from 'protobufjs';
import type { SqlType } from '../common/types.js';
import type { SchemaReference, SerdeColumn } from './serde-types.js';

/** Protobuf scalar type names. */
export type PbScalar =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

/** What a field holds; the well-known messages are recognised by full name. */
export type PbKind =
  | { readonly k: 'scalar'; readonly scalar: PbScalar }
  | { readonly k: 'enum'; readonly byNumber: ReadonlyMap<number, string>; readonly byName: ReadonlyMap<string, number> }
  | { readonly k: 'wrapper'; readonly scalar: PbScalar }
  | { readonly k: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly k: 'date' }
  | { readonly k: 'time' }
  | { readonly k: 'timestamp' }
  | { readonly k: 'message'; readonly msg: PbMessage };

/** One field of a message. `presence`: absent reads as null (else as the type's default). */
export interface PbField {
  readonly name: string;
  readonly id: number;
  readonly kind: PbKind;
  readonly repeated: boolean;
  readonly presence: boolean;
  /** Set for map fields: `kind` is then the value kind. */
  readonly mapKey?: PbScalar;
}

/** A message type; `fields` are filled after creation (messages may be recursive). */
export interface PbMessage {
  readonly fullName: string;
  readonly fields: PbField[];
}

/** A parsed schema: the selected message and its index path for Confluent's wire format. */
export interface PbSchema {
  readonly message: PbMessage;
  /** Message indexes written after the schema id (`[0]` = first top-level message). */
  readonly indexes: readonly number[];
  readonly text: string;
}

const SCALARS = new Set<string>([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

const WRAPPERS: Readonly<Record<string, PbScalar>> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};

/** Imports every Confluent/ksqlDB schema may use, beyond protobufjs's google/protobuf set. */
const BUILTIN_IMPORTS: Readonly<Record<string, string>> = {
  'confluent/meta.proto':
    'syntax = "proto3"; package confluent; import "google/protobuf/descriptor.proto";' + ' message Meta { string doc = 1; map<string, string> params = 2; }',
  'confluent/type/decimal.proto': 'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }',
  'google/type/date.proto': 'syntax = "proto3"; package google.type; message Date { int32 year = 1; int32 month = 2; int32 day = 3; }',
  'google/type/timeofday.proto':
    'syntax = "proto3"; package google.type; message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }',
};

/** Decimal precision/scale from `[(confluent.field_meta) = {params: …}]`, by `<field name>=<id>`. */
type FieldMeta = Map<string, { precision?: number; scale?: number }>;

/** Removes `[ … ]` field options (protobufjs cannot parse Confluent's list-valued ones), keeping decimal params. */
function stripFieldOptions(text: string, meta: FieldMeta): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '[') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        const c = text[j]!;
        if (c === '"' || c === "'") {
          let k = j + 1;
          while (k < text.length && text[k] !== c) k += text[k] === '\\' ? 2 : 1;
          j = k;
        } else if (c === '[') depth++;
        else if (c === ']' && --depth === 0) break;
      }
      const body = text.slice(i, j + 1);
      const decl = /(\w+)\s*=\s*(\d+)\s*$/.exec(out);
      if (decl && body.includes('field_meta')) {
        const params: { precision?: number; scale?: number } = {};
        const re = /\{\s*(key|value)\s*:\s*"([^"]*)"\s*,?\s*(key|value)\s*:\s*"([^"]*)"\s*\}/g;
        for (let m = re.exec(body); m; m = re.exec(body)) {
          const key = m[1] === 'key' ? m[2]! : m[4]!;
          const value = m[1] === 'key' ? m[4]! : m[2]!;
          if (key === 'precision' || key === 'connect.decimal.precision') params.precision = Number(value);
          if (key === 'scale') params.scale = Number(value);
        }
        meta.set(`${decl[1]}=${decl[2]}`, params);
      }
      i = j + 1;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function addImports(root: protobuf.Root, imports: readonly string[], refs: readonly SchemaReference[], meta: FieldMeta, seen: Set<string>): void {
  for (const name of imports) {
    if (seen.has(name)) continue;
    seen.add(name);
    const common = protobuf.common.get(name);
    if (common) {
      const nested = (common as { nested?: Record<string, protobuf.AnyNestedObject> }).nested;
      if (nested) root.addJSON(nested);
      continue;
    }
    const text = BUILTIN_IMPORTS[name] ?? refs.find((r) => r.name === name)?.schema;
    if (text === undefined) {
      if (name === 'google/protobuf/descriptor.proto') continue;
      throw new Error(`Unknown protobuf import '${name}'`);
    }
    const parsed = protobuf.parse(stripFieldOptions(text, meta), root, { keepCase: true });
    addImports(root, parsed.imports ?? [], refs, meta, seen);
  }
}

/** The top-level message types of one file, in declaration order. */
function topLevelMessages(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const n of ns.nestedArray) {
    if (n instanceof protobuf.Type) out.push(n);
    else if (n instanceof protobuf.Namespace) out.push(...topLevelMessages(n));
  }
  return out;
}

function stripDot(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
}

class ModelBuilder {
  private readonly cache = new Map<protobuf.Type, PbMessage>();
  constructor(
    private readonly meta: FieldMeta,
    private readonly proto2: boolean,
  ) {}

  message(t: protobuf.Type): PbMessage {
    const known = this.cache.get(t);
    if (known) return known;
    const msg: PbMessage = { fullName: stripDot(t.fullName), fields: [] };
    this.cache.set(t, msg);
    for (const f of [...t.fieldsArray].sort((a, b) => a.id - b.id)) {
      f.resolve();
      const kind = this.kind(f, f.resolvedType);
      const repeated = f.repeated && !f.map;
      const presence = !repeated && !f.map && (kind.k !== 'scalar' && kind.k !== 'enum' ? true : this.proto2 || f.partOf !== null);
      const field: PbField = { name: f.name, id: f.id, kind, repeated, presence };
      msg.fields.push(f.map ? { ...field, mapKey: (f as unknown as protobuf.MapField).keyType as PbScalar } : field);
    }
    return msg;
  }

  private kind(f: protobuf.Field, resolved: protobuf.Type | protobuf.Enum | null): PbKind {
    if (resolved instanceof protobuf.Enum) {
      const byNumber = new Map<number, string>();
      const byName = new Map<string, number>();
      for (const [name, n] of Object.entries(resolved.values)) {
        if (!byNumber.has(n)) byNumber.set(n, name);
        byName.set(name, n);
      }
      return { k: 'enum', byNumber, byName };
    }
    if (resolved instanceof protobuf.Type) {
      const full = stripDot(resolved.fullName);
      const wrapped = WRAPPERS[full];
      if (wrapped) return { k: 'wrapper', scalar: wrapped };
      if (full === 'confluent.type.Decimal') {
        const m = this.meta.get(`${f.name}=${f.id}`);
        return { k: 'decimal', precision: m?.precision ?? 64, scale: m?.scale ?? 0 };
      }
      if (full === 'google.type.Date') return { k: 'date' };
      if (full === 'google.type.TimeOfDay') return { k: 'time' };
      if (full === 'google.protobuf.Timestamp') return { k: 'timestamp' };
      return { k: 'message', msg: this.message(resolved) };
    }
    if (!SCALARS.has(f.type)) throw new Error(`Unsupported protobuf type '${f.type}'`);
    return { k: 'scalar', scalar: f.type as PbScalar };
  }
}

/** A message type selected in parsed schema text, as protobufjs reflects it. */
export interface ProtobufSelection {
  readonly type: protobuf.Type;
  /** Confluent's message indexes of `type`. */
  readonly indexes: readonly number[];
  /** proto2 syntax: every singular field has presence. */
  readonly proto2: boolean;
}

type SelectOptions = { fullName?: string; indexes?: readonly number[]; references?: readonly SchemaReference[] };

function select(text: string, options: SelectOptions, meta: FieldMeta): ProtobufSelection {
  const stripped = stripFieldOptions(text, meta);
  const own = protobuf.parse(stripped, new protobuf.Root(), { keepCase: true });
  const root = new protobuf.Root();
  addImports(root, own.imports ?? [], options.references ?? [], meta, new Set());
  protobuf.parse(stripped, root, { keepCase: true });
  root.resolveAll();
  const tops = topLevelMessages(own.root).map((t) => stripDot(t.fullName));
  const pkg = own.package ? `${own.package}.` : '';
  let type: protobuf.Type | undefined;
  let indexes: number[] = [0];
  if (options.fullName !== undefined) {
    const name = stripDot(options.fullName);
    const candidates = [name, `${pkg}${name}`];
    for (const c of candidates) {
      const found = root.lookup(c);
      if (found instanceof protobuf.Type) {
        type = found;
        break;
      }
    }
    if (!type) throw new Error(`Protobuf message '${options.fullName}' not found in schema`);
    indexes = messageIndexes(own.root, stripDot(type.fullName));
  } else {
    const path = options.indexes && options.indexes.length > 0 ? options.indexes : [0];
    let candidates = topLevelMessages(own.root);
    for (let i = 0; i < path.length; i++) {
      type = candidates[path[i]!];
      if (!type) throw new Error(`Protobuf schema has no message at index ${path.join(',')}`);
      candidates = type.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
    }
    indexes = [...path];
    if (!type) throw new Error('Protobuf schema has no message');
    type = root.lookupType(stripDot(type.fullName));
  }
  if (tops.length === 0) throw new Error('Protobuf schema has no message');
  return { type, indexes, proto2: /syntax\s*=\s*["']proto2["']/.test(stripped) };
}

/**
 * The protobufjs type of the message `options` select in schema text (as
 * {@link parseProtobufSchema} selects it), for code that walks any message
 * generically (PRINT's text form). Throws as parseProtobufSchema does.
 */
export function selectProtobufMessage(text: string, options: SelectOptions = {}): ProtobufSelection {
  return select(text, options, new Map());
}

/**
 * Parses protobuf schema text and selects a message: `fullName` (with or without
 * package), else the message at `indexes` (Confluent's message indexes), else the
 * first message. Throws when the schema does not parse or the message is unknown.
 */
export function parseProtobufSchema(text: string, options: SelectOptions = {}): PbSchema {
  const meta: FieldMeta = new Map();
  const { type, indexes, proto2 } = select(text, options, meta);
  const message = new ModelBuilder(meta, proto2).message(type);
  return { message, indexes, text };
}

function messageIndexes(ns: protobuf.NamespaceBase, fullName: string): number[] {
  const tops = topLevelMessages(ns);
  for (let i = 0; i < tops.length; i++) {
    const t = tops[i]!;
    const name = stripDot(t.fullName);
    if (name === fullName) return [i];
    if (fullName.startsWith(`${name}.`)) {
      const nested = t.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
      for (let j = 0; j < nested.length; j++) {
        const sub = messageIndexes({ nestedArray: [nested[j]!] } as unknown as protobuf.NamespaceBase, fullName);
        if (sub.length > 0 && sub[0] === 0) return [i, j, ...sub.slice(1)];
      }
    }
  }
  return [0];
}

/** The SQL type Confluent/ksqlDB give a protobuf field kind (without repetition); `stack` detects recursion. */
export function sqlTypeOfKind(kind: PbKind, stack: readonly PbMessage[] = []): SqlType {
  switch (kind.k) {
    case 'scalar':
    case 'wrapper':
      return sqlTypeOfScalar(kind.scalar);
    case 'enum':
      return { kind: 'STRING' };
    case 'decimal':
      return { kind: 'DECIMAL', precision: kind.precision, scale: kind.scale };
    case 'date':
      return { kind: 'DATE' };
    case 'time':
      return { kind: 'TIME' };
    case 'timestamp':
      return { kind: 'TIMESTAMP' };
    case 'message':
      return { kind: 'STRUCT', fields: messageColumns(kind.msg, stack) };
  }
}

function sqlTypeOfScalar(s: PbScalar): SqlType {
  switch (s) {
    case 'double':
    case 'float':
      return { kind: 'DOUBLE' };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return { kind: 'INTEGER' };
    case 'bool':
      return { kind: 'BOOLEAN' };
    case 'string':
      return { kind: 'STRING' };
    case 'bytes':
      return { kind: 'BYTES' };
    default:
      return { kind: 'BIGINT' };
  }
}

/** The SQL type of a whole field (repeated → ARRAY, map → MAP). */
export function sqlTypeOfField(f: PbField, stack: readonly PbMessage[] = []): SqlType {
  const inner = sqlTypeOfKind(f.kind, stack);
  if (f.mapKey !== undefined) return { kind: 'MAP', key: sqlTypeOfScalar(f.mapKey), value: inner };
  return f.repeated ? { kind: 'ARRAY', item: inner } : inner;
}

/** The columns a message gives, with field names as in the schema. Throws on recursive messages. */
export function messageColumns(msg: PbMessage, stack: readonly PbMessage[] = []): SerdeColumn[] {
  if (stack.includes(msg)) throw new Error(`Protobuf schema is recursive at message '${msg.fullName}'`);
  const inner = [...stack, msg];
  return msg.fields.map((f) => ({ name: f.name, type: sqlTypeOfField(f, inner) }));
}

/** ksqlDB's default message name for generated schemas. */
export const DEFAULT_PROTOBUF_MESSAGE = 'ConnectDefault1';

/** How generated schemas represent nullable primitives (see SerdeOptions.nullableRepresentation). */
export type NullableRepresentation = 'OPTIONAL' | 'WRAPPER' | undefined;

const WRAPPER_OF: Partial<Record<SqlType['kind'], string>> = {
  BOOLEAN: 'google.protobuf.BoolValue',
  INTEGER: 'google.protobuf.Int32Value',
  BIGINT: 'google.protobuf.Int64Value',
  DOUBLE: 'google.protobuf.DoubleValue',
  STRING: 'google.protobuf.StringValue',
  BYTES: 'google.protobuf.BytesValue',
};
const SCALAR_OF: Partial<Record<SqlType['kind'], string>> = {
  BOOLEAN: 'bool',
  INTEGER: 'int32',
  BIGINT: 'int64',
  DOUBLE: 'double',
  STRING: 'string',
  BYTES: 'bytes',
};

class SchemaWriter {
  private counter = 1;
  readonly imports = new Set<string>();
  constructor(private readonly nullable: NullableRepresentation) {}

  /** Text of a message with `fields`, indented by `indent`. */
  message(name: string, fields: readonly SerdeColumn[], indent: string): string {
    const lines: string[] = [];
    const nested: string[] = [];
    fields.forEach((f, i) => {
      lines.push(`${indent}  ${this.field(f.name, f.type, i + 1, nested, indent + '  ')}`);
    });
    return `${indent}message ${name} {\n${lines.join('\n')}\n${nested.join('')}${indent}}\n`;
  }

  private field(name: string, t: SqlType, id: number, nested: string[], indent: string): string {
    if (t.kind === 'ARRAY') {
      if (t.item.kind === 'ARRAY' || t.item.kind === 'MAP') throw new Error('PROTOBUF does not support nested ARRAY or MAP items');
      return `repeated ${this.typeName(t.item, nested, indent)} ${name} = ${id};`;
    }
    if (t.kind === 'MAP') {
      const key = SCALAR_OF[t.key.kind];
      if (!key || t.key.kind === 'DOUBLE' || t.key.kind === 'BYTES') throw new Error(`PROTOBUF does not support MAP keys of type ${t.key.kind}`);
      if (t.value.kind === 'ARRAY' || t.value.kind === 'MAP') throw new Error('PROTOBUF does not support nested ARRAY or MAP values');
      return `map<${key}, ${this.typeName(t.value, nested, indent)}> ${name} = ${id};`;
    }
    if (this.nullable === 'WRAPPER' && WRAPPER_OF[t.kind]) {
      this.imports.add('google/protobuf/wrappers.proto');
      return `${WRAPPER_OF[t.kind]!} ${name} = ${id};`;
    }
    const optional = this.nullable === 'OPTIONAL' && SCALAR_OF[t.kind] ? 'optional ' : '';
    const meta =
      t.kind === 'DECIMAL'
        ? ` [(confluent.field_meta) = { params: [{ key: "precision", value: "${t.precision}" }, { key: "scale", value: "${t.scale}" }] }]`
        : '';
    if (meta) this.imports.add('confluent/meta.proto');
    return `${optional}${this.typeName(t, nested, indent)} ${name} = ${id}${meta};`;
  }

  private typeName(t: SqlType, nested: string[], indent: string): string {
    const scalar = SCALAR_OF[t.kind];
    if (scalar) return scalar;
    switch (t.kind) {
      case 'DECIMAL':
        this.imports.add('confluent/type/decimal.proto');
        return 'confluent.type.Decimal';
      case 'DATE':
        this.imports.add('google/type/date.proto');
        return 'google.type.Date';
      case 'TIME':
        this.imports.add('google/type/timeofday.proto');
        return 'google.type.TimeOfDay';
      case 'TIMESTAMP':
        this.imports.add('google/protobuf/timestamp.proto');
        return 'google.protobuf.Timestamp';
      case 'STRUCT': {
        const name = `ConnectDefault${++this.counter}`;
        nested.push(this.message(name, t.fields, indent));
        return name;
      }
      default:
        throw new Error(`PROTOBUF does not support ${t.kind} here`);
    }
  }
}

/**
 * The schema text ksqlDB registers for columns: one message (named by the last
 * part of `fullName`, in its package; default `ConnectDefault1`) with a field per
 * column numbered from 1.
 */
export function protobufSchemaText(columns: readonly SerdeColumn[], fullName: string | undefined, nullable: NullableRepresentation): string {
  const full = fullName ?? DEFAULT_PROTOBUF_MESSAGE;
  const dot = full.lastIndexOf('.');
  const w = new SchemaWriter(nullable);
  const body = w.message(dot >= 0 ? full.slice(dot + 1) : full, columns, '');
  const pkg = dot >= 0 ? `package ${full.slice(0, dot)};\n\n` : '';
  const imports = [...w.imports]
    .sort()
    .map((i) => `import "${i}";\n`)
    .join('');
  return `syntax = "proto3";\n\n${pkg}${imports}${imports ? '\n' : ''}${body}`;
}

/** The parsed schema ksqlDB generates for columns (see {@link protobufSchemaText}). */
export function generatedProtobufSchema(columns: readonly SerdeColumn[], fullName: string | undefined, nullable: NullableRepresentation): PbSchema {
  const text = protobufSchemaText(columns, fullName, nullable);
  return parseProtobufSchema(text, fullName !== undefined ? { fullName } : {});
}
