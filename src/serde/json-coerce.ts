/**
 * Conversion between parsed JSON and Sluice's runtime values, following ksqlDB's
 * `KsqlJsonDeserializer` / `JsonSerdeUtils` coercions on read and its Jackson
 * output on write. Converters are built once per type; per record they only run.
 */
import { Decimal } from '../common/decimal.js';
import { formatType, type SqlType } from '../common/types.js';
import {
  decodeBase64,
  doubleLosesInformation,
  ensureDecimalFit,
  javaBigDecimalToString,
  javaDoubleToString,
  javaLongToString,
  narrowNumberText,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
  readDecimalText,
} from '../common/java-text.js';
import { JsonNum } from './json-parse.js';
import { numberDoesNotFit } from './serde-types.js';

/** Converts one parsed JSON value (numbers may be {@link JsonNum}) to a runtime value. */
export type JsonReader = (v: unknown) => unknown;
/** Writes one runtime value as JSON text. */
export type JsonWriter = (v: unknown) => string;

/** A value that does not fit its type; `path` is relative to the value, e.g. `.A[0]` (`$.A[0]` in the message). */
export class CoercionError extends Error {
  constructor(
    readonly rawMessage: string,
    readonly path: string,
  ) {
    super(`${rawMessage}, path: $${path}`);
  }
}

/** Jackson's node class name for a parsed JSON value, as ksqlDB prints it in errors. */
export function jsonNodeType(v: unknown): string {
  if (typeof v === 'string') return 'TextNode';
  if (typeof v === 'boolean') return 'BooleanNode';
  if (typeof v === 'number' || v instanceof JsonNum) {
    const n = typeof v === 'number' ? v : v.toNumber();
    const isInt = typeof v === 'number' ? Number.isInteger(v) : !/[.eE]/.test(v.text);
    if (!isInt) return 'DecimalNode';
    if (n >= -2147483648 && n <= 2147483647) return 'IntNode';
    return Math.abs(n) <= 2 ** 63 ? 'LongNode' : 'BigIntegerNode';
  }
  if (Array.isArray(v)) return 'ArrayNode';
  if (v === null) return 'NullNode';
  return 'ObjectNode';
}

/** ksqlDB's name for a type in coercion errors. */
function requiredName(t: SqlType): string {
  return t.kind === 'ARRAY' || t.kind === 'MAP' || t.kind === 'STRUCT' ? formatType(t) : t.kind;
}

function cannotConvert(v: unknown, t: SqlType): Error {
  return new Error(`Can't convert type. sourceType: ${jsonNodeType(v)}, requiredType: ${requiredName(t)}`);
}

function cannotCoerceString(kind: string): Error {
  return new Error(`Can't coerce string to type. targetType: ${kind}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNum);
}

/**
 * Builds the reader for `t`. The reader maps JSON null/undefined to SQL NULL and
 * throws {@link CoercionError} (path relative to the value, `$`) on a misfit.
 * With `strict`, a number that INT/BIGINT/DOUBLE (or DATE/TIME/TIMESTAMP) cannot
 * hold without losing information is a misfit instead of being narrowed.
 */
export function jsonReader(t: SqlType, strict = false): JsonReader {
  const r = rawReader(t, strict);
  return (v) => {
    if (v === null || v === undefined) return null;
    try {
      return r(v);
    } catch (e) {
      if (e instanceof CoercionError) throw e;
      throw new CoercionError(e instanceof Error ? e.message : String(e), '');
    }
  };
}

function rawReader(t: SqlType, strict: boolean): (v: unknown) => unknown {
  switch (t.kind) {
    case 'BOOLEAN':
      return (v) => {
        if (typeof v === 'boolean') return v;
        throw cannotConvert(v, t);
      };
    case 'INTEGER':
      return (v) => readInt(v, t, 'INTEGER', strict);
    case 'DATE':
      return (v) => readInt(v, t, 'DATE', strict);
    case 'TIME':
      return (v) => {
        const n = readLong(v, t, 'TIME', strict);
        if (n < 0 || n >= 86400000) {
          throw new Error('Time values must use number of milliseconds greater than 0 and less than 86400000.');
        }
        return n;
      };
    case 'BIGINT':
      return (v) => readLong(v, t, 'BIGINT', strict);
    case 'TIMESTAMP':
      return (v) => readLong(v, t, 'TIMESTAMP', strict);
    case 'DOUBLE':
      return (v) => readDouble(v, t, strict);
    case 'DECIMAL': {
      const { precision, scale } = t;
      return (v) => {
        if (typeof v === 'number') return ensureDecimalFit(Decimal.parse(String(v)), precision, scale);
        if (v instanceof JsonNum || typeof v === 'string') {
          const d = readDecimalText(v instanceof JsonNum ? v.text : v, precision, scale);
          if (d === undefined) throw new Error(`Character array is missing "exponent" mark 'e' or 'E'.`);
          return d;
        }
        throw cannotConvert(v, t);
      };
    }
    case 'STRING':
      return readString;
    case 'BYTES':
      return (v) => {
        if (typeof v === 'string') {
          const b = decodeBase64(v);
          if (b === undefined) throw new Error(`Value is not a valid Base64 encoded string: ${v}`);
          return b;
        }
        throw cannotConvert(v, t);
      };
    case 'ARRAY': {
      const item = atIndexReader(rawReader(t.item, strict));
      return (v) => {
        if (!Array.isArray(v)) throw cannotConvert(v, t);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = item(v[i], i);
        return out;
      };
    }
    case 'MAP': {
      const val = rawReader(t.value, strict);
      return (v) => {
        if (!isPlainObject(v)) throw cannotConvert(v, t);
        const out = new Map<unknown, unknown>();
        for (const k in v) {
          const x = v[k];
          if (x === null || x === undefined) {
            out.set(k, null);
            continue;
          }
          try {
            out.set(k, val(x));
          } catch (e) {
            throw rethrowAt(e, `.${k}.value`);
          }
        }
        return out;
      };
    }
    case 'STRUCT':
      return structReader(
        t.fields.map((f) => f.name),
        t.fields.map((f) => f.type),
        t,
        (names, vals) => {
          const o: Record<string, unknown> = {};
          for (let i = 0; i < names.length; i++) o[names[i]!] = vals[i];
          return o;
        },
        strict,
      );
  }
}

function rethrowAt(e: unknown, part: string): CoercionError {
  if (e instanceof CoercionError) return new CoercionError(e.rawMessage, part + e.path);
  return new CoercionError(e instanceof Error ? e.message : String(e), part);
}

function atIndexReader(r: (v: unknown) => unknown): (v: unknown, i: number) => unknown {
  return (v, i) => {
    if (v === null || v === undefined) return null;
    try {
      return r(v);
    } catch (e) {
      throw rethrowAt(e, `[${i}]`);
    }
  };
}

/** Field kinds {@link structReader} reads inline when the JSON value already has the right type. */
const F_NONE = 0;
const F_STRING = 1;
const F_INTEGER = 2;
const F_LONG = 3;
const F_DOUBLE = 4;
const F_BOOLEAN = 5;

function fastKind(t: SqlType): number {
  switch (t.kind) {
    case 'STRING':
      return F_STRING;
    case 'INTEGER':
    case 'DATE':
      return F_INTEGER;
    case 'BIGINT':
    case 'TIMESTAMP':
      return F_LONG;
    case 'DOUBLE':
      return F_DOUBLE;
    case 'BOOLEAN':
      return F_BOOLEAN;
    default:
      return F_NONE;
  }
}

/**
 * Reads a JSON object into fields: exact name first, then case-insensitively
 * (upper-cased JSON keys, as ksqlDB). Missing fields are NULL. `strict` as for
 * {@link jsonReader}.
 */
export function structReader<R>(
  names: readonly string[],
  types: readonly SqlType[],
  t: SqlType | undefined,
  build: (names: readonly string[], vals: unknown[]) => R,
  strict = false,
): (v: unknown) => R {
  const readers = types.map((ft) => rawReader(ft, strict));
  const fast = types.map(fastKind);
  // Parsed objects inherit only from Object.prototype: other names can be read without Object.hasOwn.
  const inherited = names.map((n) => n in Object.prototype);
  const n = names.length;
  // The key list of the last object that needed a case-insensitive match (JSON keys
  // usually differ from upper-case column names only in case, the same in every
  // record), and for each field the last of its keys whose upper case is the name.
  let shapeKeys: string[] = [];
  let shapeUpper: (string | undefined)[] = [];
  const sameShape = (v: Record<string, unknown>): boolean => {
    let j = 0;
    for (const k in v) if (k !== shapeKeys[j++]) return false;
    return j === shapeKeys.length;
  };
  const learnShape = (v: Record<string, unknown>): void => {
    const keys: string[] = [];
    const upper = new Map<string, string>();
    for (const k in v) {
      keys.push(k);
      upper.set(k.toUpperCase(), k);
    }
    shapeKeys = keys;
    shapeUpper = names.map((name) => upper.get(name));
  };
  return (v) => {
    if (!isPlainObject(v)) {
      if (t) throw cannotConvert(v, t);
      throw new Error(`Can't convert type. sourceType: ${jsonNodeType(v)}, requiredType: STRUCT`);
    }
    const vals = new Array<unknown>(n);
    let shapeChecked = false;
    let i = 0;
    try {
      for (; i < n; i++) {
        const name = names[i]!;
        let x = inherited[i] ? (Object.hasOwn(v, name) ? v[name] : undefined) : v[name];
        if (x === undefined) {
          // Case-insensitive: the value of the last key whose upper case is the name.
          if (!shapeChecked) {
            shapeChecked = true;
            if (!sameShape(v)) learnShape(v);
          }
          const k = shapeUpper[i];
          x = k === undefined ? undefined : v[k];
        }
        if (x === null || x === undefined) {
          vals[i] = null;
          continue;
        }
        // The common cases inline, where the field's reader would return the value unchanged.
        switch (fast[i]) {
          case F_STRING:
            if (typeof x === 'string') {
              vals[i] = x;
              continue;
            }
            break;
          case F_INTEGER:
            if (typeof x === 'number' && (x | 0) === x) {
              vals[i] = x;
              continue;
            }
            break;
          case F_LONG:
            if (typeof x === 'number' && Number.isSafeInteger(x)) {
              vals[i] = x;
              continue;
            }
            break;
          case F_DOUBLE:
            if (typeof x === 'number') {
              vals[i] = x;
              continue;
            }
            break;
          case F_BOOLEAN:
            if (typeof x === 'boolean') {
              vals[i] = x;
              continue;
            }
            break;
        }
        vals[i] = readers[i]!(x);
      }
    } catch (e) {
      throw rethrowAt(e, `.${names[i]!}`);
    }
    return build(names, vals);
  };
}

/**
 * ksqlDB's `JsonSerdeUtils.toInteger`: a number keeps the low 32 bits of its whole
 * part (see {@link narrowNumberText}), text is `Integer.parseInt`, anything else
 * is an error. A `number` here came from JSON.parse, which the JSON serde only
 * uses when every number is exact as a double (json.ts), so `| 0` is exact.
 */
function readInt(v: unknown, t: SqlType, kind: string, strict: boolean): number {
  if (typeof v === 'number') {
    const n = Math.trunc(v) | 0;
    if (strict && n !== v) throw numberDoesNotFit(javaNumberText(v), kind);
    return n;
  }
  if (v instanceof JsonNum) {
    const r = narrowNumberText(v.text, 32);
    if (r === undefined) throw cannotConvert(v, t);
    if (strict && !r.exact) throw numberDoesNotFit(v.text, kind);
    return Number(r.value);
  }
  if (typeof v === 'string') {
    const n = parseJavaInt(v);
    if (n === undefined) throw cannotCoerceString(kind);
    return n;
  }
  throw cannotConvert(v, t);
}

/**
 * ksqlDB's `JsonSerdeUtils.toLong` (`NumericNode.asLong()`, `Long.parseLong`): the
 * low 64 bits of the whole part, computed exactly, then held as a number (the
 * nearest double beyond ±2^53, as every BIGINT in Sluice; see common/types.ts).
 */
function readLong(v: unknown, t: SqlType, kind: string, strict: boolean): number {
  if (typeof v === 'number') {
    const n = Math.trunc(v);
    if (strict && n !== v) throw numberDoesNotFit(javaNumberText(v), kind);
    return n;
  }
  if (v instanceof JsonNum) {
    const r = narrowNumberText(v.text, 64);
    if (r === undefined) throw cannotConvert(v, t);
    if (strict && !r.exact) throw numberDoesNotFit(v.text, kind);
    return Number(r.value);
  }
  if (typeof v === 'string') {
    const n = parseJavaLong(v);
    if (n === undefined) throw cannotCoerceString(kind);
    return n;
  }
  throw cannotConvert(v, t);
}

/**
 * ksqlDB's `JsonSerdeUtils.toDouble`: `doubleValue()` of the number (correctly
 * rounded, ±Infinity beyond the double range), `Double.parseDouble` of text.
 * Strict rejects what {@link doubleLosesInformation} names.
 */
function readDouble(v: unknown, t: SqlType, strict: boolean): number {
  let d: number;
  let text: string;
  if (typeof v === 'number') {
    d = v;
    text = '';
  } else if (v instanceof JsonNum) {
    d = v.toNumber();
    text = v.text;
  } else if (typeof v === 'string') {
    const p = parseJavaDouble(v);
    if (p === undefined) throw cannotCoerceString('DOUBLE');
    d = p;
    text = v;
  } else throw cannotConvert(v, t);
  if (strict && text !== '' && doubleLosesInformation(text, d)) throw numberDoesNotFit(text, 'DOUBLE');
  return d;
}

function javaNumberText(v: number): string {
  return Number.isInteger(v) ? javaLongToString(v) : String(v);
}

function readString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? javaLongToString(v) : String(v);
  if (v instanceof JsonNum) return javaBigDecimalToString(v.text);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ', ';
      const x = v[i];
      s += x === null || x === undefined ? 'null' : readString(x);
    }
    return s + ']';
  }
  return writeGenericJson(v);
}

/** Writes parsed JSON (including {@link JsonNum}) back as compact JSON text. */
export function writeGenericJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof JsonNum) return v.text;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + writeGenericJson(v[i]);
    return s + ']';
  }
  let s = '{';
  let first = true;
  for (const k in v as Record<string, unknown>) {
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + writeGenericJson((v as Record<string, unknown>)[k]);
    first = false;
  }
  return s + '}';
}

// ---------------------------------------------------------------------------
// writing

/** Builds the writer for `t`: JSON text as ksqlDB (Jackson) writes it; null → `null`. */
export function jsonWriter(t: SqlType): JsonWriter {
  const w = rawWriter(t);
  return (v) => (v === null || v === undefined ? 'null' : w(v));
}

function writeDouble(v: unknown): string {
  const d = v as number;
  if (Number.isFinite(d)) return javaDoubleToString(d);
  return `"${javaDoubleToString(d)}"`;
}

function writeDecimal(scale: number): (v: unknown) => string {
  return (v) => {
    if (v instanceof Decimal) return v.setScale(scale).toString();
    return Decimal.parse(String(v)).setScale(scale).toString();
  };
}

function rawWriter(t: SqlType): (v: unknown) => string {
  switch (t.kind) {
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false');
    case 'INTEGER':
    case 'BIGINT':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (v) => javaLongToString(v as number);
    case 'DOUBLE':
      return writeDouble;
    case 'DECIMAL':
      return writeDecimal(t.scale);
    case 'STRING':
      return (v) => JSON.stringify(v);
    case 'BYTES':
      return (v) => `"${(v as Buffer).toString('base64')}"`;
    case 'ARRAY': {
      const item = jsonWriter(t.item);
      return (v) => {
        const a = v as readonly unknown[];
        let s = '[';
        for (let i = 0; i < a.length; i++) s += (i > 0 ? ',' : '') + item(a[i]);
        return s + ']';
      };
    }
    case 'MAP': {
      const val = jsonWriter(t.value);
      return (v) => {
        let s = '{';
        let first = true;
        for (const [k, x] of v as Map<unknown, unknown>) {
          s += (first ? '' : ',') + JSON.stringify(String(k)) + ':' + val(x);
          first = false;
        }
        return s + '}';
      };
    }
    case 'STRUCT': {
      const names = t.fields.map((f) => f.name);
      const prefixes = names.map((n, i) => (i > 0 ? ',' : '') + JSON.stringify(n) + ':');
      const writers = t.fields.map((f) => jsonWriter(f.type));
      return (v) => {
        const o = v as Record<string, unknown>;
        let s = '{';
        for (let i = 0; i < names.length; i++) s += prefixes[i]! + writers[i]!(o[names[i]!]);
        return s + '}';
      };
    }
  }
}

/** Whether a type holds a DECIMAL anywhere (so JSON must be parsed losslessly). */
export function containsDecimal(t: SqlType): boolean {
  switch (t.kind) {
    case 'DECIMAL':
      return true;
    case 'ARRAY':
      return containsDecimal(t.item);
    case 'MAP':
      return containsDecimal(t.key) || containsDecimal(t.value);
    case 'STRUCT':
      return t.fields.some((f) => containsDecimal(f.type));
    default:
      return false;
  }
}

/** Whether a type reads numbers that JSON.parse could round (INT/BIGINT/DOUBLE, temporals, STRING text of a number). */
export function needsExactNumbers(t: SqlType): boolean {
  switch (t.kind) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'STRING':
      return true;
    case 'ARRAY':
      return needsExactNumbers(t.item);
    case 'MAP':
      return needsExactNumbers(t.value);
    case 'STRUCT':
      return t.fields.some((f) => needsExactNumbers(f.type));
    default:
      return false;
  }
}
