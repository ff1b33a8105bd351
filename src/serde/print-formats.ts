/**
 * The formats PRINT tries on a topic's bytes, as ksqlDB's `RecordFormatter`
 * tries them: AVRO, PROTOBUF, JSON, JSON_SR, KAFKA_INT, KAFKA_BIGINT,
 * KAFKA_DOUBLE, KAFKA_STRING, in that order (the first that reads a record shows
 * it), keys also as SESSION(…), HOPPING(…) and TUMBLING(…) windowed keys of each,
 * and each format's text as ksqlDB shows it. The schema-registry formats need
 * magic byte 0 and a schema id registered with that schema type.
 */
import { javaDoubleToString } from '../common/java-text.js';
import { avroText } from './avro-text.js';
import { readProtobufPrefix } from './protobuf.js';
import { type ProtobufSelection, selectProtobufMessage } from './protobuf-schema.js';
import { protobufText } from './protobuf-text.js';
import type { RegisteredSchema, SchemaRegistry } from './serde-types.js';

/** The formats PRINT detects, in ksqlDB's order. */
export const PRINT_FORMATS = ['AVRO', 'PROTOBUF', 'JSON', 'JSON_SR', 'KAFKA_INT', 'KAFKA_BIGINT', 'KAFKA_DOUBLE', 'KAFKA_STRING'] as const;
/** One of {@link PRINT_FORMATS}. */
export type PrintFormat = (typeof PRINT_FORMATS)[number];

/** A format PRINT may show one side of a record with: its name and its reader. */
export interface PrintCandidate {
  /** As the header names it: `JSON`, `TUMBLING(KAFKA_INT)`. */
  readonly name: string;
  /** The bytes as text in this format, or undefined when they are not of it. */
  read(bytes: Buffer): string | undefined;
}

const REPLACEMENT = '\uFFFD';
const TEXT = new TextDecoder('utf-8');
const STRICT_TEXT = new TextDecoder('utf-8', { fatal: true });

/** Kafka's `Bytes.toString`: printable ASCII as is (but `\`), other bytes as `\xHH`. */
export function unrecognisedBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b <= 0x7e && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const IDENT_PART = /[\p{L}\p{N}_$]/u;

class JsonScanError extends Error {}

/**
 * Where the JSON value starting at `i` (after white space) ends, as Jackson
 * reads one root value: the rest of the text is not read, except that a root
 * number must be followed by white space and a literal by no identifier letter.
 */
function jsonValueEnd(text: string, i: number, root: boolean): number {
  while (i < text.length && WS.has(text[i]!)) i++;
  const c = text[i];
  if (c === undefined) throw new JsonScanError('end of input');
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    i++;
    let first = true;
    for (;;) {
      while (i < text.length && WS.has(text[i]!)) i++;
      if (text[i] === close && first) return i + 1;
      if (c === '{') {
        while (i < text.length && WS.has(text[i]!)) i++;
        if (text[i] !== '"') throw new JsonScanError('field name');
        i = jsonValueEnd(text, i, false);
        while (i < text.length && WS.has(text[i]!)) i++;
        if (text[i++] !== ':') throw new JsonScanError('colon');
      }
      i = jsonValueEnd(text, i, false);
      while (i < text.length && WS.has(text[i]!)) i++;
      if (text[i] === close) return i + 1;
      if (text[i++] !== ',') throw new JsonScanError('comma');
      first = false;
    }
  }
  if (c === '"') {
    let j = i + 1;
    for (;;) {
      const ch = text[j];
      if (ch === undefined) throw new JsonScanError('unterminated string');
      if (ch === '"') break;
      if (ch.charCodeAt(0) < 0x20) throw new JsonScanError('control character');
      j += ch === '\\' ? 2 : 1;
    }
    JSON.parse(text.slice(i, j + 1));
    return j + 1;
  }
  const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  num.lastIndex = i;
  const m = num.exec(text);
  if (m && m[0].length > 0 && m[0] !== '-') {
    const end = i + m[0].length;
    const next = text[end];
    if (next !== undefined && (root ? !WS.has(next) : /[\d.eE]/.test(next))) throw new JsonScanError('number');
    return end;
  }
  for (const lit of ['true', 'false', 'null']) {
    if (text.startsWith(lit, i)) {
      const next = text[i + lit.length];
      if (next !== undefined && IDENT_PART.test(next)) throw new JsonScanError('token');
      return i + lit.length;
    }
  }
  throw new JsonScanError('unexpected character');
}

/** Jackson's escaping of a string it writes. */
function jacksonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x22) out += '\\"';
    else if (ch === 0x5c) out += '\\\\';
    else if (ch >= 0x20) out += s[i];
    else if (ch === 0x08) out += '\\b';
    else if (ch === 0x09) out += '\\t';
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x0c) out += '\\f';
    else if (ch === 0x0d) out += '\\r';
    else out += `\\u${ch.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** A JSON value as Jackson's `JsonNode.toString` writes it: compact, doubles as Java prints them. */
function jacksonText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jacksonString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => jacksonText(x)).join(',')}]`;
  if (v instanceof NumberToken) return v.text;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .map((k) => `${jacksonString(k)}:${jacksonText(o[k])}`)
    .join(',')}}`;
}

/** A number as Jackson holds it: an integer node prints its digits, a double node as Java prints a double. */
class NumberToken {
  constructor(readonly text: string) {}
}

function jacksonNumber(token: string): NumberToken {
  return /[.eE]/.test(token) ? new NumberToken(javaDoubleToString(Number(token))) : new NumberToken(BigInt(token).toString());
}

/** The first JSON value of `text` (validated by the caller) with numbers kept as Jackson keeps them. */
function parseJackson(text: string): unknown {
  const numbers: NumberToken[] = [];
  // Numbers are replaced by placeholders holding their Jackson text before JSON.parse sees them.
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (m) => {
    if (m.startsWith('"')) return m;
    numbers.push(jacksonNumber(m));
    return `{"\\u0000n":${numbers.length - 1}}`;
  });
  return JSON.parse(marked, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '\u0000n' in v) {
      return numbers[(v as Record<string, number>)['\u0000n']!];
    }
    return v;
  });
}

function readJson(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = TEXT.decode(bytes);
  if (text.includes(REPLACEMENT)) return undefined;
  try {
    let i = 0;
    while (i < text.length && WS.has(text[i]!)) i++;
    if (i < text.length) jsonValueEnd(text, i, true);
    return text;
  } catch {
    return undefined;
  }
}

function readKafkaString(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = TEXT.decode(bytes);
  return text.includes(REPLACEMENT) ? undefined : text;
}

/** Registered schemas and parsed protobuf messages by id, looked up once per PRINT. */
class SchemaLookup {
  private readonly schemas = new Map<number, RegisteredSchema | null>();
  private readonly messages = new Map<string, ProtobufSelection | null>();

  constructor(private readonly registry: SchemaRegistry | undefined) {}

  /** The schema under the id of Confluent-framed `bytes` if it has `format`'s schema type. */
  schemaOf(bytes: Buffer, format: 'AVRO' | 'PROTOBUF' | 'JSON_SR'): RegisteredSchema | undefined {
    if (bytes.length < 5 || bytes[0] !== 0) return undefined;
    const id = bytes.readInt32BE(1);
    let entry = this.schemas.get(id);
    if (entry === undefined) {
      entry = null;
      try {
        entry = this.registry?.getRegistered?.(id) ?? null;
      } catch {
        // An unreachable registry reads as no schema: the format does not fit.
      }
      this.schemas.set(id, entry);
    }
    if (entry === null) return undefined;
    const f = entry.format === 'PROTOBUF_NOSR' ? 'PROTOBUF' : entry.format === 'JSON' ? 'JSON_SR' : entry.format;
    return f === format ? entry : undefined;
  }

  message(entry: RegisteredSchema, indexes: readonly number[]): ProtobufSelection | undefined {
    const key = `${entry.id}:${indexes.join(',')}`;
    let m = this.messages.get(key);
    if (m === undefined) {
      try {
        m = selectProtobufMessage(String(entry.schema), { indexes, references: entry.references });
      } catch {
        m = null;
      }
      this.messages.set(key, m);
    }
    return m ?? undefined;
  }
}

function reader(format: PrintFormat, schemas: SchemaLookup): (bytes: Buffer) => string | undefined {
  switch (format) {
    case 'AVRO':
      return (bytes) => {
        const entry = schemas.schemaOf(bytes, 'AVRO');
        return entry ? avroText(entry.schema, bytes, 5) : undefined;
      };
    case 'PROTOBUF':
      return (bytes) => {
        const entry = schemas.schemaOf(bytes, 'PROTOBUF');
        if (!entry) return undefined;
        let prefix: ReturnType<typeof readProtobufPrefix>;
        try {
          prefix = readProtobufPrefix(bytes);
        } catch {
          return undefined;
        }
        const m = schemas.message(entry, prefix.indexes);
        return m ? protobufText(m.type, m.proto2, bytes.subarray(prefix.offset)) : undefined;
      };
    case 'JSON':
      return readJson;
    case 'JSON_SR':
      return (bytes) => {
        if (!schemas.schemaOf(bytes, 'JSON_SR')) return undefined;
        try {
          const text = STRICT_TEXT.decode(bytes.subarray(5));
          let i = 0;
          while (i < text.length && WS.has(text[i]!)) i++;
          const end = jsonValueEnd(text, i, true);
          return jacksonText(parseJackson(text.slice(i, end)));
        } catch {
          return undefined;
        }
      };
    case 'KAFKA_INT':
      return (bytes) => (bytes.length === 4 ? String(bytes.readInt32BE(0)) : undefined);
    case 'KAFKA_BIGINT':
      return (bytes) => (bytes.length === 8 ? bytes.readBigInt64BE(0).toString() : undefined);
    case 'KAFKA_DOUBLE':
      return (bytes) => (bytes.length === 8 ? javaDoubleToString(bytes.readDoubleBE(0)) : undefined);
    case 'KAFKA_STRING':
      return readKafkaString;
  }
}

const LONG_MAX = 0x7fff_ffff_ffff_ffffn;

/** Kafka Streams' time-windowed key (inner bytes, 8-byte start) shown `[inner@start/-]`. */
function timeWindowed(inner: (bytes: Buffer) => string | undefined): (bytes: Buffer) => string | undefined {
  return (bytes) => {
    if (bytes.length < 8) return undefined;
    const start = bytes.readBigInt64BE(bytes.length - 8);
    if (start < 0n || start === LONG_MAX) return undefined;
    const key = inner(bytes.subarray(0, bytes.length - 8));
    return key === undefined ? undefined : `[${key}@${start}/-]`;
  };
}

/** Kafka Streams' session-windowed key (inner bytes, 8-byte end, 8-byte start) shown `[inner@start/end]`. */
function sessionWindowed(inner: (bytes: Buffer) => string | undefined): (bytes: Buffer) => string | undefined {
  return (bytes) => {
    if (bytes.length < 16) return undefined;
    const end = bytes.readBigInt64BE(bytes.length - 16);
    const start = bytes.readBigInt64BE(bytes.length - 8);
    if (start < 0n || end < start) return undefined;
    const key = inner(bytes.subarray(0, bytes.length - 16));
    return key === undefined ? undefined : `[${key}@${start}/${end}]`;
  };
}

/**
 * The candidate formats of one side of a topic's records in ksqlDB's order:
 * for keys each format is preceded by its SESSION, HOPPING and TUMBLING
 * windowed variants. Schema ids are looked up in `registry` (once per id).
 */
export function printCandidates(isKey: boolean, registry: SchemaRegistry | undefined): PrintCandidate[] {
  const schemas = new SchemaLookup(registry);
  const out: PrintCandidate[] = [];
  for (const format of PRINT_FORMATS) {
    const read = reader(format, schemas);
    if (isKey) {
      out.push({ name: `SESSION(${format})`, read: sessionWindowed(read) });
      out.push({ name: `HOPPING(${format})`, read: timeWindowed(read) });
      out.push({ name: `TUMBLING(${format})`, read: timeWindowed(read) });
    }
    out.push({ name: format, read });
  }
  return out;
}
