/**
 * The fast path of reading a JSON row: one pass over the record's bytes that
 * checks the document is valid JSON and picks out the values of the columns,
 * creating strings only for the columns the query reads, without building the
 * whole text, the parsed object or the strings of other properties.
 *
 * It handles the common shape (an object whose keys are plain ASCII, values of
 * flat columns that need no coercion beyond what {@link structReader} does
 * inline) and gives up (`undefined`) on anything else: the serde then reads the
 * record the ordinary way (text, JSON.parse, coercions), which also produces
 * every error message. So a record the scanner accepts is read exactly as the
 * ordinary path would read it, and one it rejects costs one partial scan more.
 */
import type { SqlType } from '../common/types.js';
import { jsonReader, type JsonReader } from './json-coerce.js';
import type { SerdeColumn } from './serde-types.js';

/** Column kinds the scan reads inline (others go through the column's reader). */
const K_OTHER = 0;
const K_STRING = 1;
const K_INTEGER = 2;
const K_LONG = 3;
const K_DOUBLE = 4;
const K_BOOLEAN = 5;
/** ARRAY / MAP / STRUCT: a nested value in this column sends the record to the ordinary path. */
const K_NESTED = 6;

function kindOf(t: SqlType): number {
  switch (t.kind) {
    case 'STRING':
      return K_STRING;
    case 'INTEGER':
    case 'DATE':
      return K_INTEGER;
    case 'BIGINT':
    case 'TIMESTAMP':
      return K_LONG;
    case 'DOUBLE':
      return K_DOUBLE;
    case 'BOOLEAN':
      return K_BOOLEAN;
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return K_NESTED;
    default:
      return K_OTHER;
  }
}

/** A string value of a STRING column the query does not read: valid, never built. */
const UNREAD = Symbol('unread');
/** 10^0 … 10^15, each exact as a double. */
const POW10: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** Nesting deeper than this goes to the ordinary path. */
const MAX_DEPTH = 64;

/** Whether `c` is JSON whitespace (space, tab, line feed, carriage return). */
function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Reads flat JSON objects into the values of `columns` (see the module comment).
 * One instance per serde; {@link scan} keeps per-record scratch state in it and
 * is not reentrant (records are read synchronously, one at a time).
 */
export class JsonRowScanner {
  private readonly n: number;
  /** UTF-8 bytes of each column name. */
  private readonly names: readonly Uint8Array[];
  /** Column indexes by name length in bytes. */
  private readonly byLength: readonly (readonly number[] | undefined)[];
  private readonly kinds: Uint8Array;
  private readonly read: Uint8Array;
  /** Per column: 1 when it is not read and any JSON number is a valid value for it (so none is built). */
  private readonly anyNumber: Uint8Array;
  private readonly readers: readonly JsonReader[];
  /**
   * Per column, in this record: 0 no key for it yet, 1 a key equal to its name,
   * 2 one key equal to it only case-insensitively.
   */
  private readonly seen: Uint8Array;
  /** Set by {@link skipString}: whether the string had escapes / bytes outside ASCII. */
  private escaped = false;
  private wide = false;

  /**
   * @param readColumns per column, whether the query reads it (default: all). A
   *   column it does not read is still checked as the ordinary path would check
   *   it (so a record with a bad value anywhere is still an error), but its
   *   string value is not built: it is null in the result.
   */
  constructor(columns: readonly SerdeColumn[], strict: boolean, readColumns?: readonly boolean[]) {
    this.n = columns.length;
    const enc = new TextEncoder();
    this.names = columns.map((c) => enc.encode(c.name));
    const byLength: number[][] = [];
    for (let i = 0; i < this.names.length; i++) (byLength[this.names[i]!.length] ??= []).push(i);
    this.byLength = byLength;
    this.kinds = Uint8Array.from(columns, (c) => kindOf(c.type));
    this.read = Uint8Array.from(columns, (_, i) => (readColumns === undefined || readColumns[i] !== false ? 1 : 0));
    this.anyNumber = Uint8Array.from(columns, (_, i) => {
      const k = this.kinds[i]!;
      return this.read[i] === 0 && (k === K_STRING || k === K_DOUBLE || (!strict && (k === K_INTEGER || k === K_LONG))) ? 1 : 0;
    });
    this.readers = columns.map((c) => jsonReader(c.type, strict));
    this.seen = new Uint8Array(columns.length);
  }

  /**
   * The column values of the JSON object in `b` from `start` to its end, or
   * undefined when this record needs the ordinary path (not an object, keys with
   * escapes or beyond ASCII, a nested value in a column, a number that JSON.parse
   * might round, invalid JSON, a value whose coercion fails).
   */
  scan(b: Buffer, start: number): unknown[] | undefined {
    const vals = new Array<unknown>(this.n);
    return this.scanInto(b, start, vals, 0) ? vals : undefined;
  }

  /**
   * {@link scan} writing the values into `out` from index `at`; false (with
   * `out` partly written) when the record needs the ordinary path.
   */
  scanInto(b: Buffer, start: number, out: unknown[], at: number): boolean {
    const end = b.length;
    const n = this.n;
    let i = start;
    while (i < end && isWs(b[i]!)) i++;
    if (i >= end || b[i] !== 0x7b /* { */) return false;
    i++;
    for (let c = 0; c < n; c++) out[at + c] = null;
    this.seen.fill(0);
    while (i < end && isWs(b[i]!)) i++;
    if (b[i] === 0x7d /* } */) i++;
    else {
      for (;;) {
        // key
        if (i >= end || b[i] !== 0x22) return false;
        const ks = i + 1;
        let k = ks;
        for (;;) {
          if (k >= end) return false;
          const c = b[k]!;
          if (c === 0x22) break;
          if (c === 0x5c || c < 0x20 || c >= 0x80) return false;
          k++;
        }
        const col = this.column(b, ks, k);
        if (col === -2) return false;
        i = k + 1;
        while (i < end && isWs(b[i]!)) i++;
        if (i >= end || b[i] !== 0x3a /* : */) return false;
        i++;
        while (i < end && isWs(b[i]!)) i++;
        if (i >= end) return false;
        // value
        const c = b[i]!;
        if (c === 0x22 /* " */) {
          const e = this.skipString(b, i + 1, end);
          if (e < 0) return false;
          if (col >= 0) {
            if (this.read[col] === 0 && this.kinds[col] === K_STRING) out[at + col] = UNREAD;
            else out[at + col] = this.escaped ? (JSON.parse(b.toString('utf8', i, e + 1)) as string) : this.text(b, i + 1, e);
          }
          i = e + 1;
        } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
          const skip = col < 0 || this.anyNumber[col] === 1;
          const e = this.number(b, i, end, skip ? undefined : out, at + col);
          if (e < 0) return false;
          if (col >= 0 && skip) out[at + col] = UNREAD;
          i = e;
        } else if (c === 0x74 /* t */) {
          if (!(b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65)) return false;
          if (col >= 0) out[at + col] = true;
          i += 4;
        } else if (c === 0x66 /* f */) {
          if (!(b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65)) return false;
          if (col >= 0) out[at + col] = false;
          i += 5;
        } else if (c === 0x6e /* n */) {
          if (!(b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c)) return false;
          if (col >= 0) out[at + col] = null;
          i += 4;
        } else if (c === 0x7b || c === 0x5b /* { [ */) {
          if (col >= 0) return false;
          i = this.skipNested(b, i, end, 0);
          if (i < 0) return false;
        } else return false;
        while (i < end && isWs(b[i]!)) i++;
        if (i >= end) return false;
        if (b[i] === 0x2c /* , */) {
          i++;
          while (i < end && isWs(b[i]!)) i++;
          continue;
        }
        if (b[i] === 0x7d) {
          i++;
          break;
        }
        return false;
      }
    }
    while (i < end && isWs(b[i]!)) i++;
    if (i !== end) return false;
    return this.coerce(out, at);
  }

  /** Applies each column's coercion to the value the record gave it (the last key for it). */
  private coerce(vals: unknown[], at: number): boolean {
    const kinds = this.kinds;
    for (let c = 0; c < this.n; c++) {
      const x = vals[at + c];
      if (x === null) continue;
      if (x === UNREAD) {
        vals[at + c] = null;
        continue;
      }
      switch (kinds[c]) {
        case K_STRING:
          if (typeof x === 'string') continue;
          break;
        case K_INTEGER:
          if (typeof x === 'number' && (x | 0) === x) continue;
          break;
        case K_LONG:
          if (typeof x === 'number' && Number.isSafeInteger(x)) continue;
          break;
        case K_DOUBLE:
          if (typeof x === 'number') continue;
          break;
        case K_BOOLEAN:
          if (typeof x === 'boolean') continue;
          break;
      }
      try {
        vals[at + c] = this.readers[c]!(x);
      } catch {
        return false; // the ordinary path reports it
      }
    }
    return true;
  }

  /**
   * The column a key (ASCII bytes `[s, e)`) fills, or -1: a key equal to a
   * column's name always; a key equal to it only case-insensitively when no
   * equal key came before (the ordinary path takes the exact key, else the
   * value of the last case-insensitive one in the object's key order, which
   * duplicates make differ from the text's order: a second such key gives -2,
   * the ordinary path).
   */
  private column(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    const cands = len < this.byLength.length ? this.byLength[len] : undefined;
    if (cands === undefined) return -1;
    for (let j = 0; j < cands.length; j++) {
      const col = cands[j]!;
      const name = this.names[col]!;
      let exact = true;
      let k = 0;
      for (; k < len; k++) {
        const c = b[s + k]!;
        const x = name[k]!;
        if (c === x) continue;
        exact = false;
        // ASCII keys: upper case is a-z → A-Z
        if (!(c >= 0x61 && c <= 0x7a && c - 0x20 === x)) break;
      }
      if (k < len) continue;
      const seen = this.seen[col];
      if (exact) {
        this.seen[col] = 1;
        return col;
      }
      if (seen === 1) return -1;
      if (seen === 2) return -2;
      this.seen[col] = 2;
      return col;
    }
    return -1;
  }

  /**
   * The index of the closing quote of the string whose content starts at `i`,
   * or -1 when it is not valid JSON; sets {@link escaped} and {@link wide}.
   */
  private skipString(b: Uint8Array, i: number, end: number): number {
    let escaped = false;
    let wide = false;
    for (;;) {
      if (i >= end) return -1;
      const c = b[i]!;
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        const d = b[i + 1];
        if (d === 0x75 /* u */) {
          if (!(isHex(b[i + 2]!) && isHex(b[i + 3]!) && isHex(b[i + 4]!) && isHex(b[i + 5]!))) return -1;
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (!(d === 0x22 || d === 0x5c || d === 0x2f || d === 0x62 || d === 0x66 || d === 0x6e || d === 0x72 || d === 0x74)) return -1;
        i += 2;
        continue;
      }
      if (c < 0x20) return -1;
      if (c >= 0x80) wide = true;
      i++;
    }
    this.escaped = escaped;
    this.wide = wide;
    return i;
  }

  /** The text of string content `[s, e)` without escapes. */
  private text(b: Buffer, s: number, e: number): string {
    return b.toString(this.wide ? 'utf8' : 'latin1', s, e);
  }

  /**
   * Checks the number token at `i`; stores its value in `vals[index]` when
   * `vals` is given. Returns the index after it, or -1 (invalid, or a number JSON.parse
   * might round: 16 or more digits and points, or an exponent, which the
   * ordinary path reads losslessly).
   */
  private number(b: Buffer, i: number, end: number, vals: unknown[] | undefined, index: number): number {
    const neg = b[i] === 0x2d;
    if (neg) i++;
    const ds = i;
    let acc = 0;
    while (i < end) {
      const d = b[i]!;
      if (d < 0x30 || d > 0x39) break;
      acc = acc * 10 + (d - 0x30);
      i++;
    }
    const digits = i - ds;
    if (digits === 0 || (digits > 1 && b[ds] === 0x30)) return -1;
    let fractionDigits = 0;
    if (i < end && b[i] === 0x2e /* . */) {
      i++;
      const fs = i;
      while (i < end) {
        const d = b[i]!;
        if (d < 0x30 || d > 0x39) break;
        acc = acc * 10 + (d - 0x30);
        i++;
      }
      fractionDigits = i - fs;
      if (fractionDigits === 0) return -1;
    }
    if (i - ds >= 16) return -1;
    if (i < end && (b[i] === 0x65 || b[i] === 0x45)) return -1;
    if (vals !== undefined) {
      // Fewer than 16 digits: `acc` is exact, and so is 10^fractionDigits, so one
      // division rounds the decimal correctly, as JSON.parse does.
      const v = fractionDigits === 0 ? acc : acc / POW10[fractionDigits]!;
      vals[index] = neg ? -v : v;
    }
    return i;
  }

  /** Checks the array or object at `i` without building it; returns the index after it, or -1. */
  private skipNested(b: Buffer, i: number, end: number, depth: number): number {
    if (depth >= MAX_DEPTH) return -1;
    const close = b[i] === 0x7b ? 0x7d : 0x5d;
    const object = close === 0x7d;
    i++;
    while (i < end && isWs(b[i]!)) i++;
    if (i < end && b[i] === close) return i + 1;
    for (;;) {
      if (object) {
        if (i >= end || b[i] !== 0x22) return -1;
        i = this.skipString(b, i + 1, end);
        if (i < 0) return -1;
        i++;
        while (i < end && isWs(b[i]!)) i++;
        if (i >= end || b[i] !== 0x3a) return -1;
        i++;
        while (i < end && isWs(b[i]!)) i++;
      }
      if (i >= end) return -1;
      const c = b[i]!;
      if (c === 0x22) {
        i = this.skipString(b, i + 1, end);
        if (i < 0) return -1;
        i++;
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        i = this.number(b, i, end, undefined, -1);
        if (i < 0) return -1;
      } else if (c === 0x74) {
        if (!(b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65)) return -1;
        i += 4;
      } else if (c === 0x66) {
        if (!(b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65)) return -1;
        i += 5;
      } else if (c === 0x6e) {
        if (!(b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c)) return -1;
        i += 4;
      } else if (c === 0x7b || c === 0x5b) {
        i = this.skipNested(b, i, end, depth + 1);
        if (i < 0) return -1;
      } else return -1;
      while (i < end && isWs(b[i]!)) i++;
      if (i >= end) return -1;
      if (b[i] === 0x2c) {
        i++;
        while (i < end && isWs(b[i]!)) i++;
        continue;
      }
      if (b[i] === close) return i + 1;
      return -1;
    }
  }
}
