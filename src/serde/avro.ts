/**
 * The AVRO format in Confluent's wire format: magic byte 0, 4-byte big-endian
 * schema id, then Avro binary. Writes with the schema ksqlDB generates from the
 * columns (avro-schema.ts); reads with the writer schema found in the registry
 * under the record's id (falling back to the generated one), then coerces the
 * decoded value to the columns' types, matching fields by name exactly or
 * case-insensitively (upper-cased), as ksqlDB does.
 */
import type avro from 'avsc';
import { Decimal } from '../common/decimal.js';
import { containsMap, type SqlType } from '../common/types.js';
import { avroSchemaForColumns, avroType, DEFAULT_AVRO_FULL_NAME } from './avro-schema.js';
import { avroBytesFromTestForm, avroTestFormFromBytes } from './avro-test-form.js';
import type { Format } from './format.js';
import { avroSchemaColumns } from './schema-translators.js';
import { createVoidSerde } from './none.js';
import { ensureDecimalFit, javaDoubleToString, javaLongToString } from '../common/java-text.js';
import { isWrapped, SR_PREFIX_LENGTH } from './json.js';
import { SerdeError, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

type Conv = (v: unknown) => unknown;
type RowDecoder = (v: unknown) => unknown[] | null;

const identity: Conv = (v) => v;

/** Runtime value → the value avsc writes (maps become objects). `v` is never null. */
/** avsc cannot place a bigint in a nullable union: exact BIGINT literals are written as the nearest double. */
const bigintToNumber: Conv = (v) => (typeof v === 'bigint' ? Number(v) : v);

function encoderFor(t: SqlType): Conv {
  if (t.kind === 'BIGINT') return bigintToNumber;
  if (!containsMap(t)) return identity;
  switch (t.kind) {
    case 'ARRAY': {
      const item = encoderFor(t.item);
      return (v) => (v as unknown[]).map((x) => (x === null || x === undefined ? null : item(x)));
    }
    case 'MAP': {
      const val = encoderFor(t.value);
      return (v) => {
        const o: Record<string, unknown> = {};
        for (const [k, x] of v as Map<unknown, unknown>) o[String(k)] = x === null || x === undefined ? null : val(x);
        return o;
      };
    }
    case 'STRUCT': {
      const names = t.fields.map((f) => f.name);
      const convs = t.fields.map((f) => encoderFor(f.type));
      return (v) => {
        const src = v as Record<string, unknown>;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) {
          const x = src[names[i]!];
          o[names[i]!] = x === null || x === undefined ? null : convs[i]!(x);
        }
        return o;
      };
    }
    default:
      return identity;
  }
}

function mismatch(v: unknown, t: SqlType): SerdeError {
  const got = v instanceof Decimal ? 'decimal' : Buffer.isBuffer(v) ? 'bytes' : Array.isArray(v) ? 'array' : typeof v;
  return new SerdeError(`Failed to deserialize AVRO: cannot convert ${got} to ${t.kind}`);
}

/** Finds the writer field for a column: exact name, else the field whose upper-cased name matches. */
function fieldFor(fields: readonly avro.types.Field[], name: string): avro.types.Field | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toUpperCase() === name);
}

/**
 * Decoded Avro value (written with `wt`) → runtime value of type `t`; `v` is
 * never null. `wt` undefined means the writer type is not known statically.
 */
function decoderFor(wt: avro.Type | undefined, t: SqlType): Conv {
  if (wt !== undefined && wt.typeName === 'union:unwrapped') {
    const branches = (wt as avro.types.UnwrappedUnionType).types.filter((b) => b.typeName !== 'null');
    return decoderFor(branches.length === 1 ? branches[0] : undefined, t);
  }
  if (wt !== undefined && wt.typeName === 'union:wrapped') {
    const inner = decoderFor(undefined, t);
    return (v) => {
      const o = v as Record<string, unknown>;
      for (const k in o) return o[k] === null ? null : inner(o[k]);
      return null;
    };
  }
  switch (t.kind) {
    case 'BOOLEAN':
      return (v) => {
        if (typeof v === 'boolean') return v;
        throw mismatch(v, t);
      };
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return (v) => {
        if (typeof v === 'number') return Math.trunc(v) | 0;
        throw mismatch(v, t);
      };
    case 'BIGINT':
    case 'TIMESTAMP':
      return (v) => {
        if (typeof v === 'number') return Math.trunc(v);
        throw mismatch(v, t);
      };
    case 'DOUBLE':
      return (v) => {
        if (typeof v === 'number') return v;
        if (v instanceof Decimal) return v.toNumber();
        throw mismatch(v, t);
      };
    case 'STRING': {
      const integral = wt !== undefined && (wt.typeName === 'int' || wt.typeName === 'long');
      return (v) => {
        if (typeof v === 'string') return v;
        if (typeof v === 'number') return integral || Number.isInteger(v) ? javaLongToString(v) : javaDoubleToString(v);
        if (typeof v === 'boolean' || v instanceof Decimal) return String(v);
        throw mismatch(v, t);
      };
    }
    case 'DECIMAL': {
      const { precision, scale } = t;
      return (v) => {
        let d: Decimal;
        if (v instanceof Decimal) d = v;
        else if (typeof v === 'number' || typeof v === 'string') d = Decimal.parse(String(v));
        else throw mismatch(v, t);
        try {
          return ensureDecimalFit(d, precision, scale);
        } catch (e) {
          throw new SerdeError(`Failed to deserialize AVRO: ${(e as Error).message}`);
        }
      };
    }
    case 'BYTES':
      return (v) => {
        if (Buffer.isBuffer(v)) return v;
        throw mismatch(v, t);
      };
    case 'ARRAY': {
      const item = decoderFor(wt?.typeName === 'array' ? (wt as avro.types.ArrayType).itemsType : undefined, t.item);
      return (v) => {
        if (!Array.isArray(v)) throw mismatch(v, t);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          out[i] = x === null || x === undefined ? null : item(x);
        }
        return out;
      };
    }
    case 'MAP': {
      const val = decoderFor(wt?.typeName === 'map' ? (wt as avro.types.MapType).valuesType : undefined, t.value);
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw mismatch(v, t);
        const out = new Map<unknown, unknown>();
        const o = v as Record<string, unknown>;
        for (const k in o) {
          const x = o[k];
          out.set(k, x === null || x === undefined ? null : val(x));
        }
        return out;
      };
    }
    case 'STRUCT': {
      const fields = wt?.typeName === 'record' ? (wt as avro.types.RecordType).fields : undefined;
      const names = t.fields.map((f) => f.name);
      const sources = t.fields.map((f) => (fields ? fieldFor(fields, f.name)?.name : f.name));
      const convs = t.fields.map((f, i) => decoderFor(fields ? fields.find((x) => x.name === sources[i])?.type : undefined, f.type));
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v) || Buffer.isBuffer(v)) throw mismatch(v, t);
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) {
          const src = sources[i];
          const x = src === undefined ? undefined : fields ? o[src] : caseInsensitive(o, src);
          out[names[i]!] = x === null || x === undefined ? null : convs[i]!(x);
        }
        return out;
      };
    }
  }
}

/** The registered schema as an avsc record type, or undefined when it is not a record. */
function registeredRecord(schema: unknown): avro.Type | undefined {
  try {
    const t = avroType(schema as Parameters<typeof avroType>[0]);
    return t.typeName === 'record' ? t : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Maps a registered record's fields to columns (exact name, else upper-cased).
 * A field no column fills takes its default; without one it must be nullable,
 * else the schema cannot be written with these columns.
 */
function writeFieldsFor(rec: avro.types.RecordType, names: readonly string[]): WriteField[] {
  const fields = rec.fields.map((f) => {
    let column = names.indexOf(f.name);
    if (column < 0) column = names.indexOf(f.name.toUpperCase());
    const def = f.defaultValue() as unknown;
    const nullable = isNullable(f.type);
    if (column >= 0) return { name: f.name, column, fallback: nullable || def === undefined ? null : def, conform: conformerFor(f.type) };
    if (def === undefined && !nullable) {
      throw new Error(`The registered schema has a required field '${f.name}' that no column provides.`);
    }
    return { name: f.name, column: -1, fallback: def === undefined ? null : def, conform: identity };
  });
  const order = fields.filter((f) => f.column >= 0).map((f) => f.column);
  if (order.some((c, i) => i > 0 && c < order[i - 1]!)) {
    throw new Error(`The following value columns are changed, missing or reordered compared with the registered schema: [${names.join(', ')}]`);
  }
  return fields;
}

function caseInsensitive(o: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(o, name)) return o[name];
  for (const k in o) if (k.toUpperCase() === name) return o[k];
  return undefined;
}

/** A field of a registered writer schema and the column that fills it (-1: the field's default). */
interface WriteField {
  readonly name: string;
  readonly column: number;
  readonly fallback: unknown;
  /** Fits a column's encoded value to the field's type (null → the default where the type is not nullable). */
  readonly conform: Conv;
}

function isNullable(t: avro.Type): boolean {
  return t.typeName === 'null' || (t.typeName.startsWith('union') && (t as avro.types.UnwrappedUnionType).types.some((b) => b.typeName === 'null'));
}

/**
 * Fits an encoded value to a registered writer type, as Avro's data translation
 * does: inside records, a null (or missing) field whose type is not nullable takes
 * the field's default; nested records, arrays and maps are fitted the same way.
 */
function conformerFor(t: avro.Type): Conv {
  if (t.typeName.startsWith('union')) {
    const rec = (t as avro.types.UnwrappedUnionType).types.filter((b) => b.typeName !== 'null');
    return rec.length === 1 ? conformerFor(rec[0]!) : identity;
  }
  if (t.typeName === 'array') {
    const item = conformerFor((t as avro.types.ArrayType).itemsType);
    return item === identity ? identity : (v) => (v as unknown[]).map((x) => (x === null ? null : item(x)));
  }
  if (t.typeName === 'map') {
    const val = conformerFor((t as avro.types.MapType).valuesType);
    if (val === identity) return identity;
    return (v) => {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = x === null ? null : val(x);
      return o;
    };
  }
  if (t.typeName !== 'record') return identity;
  const fields = (t as avro.types.RecordType).fields.map((f) => ({
    name: f.name,
    upper: f.name.toUpperCase(),
    fill: isNullable(f.type) ? undefined : (f.defaultValue() as unknown),
    conform: conformerFor(f.type),
  }));
  return (v) => {
    const src = v as Record<string, unknown>;
    const o: Record<string, unknown> = {};
    for (const f of fields) {
      const x = src[f.name] ?? src[f.upper] ?? null;
      o[f.name] = x === null ? (f.fill ?? null) : f.conform(x);
    }
    return o;
  };
}

class AvroSerde implements Serde {
  private type: avro.Type;
  /** Set when writing with a registered schema (KEY_/VALUE_SCHEMA_ID) rather than the generated one. */
  private writeFields: readonly WriteField[] | undefined;
  private readonly schemaId: number;
  private readonly wrapped: boolean;
  private readonly names: readonly string[];
  private readonly encoders: readonly Conv[];
  private readonly decoders = new Map<number, { type: avro.Type; decode: RowDecoder }>();
  private readonly ownDecoder: { type: avro.Type; decode: RowDecoder };

  constructor(
    private readonly columns: readonly SerdeColumn[],
    private readonly options: SerdeOptions,
  ) {
    this.wrapped = isWrapped(columns, options);
    const schema = avroSchemaForColumns(columns, this.wrapped, options.schemaFullName ?? DEFAULT_AVRO_FULL_NAME);
    this.type = avroType(schema);
    this.schemaId =
      options.schemaId ?? options.schemaRegistry?.register(schema, options.subject === undefined ? {} : { subject: options.subject, format: 'AVRO' }) ?? 1;
    this.names = columns.map((c) => c.name);
    this.encoders = columns.map((c) => encoderFor(c.type));
    this.ownDecoder = { type: this.type, decode: this.rowDecoder(this.type) };
    // With a schema id, records are written with that registered schema, as ksqlDB does.
    const registered = options.schemaId !== undefined ? options.schemaRegistry?.getRegistered?.(options.schemaId) : undefined;
    const writer = registered?.format === 'AVRO' && this.wrapped ? registeredRecord(registered.schema) : undefined;
    if (writer) {
      this.type = writer;
      this.writeFields = writeFieldsFor(writer as avro.types.RecordType, this.names);
    }
  }

  /** The Avro schema this serde writes (as registered). */
  get schema(): unknown {
    return this.type.schema();
  }

  private rowDecoder(wt: avro.Type): RowDecoder {
    if (!this.wrapped) {
      const conv = decoderFor(wt, this.columns[0]!.type);
      return (v) => [v === null || v === undefined ? null : conv(v)];
    }
    let rec: avro.Type = wt;
    if (rec.typeName === 'union:unwrapped') {
      rec = (rec as avro.types.UnwrappedUnionType).types.find((b) => b.typeName === 'record') ?? rec;
    }
    if (rec.typeName !== 'record') {
      return () => {
        throw new SerdeError(`Failed to deserialize AVRO: expected a record, writer schema is ${wt.typeName}`);
      };
    }
    const fields = (rec as avro.types.RecordType).fields;
    const sources = this.columns.map((c) => fieldFor(fields, c.name));
    const convs = this.columns.map((c, i) => decoderFor(sources[i]?.type, c.type));
    const srcNames = sources.map((f) => f?.name);
    const n = this.columns.length;
    return (v) => {
      if (v === null || v === undefined) return null;
      const o = v as Record<string, unknown>;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const src = srcNames[i];
        const x = src === undefined ? undefined : o[src];
        out[i] = x === null || x === undefined ? null : convs[i]!(x);
      }
      return out;
    };
  }

  private decoderForId(id: number): { type: avro.Type; decode: RowDecoder } {
    const known = this.decoders.get(id);
    if (known) return known;
    let entry = this.ownDecoder;
    const writer = this.options.schemaRegistry?.getSchema(id);
    if (writer !== undefined) {
      try {
        const type = avroType(writer);
        entry = { type, decode: this.rowDecoder(type) };
      } catch {
        entry = this.ownDecoder;
      }
    }
    this.decoders.set(id, entry);
    return entry;
  }

  serialize(values: readonly unknown[] | null): Buffer | null {
    if (values === null) return null;
    let value: unknown;
    if (this.writeFields) {
      const o: Record<string, unknown> = {};
      const enc = this.encoders;
      for (const f of this.writeFields) {
        const v = f.column < 0 ? undefined : values[f.column];
        o[f.name] = f.column < 0 || v === null || v === undefined ? f.fallback : f.conform(enc[f.column]!(v));
      }
      value = o;
    } else if (this.wrapped) {
      const o: Record<string, unknown> = {};
      const names = this.names;
      const enc = this.encoders;
      for (let i = 0; i < names.length; i++) {
        const v = values[i];
        o[names[i]!] = v === null || v === undefined ? null : enc[i]!(v);
      }
      value = o;
    } else {
      const v = values[0];
      if (v === null || v === undefined) return null;
      value = this.encoders[0]!(v);
    }
    let body: Buffer;
    try {
      body = this.type.toBuffer(value);
    } catch (e) {
      throw new SerdeError(`Failed to serialize AVRO: ${(e as Error).message}`);
    }
    const out = Buffer.allocUnsafe(SR_PREFIX_LENGTH + body.length);
    out[0] = 0;
    out.writeInt32BE(this.schemaId | 0, 1);
    body.copy(out, SR_PREFIX_LENGTH);
    return out;
  }

  deserialize(bytes: Buffer | null): unknown[] | null {
    if (bytes === null) return null;
    if (bytes.length < SR_PREFIX_LENGTH || bytes[0] !== 0) {
      throw new SerdeError('Failed to deserialize AVRO: Unknown magic byte!');
    }
    const { type, decode } = this.decoderForId(bytes.readInt32BE(1));
    let value: unknown;
    try {
      const r = type.decode(bytes, SR_PREFIX_LENGTH);
      if (r.offset < 0) throw new Error('truncated data');
      value = r.value;
    } catch (e) {
      throw new SerdeError(`Failed to deserialize AVRO: ${(e as Error).message}`);
    }
    return decode(value);
  }
}

/** An AVRO serde for the columns (Confluent wire format). */
export function createAvroSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  return new AvroSerde(columns, options);
}

/** AVRO: Confluent's Avro wire format; its schema lives in the registry. */
export const AVRO_FORMAT: Format = {
  name: 'AVRO',
  usesSchemaRegistry: true,
  configs: new Set(['fullSchemaName']),
  nullableRepresentation: false,
  holdsNestedAggregateState: true,
  holdsColumns: true,
  create: (columns, options) => (columns.length === 0 ? createVoidSerde() : createAvroSerde(columns, options)),
  schemaTranslator: avroSchemaColumns,
  testForm: { toBytes: avroBytesFromTestForm, fromBytes: avroTestFormFromBytes },
};
