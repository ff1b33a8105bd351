/**
 * Protobuf binary encoding and decoding of rows against a parsed message
 * ({@link PbMessage}), compiled once per (message, columns) pair. Fields match
 * columns by exact name, else case-insensitively. Proto3 semantics: a field
 * without presence that is absent reads as its type's default (0, "", false,
 * empty bytes, [] , empty map) and is not written when it holds the default;
 * fields with presence (messages, wrappers, `optional`, oneof members) read as
 * null when absent. Well-known messages map to SQL values: Decimal ↔ Decimal,
 * google.type.Date ↔ days, TimeOfDay ↔ ms of day, Timestamp ↔ epoch ms, wrappers
 * ↔ their primitive.
 */
import protobuf from 'protobufjs';
import { Decimal } from '../common/decimal.js';
import type { SqlType } from '../common/types.js';
import { bigIntToBytes, bytesToBigInt } from './avro-schema.js';
import { javaDoubleToString, javaLongToString } from '../common/java-text.js';
import { sqlTypeOfField, sqlTypeOfKind, type PbField, type PbKind, type PbMessage, type PbScalar } from './protobuf-schema.js';
import { SerdeError, type SerdeColumn } from './serde-types.js';

type Reader = protobuf.Reader;
type Writer = protobuf.Writer;
type Conv = ((v: unknown) => unknown) | null;

const DAY_MS = 86_400_000;

/** A message compiled against target columns (top level) or STRUCT fields (nested). */
export interface MessageCodec {
  /** Target names (column or struct field names), one slot each. */
  readonly names: readonly string[];
  /** Slot of each protobuf field id. */
  readonly slotById: ReadonlyMap<number, number>;
  /** Per slot: the protobuf field (undefined: no field, always null). */
  readonly fields: readonly (PbField | undefined)[];
  /** Per slot: codec of the nested message (message kinds only). */
  readonly subs: readonly (MessageCodec | undefined)[];
  /** Per slot: value → target type (per element for repeated/map), null = as is. */
  readonly convs: readonly Conv[];
  /** Per slot: value when absent (0 = fresh [] / Map, see `fresh`). */
  readonly defaults: readonly unknown[];
  /** Per slot: 1 = fresh array, 2 = fresh Map when absent. */
  readonly fresh: readonly number[];
  /** Encoding order: protobuf fields with their source slot (-1: no column). */
  readonly writeFields: readonly PbField[];
  readonly writeSlots: readonly number[];
  readonly writeSubs: readonly (MessageCodec | undefined)[];
}

function findField(msg: PbMessage, name: string): PbField | undefined {
  const up = name.toUpperCase();
  return msg.fields.find((f) => f.name === name) ?? msg.fields.find((f) => f.name.toUpperCase() === up);
}

function elementType(t: SqlType, f: PbField): SqlType {
  if (f.mapKey !== undefined) return t.kind === 'MAP' ? t.value : t;
  if (f.repeated) return t.kind === 'ARRAY' ? t.item : t;
  return t;
}

/** Compiles `msg` for rows of `targets` (names and SQL types). */
export function compileMessage(msg: PbMessage, targets: readonly SerdeColumn[]): MessageCodec {
  const names = targets.map((t) => t.name);
  const slotById = new Map<number, number>();
  const fields: (PbField | undefined)[] = [];
  const subs: (MessageCodec | undefined)[] = [];
  const convs: Conv[] = [];
  const defaults: unknown[] = [];
  const fresh: number[] = [];
  targets.forEach((t, slot) => {
    const f = findField(msg, t.name);
    fields.push(f);
    if (!f || slotById.has(f.id)) {
      subs.push(undefined);
      convs.push(null);
      defaults.push(null);
      fresh.push(0);
      return;
    }
    slotById.set(f.id, slot);
    const target = elementType(t.type, f);
    const sub = f.kind.k === 'message' ? compileMessage(f.kind.msg, target.kind === 'STRUCT' ? target.fields : []) : undefined;
    subs.push(sub);
    const conv = f.kind.k === 'message' ? null : convFor(sqlTypeOfKind(f.kind), target);
    convs.push(conv);
    if (f.mapKey !== undefined || f.repeated) {
      defaults.push(null);
      fresh.push(f.mapKey !== undefined ? 2 : 1);
    } else {
      const d = f.presence ? null : naturalDefault(f.kind);
      defaults.push(d === null || conv === null ? d : conv(d));
      fresh.push(0);
    }
  });
  const writeFields: PbField[] = [];
  const writeSlots: number[] = [];
  const writeSubs: (MessageCodec | undefined)[] = [];
  for (const f of msg.fields) {
    const slot = slotById.get(f.id);
    writeFields.push(f);
    writeSlots.push(slot ?? -1);
    writeSubs.push(slot === undefined ? undefined : subs[slot]);
  }
  return { names, slotById, fields, subs, convs, defaults, fresh, writeFields, writeSlots, writeSubs };
}

/** Columns with the message's own names and types (for the test form). */
export function naturalColumns(msg: PbMessage): SerdeColumn[] {
  return msg.fields.map((f) => ({ name: f.name, type: sqlTypeOfField(f) }));
}

function naturalDefault(kind: PbKind): unknown {
  switch (kind.k) {
    case 'scalar':
      if (kind.scalar === 'bool') return false;
      if (kind.scalar === 'string') return '';
      if (kind.scalar === 'bytes') return Buffer.alloc(0);
      return 0;
    case 'enum':
      return kind.byNumber.get(0) ?? null;
    default:
      return null;
  }
}

function mismatch(v: unknown, t: SqlType): SerdeError {
  return new SerdeError(`Failed to deserialize PROTOBUF: cannot convert ${typeof v} to ${t.kind}`);
}

/** Converter from a protobuf-natural SQL value to `target`, or null when none is needed. */
function convFor(natural: SqlType, target: SqlType): Conv {
  if (target.kind === 'DECIMAL') {
    const { scale } = target;
    return (v) => (v instanceof Decimal ? v : Decimal.parse(String(v))).setScale(scale);
  }
  if (natural.kind === target.kind) return null;
  switch (target.kind) {
    case 'DOUBLE':
      return (v) => (typeof v === 'number' ? v : v instanceof Decimal ? v.toNumber() : Number(v));
    case 'INTEGER':
      return (v) => {
        if (typeof v === 'number') return Math.trunc(v) | 0;
        throw mismatch(v, target);
      };
    case 'BIGINT':
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME':
      return (v) => {
        if (typeof v === 'number') return Math.trunc(v);
        throw mismatch(v, target);
      };
    case 'STRING': {
      const integral = natural.kind === 'INTEGER' || natural.kind === 'BIGINT';
      return (v) => (typeof v === 'number' ? (integral ? javaLongToString(v) : javaDoubleToString(v)) : String(v));
    }
    default:
      return (v) => {
        throw mismatch(v, target);
      };
  }
}

/** A 64-bit protobuf integer (protobufjs gives a Long when the `long` package is present) as a number. */
function toNum(v: number | protobuf.Long): number {
  if (typeof v === 'number') return v;
  const hi = v.unsigned ? v.high >>> 0 : v.high;
  return hi * 4294967296 + (v.low >>> 0);
}

/** Reads one scalar of wire form `s`. */
function readScalar(r: Reader, s: PbScalar): unknown {
  switch (s) {
    case 'double':
      return r.double();
    case 'float':
      return r.float();
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'sint32':
      return r.sint32();
    case 'fixed32':
      return r.fixed32();
    case 'sfixed32':
      return r.sfixed32();
    case 'int64':
      return toNum(r.int64());
    case 'uint64':
      return toNum(r.uint64());
    case 'sint64':
      return toNum(r.sint64());
    case 'fixed64':
      return toNum(r.fixed64());
    case 'sfixed64':
      return toNum(r.sfixed64());
    case 'bool':
      return r.bool();
    case 'string':
      return r.string();
    case 'bytes':
      return Buffer.from(r.bytes());
  }
}

function isPackable(kind: PbKind): boolean {
  return (kind.k === 'scalar' && kind.scalar !== 'string' && kind.scalar !== 'bytes') || kind.k === 'enum';
}

/** Reads a sub-message of small int fields into `out` by field id (1-based). */
function readSmallMessage(r: Reader, out: number[], kinds: readonly PbScalar[]): Buffer | null {
  const end = r.uint32() + r.pos;
  let bytes: Buffer | null = null;
  while (r.pos < end) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const s = kinds[id - 1];
    if (s === undefined) r.skipType(tag & 7);
    else if (s === 'bytes') bytes = Buffer.from(r.bytes());
    else out[id - 1] = readScalar(r, s) as number;
  }
  return bytes;
}

const DECIMAL_KINDS: readonly PbScalar[] = ['bytes', 'uint32', 'int32'];
const DATE_KINDS: readonly PbScalar[] = ['int32', 'int32', 'int32'];
const TIME_KINDS: readonly PbScalar[] = ['int32', 'int32', 'int32', 'int32'];
const TIMESTAMP_KINDS: readonly PbScalar[] = ['int64', 'int32'];

/** Reads one value of `kind` (wire type already known to match). */
function readValue(r: Reader, kind: PbKind, sub: MessageCodec | undefined): unknown {
  switch (kind.k) {
    case 'scalar':
      return readScalar(r, kind.scalar);
    case 'enum': {
      const n = r.int32();
      return kind.byNumber.get(n) ?? String(n);
    }
    case 'wrapper': {
      const end = r.uint32() + r.pos;
      let v = naturalDefault({ k: 'scalar', scalar: kind.scalar });
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag >>> 3 === 1) v = readScalar(r, kind.scalar);
        else r.skipType(tag & 7);
      }
      return v;
    }
    case 'decimal': {
      const parts = [0, 0, 0];
      const bytes = readSmallMessage(r, parts, DECIMAL_KINDS);
      return new Decimal(bytes ? bytesToBigInt(bytes) : 0n, parts[2]!);
    }
    case 'date': {
      const p = [0, 0, 0];
      readSmallMessage(r, p, DATE_KINDS);
      return Math.round(Date.UTC(p[0]!, p[1]! - 1, p[2]!) / DAY_MS);
    }
    case 'time': {
      const p = [0, 0, 0, 0];
      readSmallMessage(r, p, TIME_KINDS);
      return ((p[0]! * 60 + p[1]!) * 60 + p[2]!) * 1000 + Math.floor(p[3]! / 1e6);
    }
    case 'timestamp': {
      const p = [0, 0];
      readSmallMessage(r, p, TIMESTAMP_KINDS);
      return p[0]! * 1000 + Math.floor(p[1]! / 1e6);
    }
    case 'message': {
      const end = r.uint32() + r.pos;
      const row = decodeFields(r, end, sub!);
      const o: Record<string, unknown> = {};
      const names = sub!.names;
      for (let i = 0; i < names.length; i++) o[names[i]!] = row[i];
      return o;
    }
  }
}

/** Decodes the fields up to `end` into a row of the codec's slots. */
export function decodeFields(r: Reader, end: number, c: MessageCodec): unknown[] {
  const n = c.names.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    const slot = c.slotById.get(tag >>> 3);
    if (slot === undefined) {
      r.skipType(tag & 7);
      continue;
    }
    const f = c.fields[slot]!;
    const conv = c.convs[slot]!;
    const sub = c.subs[slot];
    if (f.mapKey !== undefined) {
      const entryEnd = r.uint32() + r.pos;
      let k: unknown = naturalDefault({ k: 'scalar', scalar: f.mapKey });
      let v: unknown = f.presence || f.kind.k === 'message' ? null : naturalDefault(f.kind);
      while (r.pos < entryEnd) {
        const t = r.uint32();
        const id = t >>> 3;
        if (id === 1) k = readScalar(r, f.mapKey);
        else if (id === 2) v = readValue(r, f.kind, sub);
        else r.skipType(t & 7);
      }
      let m = out[slot] as Map<unknown, unknown> | undefined;
      if (m === undefined) out[slot] = m = new Map();
      m.set(k, v === null || conv === null ? v : conv(v));
    } else if (f.repeated) {
      let a = out[slot] as unknown[] | undefined;
      if (a === undefined) out[slot] = a = [];
      if ((tag & 7) === 2 && isPackable(f.kind)) {
        const packedEnd = r.uint32() + r.pos;
        while (r.pos < packedEnd) {
          const v = readValue(r, f.kind, sub);
          a.push(conv === null ? v : conv(v));
        }
      } else {
        const v = readValue(r, f.kind, sub);
        a.push(v === null || conv === null ? v : conv(v));
      }
    } else {
      const v = readValue(r, f.kind, sub);
      out[slot] = v === null || conv === null ? v : conv(v);
    }
  }
  for (let i = 0; i < n; i++) {
    if (out[i] !== undefined) continue;
    const fr = c.fresh[i];
    out[i] = fr === 1 ? [] : fr === 2 ? new Map() : c.defaults[i];
  }
  return out;
}

/** Decodes a whole message body (no prefix) into a row. */
export function decodeMessage(bytes: Uint8Array, offset: number, c: MessageCodec): unknown[] {
  const r = protobuf.Reader.create(offset === 0 ? bytes : bytes.subarray(offset));
  return decodeFields(r, r.len, c);
}

function wireType(kind: PbKind): number {
  switch (kind.k) {
    case 'scalar':
      switch (kind.scalar) {
        case 'double':
        case 'fixed64':
        case 'sfixed64':
          return 1;
        case 'float':
        case 'fixed32':
        case 'sfixed32':
          return 5;
        case 'string':
        case 'bytes':
          return 2;
        default:
          return 0;
      }
    case 'enum':
      return 0;
    default:
      return 2;
  }
}

function isDefaultScalar(v: unknown): boolean {
  return v === 0 || v === false || v === '' || (Buffer.isBuffer(v) && v.length === 0);
}

function writeScalar(w: Writer, s: PbScalar, v: unknown): void {
  switch (s) {
    case 'double':
      w.double(typeof v === 'number' ? v : Number(v));
      return;
    case 'float':
      w.float(typeof v === 'number' ? v : Number(v));
      return;
    case 'int32':
      w.int32(Number(v) | 0);
      return;
    case 'uint32':
      w.uint32(Number(v) >>> 0);
      return;
    case 'sint32':
      w.sint32(Number(v) | 0);
      return;
    case 'fixed32':
      w.fixed32(Number(v) >>> 0);
      return;
    case 'sfixed32':
      w.sfixed32(Number(v) | 0);
      return;
    case 'int64':
      w.int64(Math.trunc(Number(v)));
      return;
    case 'uint64':
      w.uint64(Math.trunc(Number(v)));
      return;
    case 'sint64':
      w.sint64(Math.trunc(Number(v)));
      return;
    case 'fixed64':
      w.fixed64(Math.trunc(Number(v)));
      return;
    case 'sfixed64':
      w.sfixed64(Math.trunc(Number(v)));
      return;
    case 'bool':
      w.bool(v === true);
      return;
    case 'string':
      w.string(typeof v === 'string' ? v : v instanceof Decimal ? v.toString() : String(v));
      return;
    case 'bytes':
      w.bytes(Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));
      return;
  }
}

function writeSmallInts(w: Writer, values: readonly number[], kinds: readonly PbScalar[]): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x === 0) continue;
    const s = kinds[i]!;
    w.uint32(((i + 1) << 3) | wireType({ k: 'scalar', scalar: s }));
    writeScalar(w, s, x);
  }
}

/** Writes the payload of one value of `kind` (the tag is already written). */
function writeValue(w: Writer, kind: PbKind, v: unknown, sub: MessageCodec | undefined): void {
  switch (kind.k) {
    case 'scalar':
      writeScalar(w, kind.scalar, v);
      return;
    case 'enum':
      w.int32(typeof v === 'number' ? v : (kind.byName.get(String(v)) ?? 0));
      return;
    case 'wrapper':
      w.fork();
      if (!isDefaultScalar(v)) {
        w.uint32((1 << 3) | wireType({ k: 'scalar', scalar: kind.scalar }));
        writeScalar(w, kind.scalar, v);
      }
      w.ldelim();
      return;
    case 'decimal': {
      const d = v instanceof Decimal ? v : Decimal.parse(String(v));
      w.fork();
      w.uint32((1 << 3) | 2).bytes(bigIntToBytes(d.unscaled));
      writeSmallInts(w, [0, d.precision, d.scale], DECIMAL_KINDS);
      w.ldelim();
      return;
    }
    case 'date': {
      const dt = new Date(Number(v) * DAY_MS);
      w.fork();
      writeSmallInts(w, [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()], DATE_KINDS);
      w.ldelim();
      return;
    }
    case 'time': {
      const ms = Number(v);
      w.fork();
      writeSmallInts(w, [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60, (ms % 1000) * 1e6], TIME_KINDS);
      w.ldelim();
      return;
    }
    case 'timestamp': {
      const ms = Number(v);
      const seconds = Math.floor(ms / 1000);
      w.fork();
      writeSmallInts(w, [seconds, (ms - seconds * 1000) * 1e6], TIMESTAMP_KINDS);
      w.ldelim();
      return;
    }
    case 'message':
      w.fork();
      encodeFields(w, v as Record<string, unknown>, false, sub!);
      w.ldelim();
      return;
  }
}

/**
 * Writes the fields of a row (`isRow`: an array by slot) or of a STRUCT value
 * (an object keyed by the codec's names).
 */
export function encodeFields(w: Writer, src: readonly unknown[] | Record<string, unknown>, isRow: boolean, c: MessageCodec): void {
  const fs = c.writeFields;
  for (let i = 0; i < fs.length; i++) {
    const slot = c.writeSlots[i]!;
    if (slot < 0) continue;
    const v = isRow ? (src as readonly unknown[])[slot] : (src as Record<string, unknown>)[c.names[slot]!];
    if (v === null || v === undefined) continue;
    const f = fs[i]!;
    const sub = c.writeSubs[i];
    const wt = wireType(f.kind);
    if (f.mapKey !== undefined) {
      for (const [k, x] of v as Map<unknown, unknown>) {
        w.uint32((f.id << 3) | 2).fork();
        w.uint32((1 << 3) | wireType({ k: 'scalar', scalar: f.mapKey }));
        writeScalar(w, f.mapKey, k);
        if (x !== null && x !== undefined) {
          w.uint32((2 << 3) | wt);
          writeValue(w, f.kind, x, sub);
        }
        w.ldelim();
      }
    } else if (f.repeated) {
      const a = v as readonly unknown[];
      if (a.length === 0) continue;
      if (isPackable(f.kind)) {
        w.uint32((f.id << 3) | 2).fork();
        for (let j = 0; j < a.length; j++) writeValue(w, f.kind, a[j] ?? naturalDefault(f.kind) ?? 0, sub);
        w.ldelim();
      } else {
        for (let j = 0; j < a.length; j++) {
          w.uint32((f.id << 3) | wt);
          const x = a[j];
          writeValue(w, f.kind, x === null || x === undefined ? (f.kind.k === 'message' ? {} : naturalDefault(f.kind)) : x, sub);
        }
      }
    } else {
      if (!f.presence && (isDefaultScalar(v) || (f.kind.k === 'enum' && kindNumber(f.kind, v) === 0))) continue;
      w.uint32((f.id << 3) | wt);
      writeValue(w, f.kind, v, sub);
    }
  }
}

function kindNumber(kind: PbKind & { k: 'enum' }, v: unknown): number {
  return typeof v === 'number' ? v : (kind.byName.get(String(v)) ?? 0);
}

/** Encodes a row into a protobuf message body. */
export function encodeMessage(row: readonly unknown[], c: MessageCodec): Buffer {
  const w = protobuf.Writer.create();
  encodeFields(w, row, true, c);
  const u8 = w.finish();
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}
