/**
 * Avro binary as the text ksqlDB's PRINT shows for it: what Confluent's
 * `KafkaAvroDeserializer` returns (no logical-type conversion: decimals stay
 * bytes, dates ints, timestamps longs), printed with `toString()`. A record is
 * Avro's `GenericData.toString` (`{"F": 1, "S": "x"}`); a bare string, number or
 * boolean is its plain text. Decoding walks the writer schema (JSON) directly
 * and, as Avro's decoder, does not require every byte to be consumed.
 */
import { javaDoubleToString, javaFloatToString } from '../common/java-text.js';

type Schema = unknown;

/** Thrown when the bytes do not decode with the schema. */
class AvroTextError extends Error {}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Buffer,
    start: number,
  ) {
    this.pos = start;
  }
  need(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length) throw new AvroTextError('EOF');
  }
  byte(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  /** A zigzag varint long. */
  long(): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new AvroTextError('Invalid long encoding');
    }
    return (v >> 1n) ^ -(v & 1n);
  }
  /** A long used as a count or index (must fit a Java int). */
  int(): number {
    const v = this.long();
    if (v > 0x7fffffffn || v < -0x80000000n) throw new AvroTextError('Invalid int encoding');
    return Number(v);
  }
  take(n: number): Buffer {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Named types (records, enums, fixed) by full and short name. */
type Names = Map<string, Record<string, unknown>>;

function collectNames(s: Schema, ns: string, names: Names): void {
  if (Array.isArray(s)) {
    for (const b of s) collectNames(b, ns, names);
    return;
  }
  if (typeof s !== 'object' || s === null) return;
  const o = s as Record<string, unknown>;
  const type = o['type'];
  if ((type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') && typeof o['name'] === 'string') {
    const name = o['name'];
    const space = typeof o['namespace'] === 'string' ? o['namespace'] : ns;
    const full = name.includes('.') ? name : space ? `${space}.${name}` : name;
    names.set(full, o);
    if (!names.has(name)) names.set(name, o);
    const inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
    if (Array.isArray(o['fields'])) for (const f of o['fields'] as Record<string, unknown>[]) collectNames(f['type'], inner, names);
    return;
  }
  if (type === 'array') collectNames(o['items'], ns, names);
  else if (type === 'map') collectNames(o['values'], ns, names);
  else if (typeof type === 'object') collectNames(type, ns, names);
}

/** Avro's escaping of strings in `GenericData.toString`. */
function escaped(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    switch (ch) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
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
      default:
        if (ch <= 0x1f || (ch >= 0x7f && ch <= 0x9f) || (ch >= 0x2000 && ch <= 0x20ff)) out += `\\u${ch.toString(16).toUpperCase().padStart(4, '0')}`;
        else out += s[i];
    }
  }
  return out;
}

/** One decoded datum: its text inside a record (`quoted`) and at top level (`plain`). */
interface Text {
  readonly quoted: string;
  readonly plain: string;
}

function same(s: string): Text {
  return { quoted: s, plain: s };
}

class Decoder {
  constructor(
    private readonly names: Names,
    private readonly r: Reader,
  ) {}

  read(s: Schema): Text {
    if (typeof s === 'string') return this.primitive(s);
    if (Array.isArray(s)) {
      const i = this.r.int();
      if (i < 0 || i >= s.length) throw new AvroTextError(`Invalid union index ${i}`);
      return this.read(s[i]);
    }
    if (typeof s !== 'object' || s === null) throw new AvroTextError('Invalid schema');
    const o = s as Record<string, unknown>;
    const type = o['type'];
    switch (type) {
      case 'record':
      case 'error': {
        const fields = (o['fields'] as Record<string, unknown>[]).map((f) => `"${escaped(String(f['name']))}": ${this.read(f['type']).quoted}`);
        return same(`{${fields.join(', ')}}`);
      }
      case 'enum': {
        const symbols = o['symbols'] as string[];
        const i = this.r.int();
        if (i < 0 || i >= symbols.length) throw new AvroTextError(`Invalid enum index ${i}`);
        return { quoted: `"${escaped(symbols[i]!)}"`, plain: symbols[i]! };
      }
      case 'fixed': {
        const b = this.r.take(Number(o['size']));
        return same(`[${[...b].map((x) => (x << 24) >> 24).join(', ')}]`);
      }
      case 'array': {
        const items: Text[] = [];
        this.blocks(() => items.push(this.read(o['items'])));
        return { quoted: `[${items.map((t) => t.quoted).join(', ')}]`, plain: `[${items.map((t) => t.plain).join(', ')}]` };
      }
      case 'map': {
        const entries: [string, Text][] = [];
        this.blocks(() => {
          const k = this.string();
          entries.push([k, this.read(o['values'])]);
        });
        return {
          quoted: `{${entries.map(([k, v]) => `"${escaped(k)}": ${v.quoted}`).join(', ')}}`,
          plain: `{${entries.map(([k, v]) => `${k}=${v.plain}`).join(', ')}}`,
        };
      }
      default:
        return this.read(type);
    }
  }

  private blocks(item: () => void): void {
    for (;;) {
      let n = this.r.long();
      if (n === 0n) return;
      if (n < 0n) {
        n = -n;
        this.r.long(); // the block's size in bytes
      }
      for (let i = 0n; i < n; i++) item();
    }
  }

  private string(): string {
    return this.r.take(this.r.int()).toString('utf8');
  }

  private primitive(name: string): Text {
    switch (name) {
      case 'null':
        return same('null');
      case 'boolean':
        return same(this.r.byte() === 1 ? 'true' : 'false');
      case 'int':
        return same(String(this.r.int()));
      case 'long':
        return same(this.r.long().toString());
      case 'float': {
        this.r.need(4);
        const f = this.r.bytes.readFloatLE(this.r.pos);
        this.r.pos += 4;
        const t = javaFloatToString(f);
        return { quoted: Number.isFinite(f) ? t : `"${t}"`, plain: t };
      }
      case 'double': {
        this.r.need(8);
        const d = this.r.bytes.readDoubleLE(this.r.pos);
        this.r.pos += 8;
        const t = javaDoubleToString(d);
        return { quoted: Number.isFinite(d) ? t : `"${t}"`, plain: t };
      }
      case 'bytes': {
        const b = this.r.take(this.r.int());
        return same(`{"bytes": "${escaped(b.toString('latin1'))}"}`);
      }
      case 'string': {
        const s = this.string();
        return { quoted: `"${escaped(s)}"`, plain: s };
      }
      default: {
        const named = this.names.get(name);
        if (!named) throw new AvroTextError(`Unknown type ${name}`);
        return this.read(named);
      }
    }
  }
}

/**
 * The Avro binary in `bytes` from `offset`, read with writer `schema` (Avro
 * JSON), as PRINT shows it; undefined when the bytes do not decode.
 */
export function avroText(schema: unknown, bytes: Buffer, offset: number): string | undefined {
  const names: Names = new Map();
  collectNames(schema, '', names);
  try {
    return new Decoder(names, new Reader(bytes, offset)).read(schema).plain;
  } catch (e) {
    if (e instanceof AvroTextError || e instanceof RangeError) return undefined;
    throw e;
  }
}
