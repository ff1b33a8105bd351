/**
 * The DELIMITED format: one CSV record per message, laid out as ksqlDB does with
 * Apache commons-csv (`CSVFormat.DEFAULT.withDelimiter(d)`, minimal quoting).
 * Only primitive columns; an empty field reads as NULL.
 */
import { Decimal } from '../common/decimal.js';
import type { SqlType } from '../common/types.js';
import {
  decodeBase64,
  doubleLosesInformation,
  javaDoubleToString,
  javaLongToString,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
  readDecimalText,
} from '../common/java-text.js';
import type { Format } from './format.js';
import { createVoidSerde } from './none.js';
import { numberDoesNotFit, SerdeError, type Serde, type SerdeColumn, type SerdeOptions } from './serde-types.js';

type FieldParser = (s: string) => unknown;
type FieldFormatter = (v: unknown) => string;

/**
 * The delimiter character for a VALUE_DELIMITER / KEY_DELIMITER setting: one
 * character, or `TAB` / `SPACE`. Throws ksqlDB's configuration error otherwise.
 */
export function parseDelimiter(text: string | undefined, property = 'VALUE_DELIMITER'): string {
  if (text === undefined) return ',';
  const up = text.toUpperCase();
  if (up === 'TAB') return '\t';
  if (up === 'SPACE') return ' ';
  const prefix = `Configuration ${property} is invalid: `;
  const example = "\nExample valid value: ';'";
  if (text.trim() === '') {
    throw new Error(
      `${prefix}Delimiter cannot be empty, if you meant to have a tab or space for delimiter, ` + `please use the special values 'TAB' or 'SPACE'${example}`,
    );
  }
  if ([...text].length !== 1) {
    throw new Error(`${prefix}Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE${example}`);
  }
  return text;
}

/** Throws ksqlDB's error when DELIMITED cannot hold a column of type `t`. */
export function validateDelimitedType(t: SqlType): void {
  if (t.kind === 'ARRAY' || t.kind === 'MAP' || t.kind === 'STRUCT') {
    throw new Error(`The 'DELIMITED' format does not support type '${t.kind}'`);
  }
}

/**
 * The parser of one field, as ksqlDB's `KsqlDelimitedDeserializer`: `Integer.parseInt`,
 * `Long.parseLong`, `Double.parseDouble`,
 * `new BigDecimal` + `DecimalUtil.ensureFit`. These already reject what does not
 * fit, except DOUBLE; `strict` rejects a DOUBLE that loses information.
 */
function parserFor(t: SqlType, strict: boolean, column: string): FieldParser {
  switch (t.kind) {
    case 'BOOLEAN':
      return (s) => s.toLowerCase() === 'true';
    case 'INTEGER':
    case 'DATE':
      return (s) => {
        const n = parseJavaInt(s);
        if (n === undefined) throw new Error(`For input string: "${s}"`);
        return n;
      };
    case 'BIGINT':
    case 'TIMESTAMP':
      return (s) => {
        const n = parseJavaLong(s);
        if (n === undefined) throw new Error(`For input string: "${s}"`);
        return n;
      };
    case 'TIME':
      return (s) => {
        const n = parseJavaLong(s);
        if (n === undefined) throw new Error(`For input string: "${s}"`);
        return n;
      };
    case 'DOUBLE':
      return (s) => {
        const n = parseJavaDouble(s);
        if (n === undefined) throw new Error(`For input string: "${s}"`);
        if (strict && doubleLosesInformation(s, n)) throw new Error(`${numberDoesNotFit(s, 'DOUBLE').message}, column: ${column}`);
        return n;
      };
    case 'DECIMAL': {
      const { precision, scale } = t;
      return (s) => {
        const d = readDecimalText(s, precision, scale);
        if (d === undefined) throw new Error(`Character array is missing "exponent" mark 'e' or 'E'.`);
        return d;
      };
    }
    case 'STRING':
      return (s) => s;
    case 'BYTES':
      return (s) => {
        const b = decodeBase64(s);
        if (b === undefined) throw new Error(`Value is not a valid Base64 encoded string: ${s}`);
        return b;
      };
    default:
      throw new Error(`The 'DELIMITED' format does not support type '${t.kind}'`);
  }
}

function formatterFor(t: SqlType): FieldFormatter {
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
      return (v) => javaDoubleToString(v as number);
    case 'DECIMAL': {
      const scale = t.scale;
      return (v) => (v instanceof Decimal ? v : Decimal.parse(String(v))).setScale(scale).toString();
    }
    case 'STRING':
      return (v) => v as string;
    case 'BYTES':
      return (v) => (v as Buffer).toString('base64');
    default:
      throw new Error(`The 'DELIMITED' format does not support type '${t.kind}'`);
  }
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Appends `value` as commons-csv's minimal quoting prints it: quoted when it is
 * empty and first, starts with a char <= '#' (or, first in the record, any
 * non-alphanumeric char), holds the delimiter, a quote, CR or LF, or ends with a
 * char <= ' '.
 */
function quoteField(value: string, first: boolean, delim: number): string {
  const len = value.length;
  let quote = false;
  if (len === 0) {
    quote = first;
  } else {
    const c0 = value.charCodeAt(0);
    if ((first && !isAlnum(c0)) || c0 <= 35) {
      quote = true;
    } else {
      for (let i = 0; i < len; i++) {
        const c = value.charCodeAt(i);
        if (c === 10 || c === 13 || c === 34 || c === delim) {
          quote = true;
          break;
        }
      }
      if (!quote && value.charCodeAt(len - 1) <= 32) quote = true;
    }
  }
  if (!quote) return value;
  return `"${value.indexOf('"') >= 0 ? value.replaceAll('"', '""') : value}"`;
}

/**
 * Splits the first CSV record of `text` as commons-csv's lexer does (quotes,
 * doubled quotes inside quotes, CR/LF ending the record). Returns undefined when
 * there is no record; throws on text after a closing quote.
 */
export function parseCsvRecord(text: string, delim: number): string[] | undefined {
  const n = text.length;
  let i = 0;
  // commons-csv skips empty lines before the first record
  while (i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
  if (i >= n) return undefined;
  const out: string[] = [];
  for (;;) {
    if (i < n && text.charCodeAt(i) === 34) {
      // encapsulated token
      let s = '';
      let seg = i + 1;
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new Error('EOF reached before encapsulated token finished');
        if (text.charCodeAt(j) === 34) {
          if (text.charCodeAt(j + 1) === 34) {
            s += text.slice(seg, j + 1);
            j += 2;
            seg = j;
            continue;
          }
          s += text.slice(seg, j);
          j++;
          break;
        }
        j++;
      }
      // only whitespace may follow up to the delimiter / end of record
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delim || c === 10 || c === 13) break;
        if (c !== 32 && c !== 9 && c !== 12) {
          throw new Error('invalid char between encapsulated token and delimiter');
        }
        j++;
      }
      out.push(s);
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delim || c === 10 || c === 13) break;
        j++;
      }
      out.push(text.slice(i, j));
      i = j;
    }
    if (i < n && text.charCodeAt(i) === delim) {
      i++;
      continue;
    }
    return out;
  }
}

class DelimitedSerde implements Serde {
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly parsers: readonly FieldParser[];
  private readonly formatters: readonly FieldFormatter[];
  private readonly target: string;

  constructor(columns: readonly SerdeColumn[], options: SerdeOptions) {
    for (const c of columns) validateDelimitedType(c.type);
    this.delim = parseDelimiter(options.delimiter, options.isKey ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
    this.delimCode = this.delim.charCodeAt(0);
    this.parsers = columns.map((c) => parserFor(c.type, options.strictNumbers === true, c.name));
    this.formatters = columns.map((c) => formatterFor(c.type));
    this.target = options.isKey ? 'key' : 'value';
  }

  serialize(values: readonly unknown[] | null): Buffer | null {
    if (values === null) return null;
    const f = this.formatters;
    let s = '';
    for (let i = 0; i < f.length; i++) {
      if (i > 0) s += this.delim;
      const v = values[i];
      if (v === null || v === undefined) continue;
      s += quoteField(f[i]!(v), i === 0, this.delimCode);
    }
    return Buffer.from(s, 'utf8');
  }

  deserialize(bytes: Buffer | null): unknown[] | null {
    if (bytes === null) return null;
    const p = this.parsers;
    let fields: string[] | undefined;
    try {
      fields = parseCsvRecord(bytes.toString('utf8'), this.delimCode);
    } catch (e) {
      throw new SerdeError(`Error deserializing delimited ${this.target}: ${(e as Error).message}`);
    }
    if (fields === undefined || fields.length === 0) {
      throw new SerdeError(`Error deserializing delimited ${this.target}: No fields in record`);
    }
    if (fields.length !== p.length) {
      throw new SerdeError(`Error deserializing delimited ${this.target}: Unexpected field count, csvFields:${fields.length} schemaFields:${p.length}`);
    }
    const out = new Array<unknown>(p.length);
    for (let i = 0; i < p.length; i++) {
      const s = fields[i]!;
      if (s.length === 0) {
        out[i] = null;
        continue;
      }
      try {
        out[i] = p[i]!(s);
      } catch (e) {
        throw new SerdeError(`Error deserializing delimited ${this.target}: ${(e as Error).message}`);
      }
    }
    return out;
  }
}

/** A DELIMITED serde for primitive columns; `options.delimiter` as in the WITH clause. */
export function createDelimitedSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  if (options.wrapSingleValue === true) {
    throw new Error("Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
  }
  return new DelimitedSerde(columns, options);
}

/** DELIMITED: primitive columns as one CSV record; test form is the raw text. */
export const DELIMITED_FORMAT: Format = {
  name: 'DELIMITED',
  usesSchemaRegistry: false,
  configs: new Set(['delimiter']),
  nullableRepresentation: false,
  holdsNestedAggregateState: false,
  holdsColumns: true,
  create: (columns, options) => (columns.length === 0 ? createVoidSerde() : createDelimitedSerde(columns, options)),
  schemaTranslator: undefined,
  testForm: {
    toBytes: (json) => Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8'),
    fromBytes: (bytes) => bytes.toString('utf8'),
  },
};
