/**
 * The JSON format (and JSON_SR, the same text after Confluent's 5-byte schema
 * registry prefix). A row is an object keyed by column name, or the bare value of
 * the single column when unwrapped. Reading follows ksqlDB's coercions
 * (json-coerce.ts); writing follows its Jackson output.
 */
import type { SqlType } from '../common/types.js';
import { containsDecimal, needsExactNumbers, CoercionError, jsonReader, jsonWriter, structReader, type JsonReader, type JsonWriter } from './json-coerce.js';
import { parseJsonLossless } from './json-parse.js';
import { JsonRowScanner } from './json-scan.js';
import type { Format } from './format.js';
import { jsonSchemaForColumns } from './json-schema.js';
import { jsonSchemaColumns } from './schema-translators.js';
import { createVoidSerde } from './none.js';
import { SerdeError, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

/** Confluent wire-format prefix length: magic byte 0 + 4-byte schema id. */
export const SR_PREFIX_LENGTH = 5;

/** Throws when JSON cannot hold `t` (maps need STRING keys). */
export function validateJsonType(t: SqlType): void {
  switch (t.kind) {
    case 'MAP':
      if (t.key.kind !== 'STRING') throw new Error('JSON only supports MAP types with STRING keys');
      validateJsonType(t.value);
      return;
    case 'ARRAY':
      validateJsonType(t.item);
      return;
    case 'STRUCT':
      for (const f of t.fields) validateJsonType(f.type);
      return;
    default:
      return;
  }
}

/** Whether a single column is written wrapped, per WRAP_SINGLE_VALUE and side defaults. */
export function isWrapped(columns: readonly SerdeColumn[], options: SerdeOptions): boolean {
  if (columns.length !== 1) return true;
  return options.wrapSingleValue ?? !options.isKey;
}

/** Writes the 5-byte Confluent prefix for `schemaId` into a new buffer followed by `body`. */
export function withSrPrefix(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(SR_PREFIX_LENGTH + body.length);
  out[0] = 0;
  out.writeInt32BE(schemaId | 0, 1);
  body.copy(out, SR_PREFIX_LENGTH);
  return out;
}

/**
 * A cheap first test, anywhere in the text (strings too): a digit followed by 15
 * more digits or points, or a digit right before `e`/`E` (what the regular
 * expression `/\d[\d.]{15}|\d[eE]/` finds, in one pass without backtracking:
 * about a third of the time on rows of a few short numbers).
 */
function maybeInexact(text: string): boolean {
  let run = 0; // characters of the current run of digits and points, from its first digit
  let digit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run >= 16) return true;
      digit = true;
    } else if (c === 46 /* . */) {
      if (run > 0 && ++run >= 16) return true;
      digit = false;
    } else {
      if (digit && (c === 101 || c === 69)) return true;
      run = 0;
      digit = false;
    }
  }
  return false;
}

/**
 * Whether some number token of JSON `text` (outside strings) may not be exact as
 * a double: 16 or more digits and points, or an exponent. JSON.parse reads any
 * other number exactly enough to narrow it as Jackson does (its whole part is
 * below 10^15 and its fraction cannot round across an integer).
 */
export function hasInexactNumber(text: string): boolean {
  if (!maybeInexact(text)) return false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // on to the closing quote: the next one not escaped by an odd run of backslashes
      let q = text.indexOf('"', i + 1);
      for (;;) {
        if (q < 0) return false;
        let b = q - 1;
        while (text.charCodeAt(b) === 92 /* \ */) b--;
        if ((q - 1 - b) % 2 === 0) break;
        q = text.indexOf('"', q + 1);
      }
      i = q + 1;
    } else if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      const start = c === 45 ? i + 1 : i;
      let j = start;
      while (j < n) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 46 /* . */) j++;
        else break;
      }
      if (j - start >= 16) return true;
      const e = text.charCodeAt(j);
      if (e === 101 || e === 69) return true;
      i = j;
    } else i++;
  }
  return false;
}

class JsonSerde implements Serde {
  private readonly wrapped: boolean;
  /** Every number must keep its text (DECIMAL columns). */
  private readonly lossless: boolean;
  /** Numbers that JSON.parse might round must keep their text when there are any (see hasInexactNumber). */
  private readonly wholeNumbers: boolean;
  private readonly target: string;
  private readonly prefixes: readonly string[];
  private readonly writers: readonly JsonWriter[];
  /** With a registered writer schema: the column each written property takes (-1: none). */
  private readonly writeColumns: readonly number[] | undefined;
  private readonly single: JsonReader;
  private readonly rowReader: (v: unknown) => unknown[];
  /** The fast path for rows (json-scan.ts); undefined when every number must keep its text, or unwrapped. */
  private scanner: JsonRowScanner | undefined;
  /** Records the scanner handed back to the ordinary path, and read itself (it is dropped when it rarely helps). */
  private scanMisses = 0;
  private scanHits = 0;
  private readonly rowWidth: number;

  constructor(
    columns: readonly SerdeColumn[],
    options: SerdeOptions,
    private readonly schemaRegistry: boolean,
    private readonly schemaId: number,
  ) {
    for (const c of columns) validateJsonType(c.type);
    this.wrapped = isWrapped(columns, options);
    this.lossless = columns.some((c) => containsDecimal(c.type));
    this.wholeNumbers = columns.some((c) => needsExactNumbers(c.type));
    const strict = options.strictNumbers === true;
    this.target = options.isKey ? 'key' : 'value';
    const fields = schemaRegistry && this.wrapped && options.schemaId !== undefined ? registeredFields(options, columns) : undefined;
    if (fields) {
      // Written with the registered schema (VALUE_/KEY_SCHEMA_ID): each of its properties, null where no column fills it.
      this.prefixes = fields.map((f, i) => (i > 0 ? ',' : '') + JSON.stringify(f.name) + ':');
      this.writers = fields.map((f) => (f.column < 0 ? writeNull : jsonWriter(columns[f.column]!.type)));
      this.writeColumns = fields.map((f) => f.column);
    } else {
      this.prefixes = columns.map((c, i) => (i > 0 ? ',' : '') + JSON.stringify(c.name) + ':');
      this.writers = columns.map((c) => jsonWriter(c.type));
    }
    const first = columns[0];
    this.single = first ? jsonReader(first.type, strict) : () => null;
    this.rowReader = structReader(
      columns.map((c) => c.name),
      columns.map((c) => c.type),
      undefined,
      (_names, vals) => vals,
      strict,
    );
    this.rowWidth = columns.length;
    this.scanner = this.wrapped && !this.lossless ? new JsonRowScanner(columns, strict, options.readColumns) : undefined;
  }

  serialize(values: readonly unknown[] | null): Buffer | null {
    if (values === null) return null;
    let text: string;
    if (this.wrapped) {
      text = '{';
      const w = this.writers;
      const p = this.prefixes;
      const cols = this.writeColumns;
      if (cols) for (let i = 0; i < w.length; i++) text += p[i]! + w[i]!(cols[i]! < 0 ? null : values[cols[i]!]);
      else for (let i = 0; i < w.length; i++) text += p[i]! + w[i]!(values[i]);
      text += '}';
    } else {
      text = this.writers[0]!(values[0]);
    }
    const body = Buffer.from(text, 'utf8');
    return this.schemaRegistry ? withSrPrefix(this.schemaId, body) : body;
  }

  deserialize(bytes: Buffer | null): unknown[] | null {
    if (bytes === null) return null;
    if (this.scanner !== undefined) {
      const vals = new Array<unknown>(this.rowWidth);
      if (this.scan(bytes, vals, 0)) return vals;
    }
    return this.read(bytes);
  }

  deserializeInto(bytes: Buffer, out: unknown[], at: number): boolean {
    if (this.scanner !== undefined && this.scan(bytes, out, at)) return true;
    const vals = this.read(bytes);
    if (vals === null) return false;
    for (let i = 0; i < vals.length; i++) out[at + i] = vals[i] ?? null;
    return true;
  }

  /** The fast path: whether the scanner read the record (into `out` from `at`). */
  private scan(bytes: Buffer, out: unknown[], at: number): boolean {
    const start = this.schemaRegistry ? SR_PREFIX_LENGTH : 0;
    if (start !== 0 && !(bytes.length > 0 && bytes[0] === 0)) return false;
    if (this.scanner!.scanInto(bytes, start, out, at)) {
      this.scanHits++;
      return true;
    }
    // Mostly documents it cannot read (nested, escaped keys): stop trying.
    if (++this.scanMisses > 1000 && this.scanMisses > this.scanHits) this.scanner = undefined;
    return false;
  }

  /** The ordinary path: the text, JSON.parse (or the lossless parser), the row reader. */
  private read(bytes: Buffer): unknown[] | null {
    let doc: unknown;
    try {
      let text: string;
      if (this.schemaRegistry) {
        if (bytes.length === 0 || bytes[0] !== 0) {
          throw new Error(
            'Got unexpected JSON serialization format that did not start with the magic byte. If this stream ' +
              'was not serialized using the JsonSchemaConverter, then make sure the stream is declared with ' +
              'JSON format (not JSON_SR).',
          );
        }
        text = bytes.toString('utf8', SR_PREFIX_LENGTH);
      } else {
        text = bytes.toString('utf8');
      }
      doc = this.lossless || (this.wholeNumbers && hasInexactNumber(text)) ? parseJsonLossless(text) : JSON.parse(text);
    } catch (e) {
      throw new SerdeError(`Failed to deserialize ${this.target}. ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      if (this.wrapped) return doc === null ? null : this.rowReader(doc);
      return [this.single(doc)];
    } catch (e) {
      const msg = e instanceof CoercionError ? e.message : `${(e as Error).message}, path: $`;
      throw new SerdeError(`Failed to deserialize ${this.target}. ${msg}`);
    }
  }
}

const writeNull: JsonWriter = () => 'null';

/**
 * The properties of the JSON schema registered under `options.schemaId`, each with
 * the column that fills it (exact name, else upper-cased; -1 for none), followed
 * by columns the schema lacks. Undefined when it is not an object schema.
 */
function registeredFields(options: SerdeOptions, columns: readonly SerdeColumn[]): { name: string; column: number }[] | undefined {
  const entry = options.schemaRegistry?.getRegistered?.(options.schemaId!);
  if (entry?.format !== 'JSON_SR') return undefined;
  let schema = entry.schema;
  if (typeof schema === 'string') {
    try {
      schema = JSON.parse(schema) as unknown;
    } catch {
      return undefined;
    }
  }
  const props = (schema as { properties?: unknown } | null)?.properties;
  if (typeof props !== 'object' || props === null) return undefined;
  const names = columns.map((c) => c.name);
  const fields = Object.keys(props).map((name) => {
    let column = names.indexOf(name);
    if (column < 0) column = names.indexOf(name.toUpperCase());
    return { name, column };
  });
  names.forEach((name, column) => {
    if (!fields.some((f) => f.column === column)) fields.push({ name, column });
  });
  return fields;
}

/** A JSON (or, with `schemaRegistry`, JSON_SR) serde for the columns. */
export function createJsonSerde(columns: readonly SerdeColumn[], options: SerdeOptions, schemaRegistry = false): Serde {
  return new JsonSerde(columns, options, schemaRegistry, options.schemaId ?? (schemaRegistry ? registeredJsonSchemaId(columns, options) : 1));
}

/**
 * JSON_SR without KEY_/VALUE_SCHEMA_ID: the id of the JSON Schema of the columns,
 * registered under the topic's subject as ksqlDB registers it (the same schema
 * keeps its id and version); 1 when there is no registry or subject.
 */
function registeredJsonSchemaId(columns: readonly SerdeColumn[], options: SerdeOptions): number {
  const registry = options.schemaRegistry;
  if (!registry || options.subject === undefined || columns.length === 0) return 1;
  for (const c of columns) validateJsonType(c.type);
  return registry.register(jsonSchemaForColumns(columns, isWrapped(columns, options)), { subject: options.subject, format: 'JSON_SR' });
}

const TWO_63 = 2 ** 63;

/**
 * A test-form JSON document as text. Test files read by JavaScript hold ksqlDB's
 * Long.MAX_VALUE / MIN_VALUE as the nearest double, ±2^63 (printed
 * 9223372036854776000); they are written back as the longs they stand for, since
 * JSON is now read with every digit (2^63 itself would wrap to Long.MIN_VALUE).
 */
function testJsonText(v: unknown): string {
  if (typeof v === 'number') {
    if (v === TWO_63) return '9223372036854775807';
    if (v === -TWO_63) return '-9223372036854775808';
    return JSON.stringify(v);
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + testJsonText(v[i] === undefined ? null : v[i]);
    return s + ']';
  }
  let s = '{';
  let first = true;
  for (const k in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + testJsonText(x);
    first = false;
  }
  return s + '}';
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** JSON: an object keyed by column name (or the bare single value); test form is the document itself. */
export const JSON_FORMAT: Format = {
  name: 'JSON',
  usesSchemaRegistry: false,
  configs: new Set(),
  nullableRepresentation: false,
  holdsNestedAggregateState: true,
  holdsColumns: true,
  create: (columns, options) => (columns.length === 0 ? createVoidSerde() : createJsonSerde(columns, options, false)),
  schemaTranslator: jsonSchemaColumns,
  testForm: {
    toBytes: (json) => Buffer.from(testJsonText(json), 'utf8'),
    fromBytes: (bytes) => parseOrText(bytes.toString('utf8')),
  },
};

/** JSON_SR: JSON after the 5-byte schema-registry prefix; its schema lives in the registry. */
export const JSON_SR_FORMAT: Format = {
  name: 'JSON_SR',
  usesSchemaRegistry: true,
  configs: new Set(['fullSchemaName']),
  nullableRepresentation: false,
  holdsNestedAggregateState: true,
  holdsColumns: true,
  create: (columns, options) => (columns.length === 0 ? createVoidSerde() : createJsonSerde(columns, options, true)),
  schemaTranslator: jsonSchemaColumns,
  testForm: {
    toBytes: (json, _columns, options) => withSrPrefix(options.schemaId ?? 1, Buffer.from(testJsonText(json), 'utf8')),
    fromBytes: (bytes) => parseOrText(bytes.toString('utf8', bytes[0] === 0 && bytes.length >= SR_PREFIX_LENGTH ? SR_PREFIX_LENGTH : 0)),
  },
};
