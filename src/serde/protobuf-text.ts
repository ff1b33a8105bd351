/**
 * Protobuf binary as the text ksqlDB's PRINT shows for it: the message parsed
 * as Java's `DynamicMessage` parses it, printed with protobuf's
 * `TextFormat.printer().shortDebugString` (`ID: 1 NAME: "a" S { X: 2 }`):
 * fields in field-number order, proto3 fields without presence left out when
 * they hold their default, map entries sorted by key, strings and bytes with
 * C escapes (non-ASCII bytes as octal), floats and doubles as Java prints them,
 * unknown fields by number. The walk is generic over the protobufjs type.
 */
import protobuf from 'protobufjs';
import { javaDoubleToString, javaFloatToString } from '../common/java-text.js';

/** Thrown when the bytes are not a valid message. */
class ProtobufTextError extends Error {}

/** One field occurrence on the wire. */
type Wire = { readonly wt: 0; readonly v: bigint } | { readonly wt: 1 | 5; readonly b: Buffer } | { readonly wt: 2; readonly b: Buffer };

function varint(bytes: Buffer, at: { pos: number }): bigint {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    if (at.pos >= bytes.length) throw new ProtobufTextError('truncated varint');
    const b = bytes[at.pos++]!;
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return v & 0xffff_ffff_ffff_ffffn;
    shift += 7n;
    if (shift > 63n) throw new ProtobufTextError('malformed varint');
  }
}

/** The fields of one message body, by number, in wire order (groups are refused). */
function scan(bytes: Buffer): Map<number, Wire[]> {
  const out = new Map<number, Wire[]>();
  const at = { pos: 0 };
  while (at.pos < bytes.length) {
    const tag = varint(bytes, at);
    const num = Number(tag >> 3n);
    const wt = Number(tag & 7n);
    if (num === 0) throw new ProtobufTextError('invalid tag (zero)');
    let w: Wire;
    if (wt === 0) w = { wt: 0, v: varint(bytes, at) };
    else if (wt === 1 || wt === 5) {
      const n = wt === 1 ? 8 : 4;
      if (at.pos + n > bytes.length) throw new ProtobufTextError('truncated');
      w = { wt, b: bytes.subarray(at.pos, at.pos + n) };
      at.pos += n;
    } else if (wt === 2) {
      const len = varint(bytes, at);
      if (len > BigInt(bytes.length - at.pos)) throw new ProtobufTextError('truncated');
      w = { wt: 2, b: bytes.subarray(at.pos, at.pos + Number(len)) };
      at.pos += Number(len);
    } else throw new ProtobufTextError(`unsupported wire type ${wt}`);
    const list = out.get(num) ?? [];
    list.push(w);
    out.set(num, list);
  }
  return out;
}

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);
const FIXED64_TYPES = new Set(['fixed64', 'sfixed64', 'double']);
const FIXED32_TYPES = new Set(['fixed32', 'sfixed32', 'float']);

/** The wire type a non-packed value of `type` has (2 for strings, bytes, messages). */
function wireTypeOf(type: string, resolved: protobuf.ReflectionObject | null): number {
  if (resolved instanceof protobuf.Enum || VARINT_TYPES.has(type)) return 0;
  if (FIXED64_TYPES.has(type)) return 1;
  if (FIXED32_TYPES.has(type)) return 5;
  return 2;
}

/** protobuf's `TextFormat.escapeBytes`. */
function escapeBytes(b: Uint8Array): string {
  let out = '';
  for (const c of b) {
    switch (c) {
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0b:
        out += '\\v';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x27:
        out += "\\'";
        break;
      case 0x22:
        out += '\\"';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`;
    }
  }
  return out;
}

function signed(v: bigint, bits: 32 | 64): bigint {
  return BigInt.asIntN(bits, v);
}

/** A scalar or enum value (already split from packing) as its typed value: bigint, number, boolean, string or bytes. */
type Scalar = bigint | number | boolean | string | Buffer;

function scalarOf(type: string, w: Wire): Scalar {
  if (w.wt === 0) {
    if (type === 'bool') return w.v !== 0n;
    if (type === 'sint32' || type === 'sint64') {
      const z = (w.v >> 1n) ^ -(w.v & 1n);
      return signed(z, type === 'sint32' ? 32 : 64);
    }
    if (type === 'uint32') return BigInt.asUintN(32, w.v);
    if (type === 'uint64') return w.v;
    if (type === 'int64') return signed(w.v, 64);
    return signed(w.v, 32); // int32 and enums
  }
  if (w.wt === 5) {
    if (type === 'float') return w.b.readFloatLE(0);
    return type === 'sfixed32' ? BigInt(w.b.readInt32LE(0)) : BigInt(w.b.readUInt32LE(0));
  }
  if (w.wt === 1) {
    if (type === 'double') return w.b.readDoubleLE(0);
    return type === 'sfixed64' ? w.b.readBigInt64LE(0) : w.b.readBigUInt64LE(0);
  }
  if (type === 'string') return Buffer.from(w.b.toString('utf8'), 'utf8');
  return w.b;
}

/** The values of a packed run of `type`. */
function unpack(type: string, resolved: protobuf.ReflectionObject | null, b: Buffer): Wire[] {
  const wt = wireTypeOf(type, resolved);
  const out: Wire[] = [];
  if (wt === 0) {
    const at = { pos: 0 };
    while (at.pos < b.length) out.push({ wt: 0, v: varint(b, at) });
  } else {
    const n = wt === 1 ? 8 : 4;
    if (b.length % n !== 0) throw new ProtobufTextError('bad packed length');
    for (let i = 0; i < b.length; i += n) out.push({ wt: wt as 1 | 5, b: b.subarray(i, i + n) });
  }
  return out;
}

function isDefault(v: Scalar): boolean {
  if (typeof v === 'bigint') return v === 0n;
  if (typeof v === 'number') return v === 0 && !Object.is(v, -0);
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') return v === '';
  return v.length === 0;
}

function scalarText(type: string, resolved: protobuf.ReflectionObject | null, v: Scalar): string {
  if (resolved instanceof protobuf.Enum) {
    const n = Number(v);
    return resolved.valuesById[n] ?? String(n);
  }
  if (typeof v === 'number') return type === 'float' ? javaFloatToString(v) : javaDoubleToString(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `"${escapeBytes(Buffer.from(v, 'utf8'))}"`;
  return `"${escapeBytes(v)}"`;
}

function compareKeys(a: Scalar, b: Scalar): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return Buffer.compare(Buffer.from(a as Buffer), Buffer.from(b as Buffer));
}

class Printer {
  constructor(private readonly proto2: boolean) {}

  /** The fields of one message, space separated (the single-line form). */
  message(type: protobuf.Type, body: Buffer): string[] {
    const wire = scan(body);
    const parts: string[] = [];
    const known = new Set<number>();
    for (const f of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
      f.resolve();
      known.add(f.id);
      const occurrences = wire.get(f.id);
      if (!occurrences) continue;
      parts.push(...this.field(f, occurrences));
    }
    for (const [num, list] of [...wire].sort((a, b) => a[0] - b[0])) {
      if (known.has(num)) continue;
      for (const w of list) parts.push(this.unknown(num, w));
    }
    return parts;
  }

  private field(f: protobuf.Field, occurrences: Wire[]): string[] {
    const resolved = f.resolvedType;
    if (f.map) return this.mapField(f as unknown as protobuf.MapField, occurrences);
    if (resolved instanceof protobuf.Type) {
      const bodies = occurrences.filter((w): w is Wire & { wt: 2 } => w.wt === 2).map((w) => w.b);
      if (f.repeated) return bodies.map((b) => this.nested(f.name, resolved, b));
      return bodies.length === 0 ? [] : [this.nested(f.name, resolved, Buffer.concat(bodies))];
    }
    const expected = wireTypeOf(f.type, resolved);
    const values: Scalar[] = [];
    for (const w of occurrences) {
      if (w.wt === expected) values.push(scalarOf(f.type, w));
      else if (w.wt === 2 && expected !== 2) for (const u of unpack(f.type, resolved, w.b)) values.push(scalarOf(f.type, u));
      else throw new ProtobufTextError(`wire type ${w.wt} for field ${f.name}`);
    }
    if (f.repeated) return values.map((v) => `${f.name}: ${scalarText(f.type, resolved, v)}`);
    const v = values[values.length - 1];
    if (v === undefined) return [];
    const presence = this.proto2 || f.partOf !== null || f.options?.['proto3_optional'] === true;
    if (!presence && isDefault(v)) return [];
    return [`${f.name}: ${scalarText(f.type, resolved, v)}`];
  }

  private mapField(f: protobuf.MapField, occurrences: Wire[]): string[] {
    const entries: { key: Scalar; text: string }[] = [];
    const valueType = f.resolvedType;
    for (const w of occurrences) {
      if (w.wt !== 2) throw new ProtobufTextError(`wire type ${w.wt} for map ${f.name}`);
      const e = scan(w.b);
      const kw = e.get(1)?.at(-1);
      const key = kw ? scalarOf(f.keyType, kw) : f.keyType === 'string' ? Buffer.alloc(0) : f.keyType === 'bool' ? false : 0n;
      const parts: string[] = [];
      if (kw && !isDefault(key)) parts.push(`key: ${scalarText(f.keyType, null, key)}`);
      const vws = e.get(2);
      if (vws && vws.length > 0) {
        if (valueType instanceof protobuf.Type) {
          parts.push(this.nested('value', valueType, Buffer.concat(vws.map((x) => (x.wt === 2 ? x.b : Buffer.alloc(0))))));
        } else {
          const v = scalarOf(f.type, vws[vws.length - 1]!);
          if (!isDefault(v)) parts.push(`value: ${scalarText(f.type, valueType, v)}`);
        }
      }
      entries.push({ key, text: parts.length === 0 ? `${f.name} { }` : `${f.name} { ${parts.join(' ')} }` });
    }
    return entries.sort((a, b) => compareKeys(a.key, b.key)).map((e) => e.text);
  }

  private nested(name: string, type: protobuf.Type, body: Buffer): string {
    const inner = this.message(type, body);
    return inner.length === 0 ? `${name} { }` : `${name} { ${inner.join(' ')} }`;
  }

  private unknown(num: number, w: Wire): string {
    if (w.wt === 0) return `${num}: ${w.v}`;
    if (w.wt === 5) return `${num}: 0x${w.b.readUInt32LE(0).toString(16).padStart(8, '0')}`;
    if (w.wt === 1) return `${num}: 0x${w.b.readBigUInt64LE(0).toString(16).padStart(16, '0')}`;
    return `${num}: "${escapeBytes(w.b)}"`;
  }
}

/**
 * The protobuf message body `bytes` of message `type` as PRINT shows it
 * (`shortDebugString`); undefined when the bytes are not a valid message.
 */
export function protobufText(type: protobuf.Type, proto2: boolean, bytes: Buffer): string | undefined {
  try {
    return new Printer(proto2).message(type, bytes).join(' ');
  } catch (e) {
    if (e instanceof ProtobufTextError || e instanceof RangeError) return undefined;
    throw e;
  }
}
