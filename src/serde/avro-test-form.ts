/**
 * AVRO test form: the JSON value of a record in ksqlDB's test files, converted
 * through an Avro schema — the writer schema registered under `options.schemaId`
 * when there is one (a topic's declared schema), else the schema generated from
 * the columns. BYTES are Base64 text, decimals JSON numbers (or strings), field
 * names matched case-insensitively.
 */
import type avro from 'avsc';
import { Decimal } from '../common/decimal.js';
import { AvroDecimalType, avroSchemaForColumns, avroType, DEFAULT_AVRO_FULL_NAME } from './avro-schema.js';
import { isWrapped, SR_PREFIX_LENGTH } from './json.js';
import type { SerdeColumn, SerdeOptions } from './serde-types.js';

/** The writer schema and its id: the one registered under `id`, else the columns' (registered if possible). */
function writer(columns: readonly SerdeColumn[], options: SerdeOptions, id: number | undefined): { type: avro.Type; id: number } {
  const registered = id !== undefined ? options.schemaRegistry?.getSchema(id) : undefined;
  if (registered !== undefined) return { type: avroType(registered), id: id! };
  const schema = avroSchemaForColumns(columns, isWrapped(columns, options), options.schemaFullName ?? DEFAULT_AVRO_FULL_NAME);
  return { type: avroType(schema), id: id ?? options.schemaRegistry?.register(schema) ?? 1 };
}

function lookup(o: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(o, name)) return o[name];
  const up = name.toUpperCase();
  for (const k in o) if (k.toUpperCase() === up) return o[k];
  return undefined;
}

/** JSON test value → the value avsc writes with `t`. */
function fromJson(t: avro.Type, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (t instanceof AvroDecimalType) return v instanceof Decimal ? v : Decimal.parse(String(v));
  switch (t.typeName) {
    case 'union:unwrapped': {
      const branches = (t as avro.types.UnwrappedUnionType).types.filter((b) => b.typeName !== 'null');
      for (const b of branches) {
        const x = fromJson(b, v);
        if (b.isValid(x)) return x;
      }
      return fromJson(branches[0]!, v);
    }
    case 'union:wrapped': {
      const branches = (t as avro.types.WrappedUnionType).types.filter((b) => b.typeName !== 'null');
      for (const b of branches) {
        const x = fromJson(b, v);
        if (b.isValid(x)) return { [b.branchName!]: x };
      }
      return v;
    }
    case 'record': {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of (t as avro.types.RecordType).fields) out[f.name] = fromJson(f.type, lookup(o, f.name));
      return out;
    }
    case 'array':
      return (v as unknown[]).map((x) => fromJson((t as avro.types.ArrayType).itemsType, x));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        out[k] = fromJson((t as avro.types.MapType).valuesType, x);
      }
      return out;
    }
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return typeof v === 'number' ? v : Number(v);
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'bytes':
    case 'fixed':
      return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
    default:
      return v;
  }
}

/** avsc value → JSON test form. */
function toJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Decimal) return v.toNumber();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJson(x);
    return out;
  }
  return v;
}

/**
 * Bytes for an AVRO test-form value, written with the schema registered under
 * `options.schemaId`, else with the columns' schema (registered in
 * `options.schemaRegistry` when given, id 1 otherwise).
 */
export function avroBytesFromTestForm(json: unknown, columns: readonly SerdeColumn[], options: SerdeOptions): Buffer {
  const { type, id } = writer(columns, options, options.schemaId);
  const body = type.toBuffer(fromJson(type, json));
  const out = Buffer.allocUnsafe(SR_PREFIX_LENGTH + body.length);
  out[0] = 0;
  out.writeInt32BE(id | 0, 1);
  body.copy(out, SR_PREFIX_LENGTH);
  return out;
}

/** The test form of AVRO bytes, decoded with the schema registered under their id (or the columns' schema). */
export function avroTestFormFromBytes(bytes: Buffer, columns: readonly SerdeColumn[], options: SerdeOptions): unknown {
  if (bytes.length < SR_PREFIX_LENGTH || bytes[0] !== 0) return bytes.toString('base64');
  const { type } = writer(columns, options, bytes.readInt32BE(1));
  return toJson(type.decode(bytes, SR_PREFIX_LENGTH).value);
}
