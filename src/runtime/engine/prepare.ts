/**
 * Statement preparation, the one way SQL text becomes statements: split into
 * statements, `${name}` variables substituted, each parsed once. The engine, the
 * `/ksql` and `/query` routes and the test runner all prepare through here; the
 * query routes through a {@link StatementCache}, which shares one parse among
 * queries that differ only in their literals.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Position } from '../../common/position.js';
import type { Literal, Statement } from '../../parser/ast/index.js';
import { parseStatement, splitStatements, substituteVariables, type StatementSlice } from '../../parser/index.js';

/** One statement of a request or script, ready to execute. */
export interface PreparedStatement {
  /** The statement's text after variable substitution, trimmed, without its `;`. */
  readonly text: string;
  readonly stmt: Statement;
}

/** How {@link prepareEach} parses. */
export interface PrepareOptions {
  /**
   * Where parse positions count from: `script` (the default), line and column in
   * the whole text; `statement`, in each statement's own text (the server shows
   * errors against the statement).
   */
  readonly positions?: 'script' | 'statement';
  /** Turns a statement's parse failure into the error to throw, given its substituted text. */
  readonly onParseError?: (error: unknown, text: string) => unknown;
  /** Where queries that differ only in their literals share one parse (see {@link StatementCache}). */
  readonly cache?: StatementCache;
}

/**
 * Prepares the statements of `slices` one at a time, as they are iterated: a
 * caller that executes each before taking the next sees errors in the order a
 * statement-by-statement run gives them. DEFINE and UNDEFINE change the
 * variables substituted into the statements after them (in a copy: `variables`
 * itself is not changed).
 */
export function* prepareEach(
  slices: readonly StatementSlice[],
  variables: ReadonlyMap<string, string>,
  opts: PrepareOptions = {},
): Generator<PreparedStatement> {
  const vars = new Map(variables);
  for (const slice of slices) {
    const text = vars.size > 0 ? substituteVariables(slice.text, vars) : slice.text;
    let stmt: Statement;
    try {
      const base = opts.positions === 'statement' ? undefined : slice.pos;
      stmt = opts.cache ? opts.cache.parse(text, base) : parseStatement(text, base);
    } catch (e) {
      throw opts.onParseError ? opts.onParseError(e, text) : e;
    }
    if (stmt.kind === 'Define') vars.set(stmt.name, stmt.value);
    if (stmt.kind === 'Undefine') vars.delete(stmt.name);
    yield { text, stmt };
  }
}

/** Every statement of `sql`, prepared (see {@link prepareEach}); throws at the first that does not parse. */
export function prepare(sql: string, variables: ReadonlyMap<string, string>, opts: PrepareOptions = {}): PreparedStatement[] {
  return [...prepareEach(splitStatements(sql), variables, opts)];
}

/*
 * The statement cache: queries that differ only in their literals share one
 * parse. A query's text is scanned once (cheap, no parser) and its string and
 * whole-number literals are masked: the masked text keys an LRU map of parsed trees. On a hit the cached
 * tree is copied with the request's literal values and positions (a literal of
 * another length moves what follows it), which is what parsing the request's
 * text gives. Pull queries by key (`WHERE k = '…'`) parse once per shape.
 *
 * Only successes are cached: a text whose parse fails is parsed again every
 * time, so its error (line:col, caret) is exactly the parser's. Only SELECTs are
 * cached, and only when every masked literal is a literal of the tree at that
 * place; the first hit with other literal values is checked against a full
 * parse, and a shape whose copy differs is never served from the cache.
 * Parsing depends on the text alone, so no catalog change invalidates an entry.
 */

/** Entries a cache holds by default (distinct query shapes). */
export const STATEMENT_CACHE_SIZE = 2048;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A masked literal of a text: where it is, and the value and type it parses to. */
interface Slot {
  /** Offset of its first character in the text. */
  readonly start: number;
  readonly end: number;
  readonly type: 'STRING' | 'INTEGER' | 'BIGINT';
  readonly value: string | number;
  /** BIGINT: canonical digits. */
  readonly digits?: string;
}

/** A text scanned: its masked form (the cache key) and its literals in order. */
interface Masked {
  readonly key: string;
  readonly slots: readonly Slot[];
}

/** A cached parse: the tree of the text it was parsed from, and that text's literals. */
interface Entry {
  readonly stmt: Statement;
  readonly text: string;
  readonly slots: readonly Slot[];
  /** Set once a copy for other literal values matched a full parse; false: never copy this shape. */
  verified: boolean | undefined;
}

const IDENT_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_@.]/;

/**
 * Scans `text` the way the lexer splits it into tokens, as far as literals go:
 * strings and quoted identifiers, comments, words. Undefined when the text is
 * not worth caching or might scan differently from the lexer (a NUL character,
 * an unterminated quote or comment).
 */
function mask(text: string): Masked | undefined {
  if (text.includes('\0')) return undefined;
  const slots: Slot[] = [];
  let key = '';
  let from = 0; // text copied to the key up to here
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === "'") {
      let j = i + 1;
      let value = '';
      let segment = j;
      for (;;) {
        const q = text.indexOf("'", j);
        if (q < 0) return undefined;
        if (text[q + 1] === "'") {
          value += text.slice(segment, q + 1);
          j = q + 2;
          segment = j;
          continue;
        }
        value += text.slice(segment, q);
        j = q + 1;
        break;
      }
      // A string spanning lines stays in the key as written: masked literals never move lines.
      if (!text.slice(i, j).includes('\n')) {
        key += `${text.slice(from, i)}\0s`;
        from = j;
        slots.push({ start: i, end: j, type: 'STRING', value });
      }
      i = j;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf(c, j);
        if (q < 0) return undefined;
        if (text[q + 1] === c) {
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      i = j;
    } else if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 2;
    } else if (IDENT_START.test(c) || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < n && WORD.test(text[j]!)) j++;
      const word = text.slice(i, j);
      // A number directly after '-' parses as one negative literal, after '.' as a decimal: left as written.
      if (c >= '0' && c <= '9' && /^[0-9]+$/.test(word) && text[i - 1] !== '-' && text[i - 1] !== '.') {
        const v = BigInt(word);
        if (v <= INT64_MAX && v >= INT64_MIN) {
          const small = v >= BigInt(INT32_MIN) && v <= BigInt(INT32_MAX);
          key += `${text.slice(from, i)}\0${small ? 'i' : 'b'}`;
          from = j;
          slots.push(
            small ? { start: i, end: j, type: 'INTEGER', value: Number(v) } : { start: i, end: j, type: 'BIGINT', value: Number(v), digits: v.toString() },
          );
        }
      }
      i = j;
    } else i++;
  }
  if (slots.length === 0) return undefined;
  return { key: key + text.slice(from), slots };
}

/** Every Literal node of a tree (plain objects and arrays). */
function literalsOf(node: unknown, out: Literal[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) literalsOf(x, out);
    return;
  }
  const o = node as Record<string, unknown>;
  if (o['kind'] === 'Literal') {
    out.push(o as unknown as Literal);
    return;
  }
  for (const k in o) literalsOf(o[k], out);
}

/** Whether every slot of `slots` is a literal of `stmt`, at its place, of its type and value. */
function slotsAreLiterals(stmt: Statement, slots: readonly Slot[], baseOffset: number): boolean {
  const literals: Literal[] = [];
  literalsOf(stmt, literals);
  const at = new Map<number, Literal>();
  for (const l of literals) at.set(l.pos.offset - baseOffset, l);
  return slots.every((s) => {
    const l = at.get(s.start);
    return l !== undefined && l.literalType === s.type && l.value === s.value && l.digits === s.digits;
  });
}

/**
 * Copies `entry`'s tree for the text whose literals are `slots`: literal values
 * replaced, positions moved by the change in length of the literals before them
 * on their line, the statement's text sliced from `text`.
 */
function rebind(entry: Entry, text: string, slots: readonly Slot[], base: Position | undefined): Statement {
  const baseOffset = base?.offset ?? 0;
  const old = entry.slots;
  const lineStarts = lineStartsOf(entry.text);
  // Per literal of the cached text: where it ends, its line, and how much longer the new one is.
  const ends = old.map((s) => s.end);
  const lines = old.map((s) => lineOf(lineStarts, s.start));
  const deltas = old.map((s, i) => slots[i]!.end - slots[i]!.start - (s.end - s.start));
  /** Change in offset at a local offset of the cached text: the literals ending at or before it. */
  const shiftAt = (local: number): number => {
    let d = 0;
    for (let i = 0; i < ends.length && ends[i]! <= local; i++) d += deltas[i]!;
    return d;
  };
  const moved = (p: Position): Position => {
    const local = p.offset - baseOffset;
    if (local < ends[0]!) return p;
    const line = lineOf(lineStarts, local);
    let d = 0;
    let column = 0;
    for (let i = 0; i < ends.length && ends[i]! <= local; i++) {
      d += deltas[i]!;
      if (lines[i] === line) column += deltas[i]!; // literals span no line break
    }
    return d === 0 ? p : { line: p.line, column: p.column + column, offset: p.offset + d };
  };
  const bySlot = new Map<number, Slot>();
  for (let i = 0; i < old.length; i++) bySlot.set(old[i]!.start, slots[i]!);
  const copy = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(copy);
    const o = node as Record<string, unknown>;
    if (o['kind'] === 'Literal') {
      const l = o as unknown as Literal;
      const s = bySlot.get(l.pos.offset - baseOffset);
      if (s !== undefined) {
        const pos = moved(l.pos);
        return s.digits !== undefined
          ? { kind: 'Literal', literalType: s.type, value: s.value, digits: s.digits, pos }
          : { kind: 'Literal', literalType: s.type, value: s.value, pos };
      }
    }
    const out: Record<string, unknown> = {};
    for (const k in o) out[k] = k === 'pos' ? moved(o[k] as Position) : copy(o[k]);
    return out;
  };
  const stmt = copy(entry.stmt) as { text: string; pos: Position };
  const oldStart = entry.stmt.pos.offset - baseOffset;
  const oldEnd = oldStart + entry.stmt.text.length;
  stmt.text = text.slice(oldStart + shiftAt(oldStart), oldEnd + shiftAt(oldEnd));
  return stmt as unknown as Statement;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return line;
}

/**
 * A bounded map from a query's masked text (and where it starts in its script)
 * to its parse. One per server or engine; see the module comment for what is
 * cached and why the answers are the parser's.
 */
export class StatementCache {
  private readonly entries = new Map<string, Entry>();
  /** Parses served from the cache, and parses made (for tests and metrics). */
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = STATEMENT_CACHE_SIZE) {}

  /** Distinct shapes held now. */
  get size(): number {
    return this.entries.size;
  }

  /** What {@link parseStatement} gives for `text` (and `base`), from the cache when it can. */
  parse(text: string, base?: Position): Statement {
    const masked = mask(text);
    if (masked === undefined) return this.parsed(text, base);
    const key = base === undefined ? masked.key : `${base.line}:${base.column}:${base.offset}:${masked.key}`;
    const entry = this.entries.get(key);
    if (entry === undefined) {
      const stmt = this.parsed(text, base);
      if (stmt.kind === 'QueryStatement' && slotsAreLiterals(stmt, masked.slots, base?.offset ?? 0)) {
        if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
        this.entries.set(key, { stmt, text, slots: masked.slots, verified: undefined });
      }
      return stmt;
    }
    // Most recently used last: the first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (text === entry.text) {
      this.hits++;
      return entry.stmt;
    }
    if (entry.verified === false) return this.parsed(text, base);
    const copy = rebind(entry, text, masked.slots, base);
    if (entry.verified === undefined) {
      const stmt = this.parsed(text, base);
      entry.verified = isDeepStrictEqual(copy, stmt);
      return stmt;
    }
    this.hits++;
    return copy;
  }

  private parsed(text: string, base: Position | undefined): Statement {
    this.misses++;
    return parseStatement(text, base);
  }
}
