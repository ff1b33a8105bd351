/**
 * Text conversions that reproduce what the JVM does, so text and bytes written
 * by Sluice match ksqlDB's byte for byte: `Double.toString`, `Integer.parseInt`,
 * `Long.parseLong`, `Double.parseDouble`, strict Base64, ksqlDB's
 * `DecimalUtil.ensureFit`, `BigDecimal.toString`, and the ISO forms of dates and
 * times. The one home of Java-compatible text: serde, functions and the runtime
 * all use these.
 */
import { Decimal } from './decimal.js';

/** Java's `Double.toString(d)`: `1.0`, `0.001`, `1.0E-4`, `1.2345678E7`, `NaN`, `Infinity`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const a = d < 0 ? -d : d;
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d);
    return s.indexOf('.') >= 0 ? s : s + '.0';
  }
  const e = d.toExponential();
  const at = e.indexOf('e');
  let mant = e.slice(0, at);
  if (mant.indexOf('.') < 0) mant += '.0';
  const exp = e.charCodeAt(at + 1) === 43 /* + */ ? e.slice(at + 2) : e.slice(at + 1);
  return `${mant}E${exp}`;
}

/**
 * Java's `Float.toString(f)` for a float32 value `f` (as read with readFloat):
 * the shortest digits that read back as the same float, laid out as
 * {@link javaDoubleToString} lays out a double (`1.5`, `1.0E10`).
 */
export function javaFloatToString(f: number): string {
  if (!Number.isFinite(f) || f === 0) return javaDoubleToString(f);
  let p = 1;
  while (p < 9 && Math.fround(Number(f.toPrecision(p))) !== f) p++;
  return javaDoubleToString(Number(f.toPrecision(p)));
}

/** A whole number as Java prints a long/int (no exponent, even for large values). */
export function javaLongToString(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

const INT_RE = /^[+-]?\d+$/;

/** Java's `Integer.parseInt`, or undefined when Java would throw. */
export function parseJavaInt(s: string): number | undefined {
  if (!INT_RE.test(s)) return undefined;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Java's `Long.parseLong` (range checked on the exact digits), as Sluice holds a
 * BIGINT: a number, the nearest double beyond ±2^53. Undefined when Java would throw.
 */
export function parseJavaLong(s: string): number | undefined {
  if (!INT_RE.test(s)) return undefined;
  const n = Number(s);
  if (Number.isSafeInteger(n)) return n;
  const b = BigInt(s);
  return b >= LONG_MIN && b <= LONG_MAX ? Number(b) : undefined;
}

const DOUBLE_RE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** Java's `Double.parseDouble` (surrounding whitespace trimmed), or undefined when Java would throw. */
export function parseJavaDouble(text: string): number | undefined {
  const s = javaTrim(text);
  if (!DOUBLE_RE.test(s)) return undefined;
  const last = s.charCodeAt(s.length - 1);
  const body = (last | 0x20) === 0x66 /* f */ || (last | 0x20) === 0x64 /* d */ ? s.slice(0, -1) : s;
  if (body.endsWith('NaN')) return NaN;
  return Number(body);
}

/** Java's `String.trim()`: strips chars <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard Base64 (padding required), or undefined for malformed text. */
export function decodeBase64(s: string): Buffer | undefined {
  return BASE64_RE.test(s) ? Buffer.from(s, 'base64') : undefined;
}

/**
 * ksqlDB's `DecimalUtil.ensureFit`: the value rescaled to `scale` without rounding,
 * or an Error with ksqlDB's message when it has too many integer digits or would
 * need rounding.
 */
export function ensureDecimalFit(value: Decimal, precision: number, scale: number): Decimal {
  const digits = precision - scale;
  const abs = value.unscaled < 0n ? -value.unscaled : value.unscaled;
  // |value| >= 10^digits  <=>  abs >= 10^(digits + value.scale)
  const limitExp = digits + value.scale;
  // abs >= 10^k (k >= 0) exactly when abs has more than k digits: no power is built.
  const overflow = abs > 0n && (limitExp < 0 || value.precision > limitExp);
  if (overflow) {
    throw new Error(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
        `must round to an absolute value less than 10^${digits}. Got ${value.toString()}`,
    );
  }
  if (value.scale <= scale) return value.setScale(scale);
  const drop = value.scale - scale;
  // More digits to drop than the value has: it cannot be a multiple of 10^drop (0 was handled above).
  const div = drop > value.precision ? 0n : 10n ** BigInt(drop);
  if (div === 0n || value.unscaled % div !== 0n) {
    const shown = value.scale > MAX_PLAIN_SCALE ? `${value.unscaled}E-${value.scale}` : value.toString();
    throw new Error(`Cannot fit decimal '${shown}' into DECIMAL(${precision}, ${scale}) without rounding. ` + `(Requires ${value.precision},${value.scale})`);
  }
  return new Decimal(value.unscaled / div, scale);
}

/** Beyond this scale an error message shows a decimal as `unscaledE-scale`, not its plain digits. */
const MAX_PLAIN_SCALE = 1000;

/**
 * `new BigDecimal(text)` then {@link ensureDecimalFit}, as ksqlDB reads a DECIMAL
 * from JSON or DELIMITED text; undefined when the text is not a number. A value
 * whose exponent puts it far out of range (`1e999999999`) fails without its
 * digits being built, so one record cannot burn the CPU.
 */
export function readDecimalText(text: string, precision: number, scale: number): Decimal | undefined {
  const m = NUMBER_RE.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const digits = ((m[2] ?? '') + frac).replace(/^0+/, '');
  if (digits === '') return new Decimal(0n, scale);
  // |value| is in [10^adjusted, 10^(adjusted + 1))
  const adjusted = digits.length - frac.length + Number(m[4] ?? 0) - 1;
  if (adjusted > MAX_PLAIN_SCALE && adjusted >= precision - scale) {
    throw new Error(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
        `must round to an absolute value less than 10^${precision - scale}. Got ${text}`,
    );
  }
  return ensureDecimalFit(Decimal.parse(text), precision, scale);
}

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A whole number narrowed to a Java `int` (`bits` 32) or `long` (64), and whether
 * the narrowing kept the value (no fraction dropped, in range).
 */
export interface Narrowed {
  readonly value: bigint;
  readonly exact: boolean;
}

/**
 * Narrows a JSON number literal (or decimal text) to `int`/`long` as Jackson's
 * `NumericNode.intValue()` / `asLong()` do in ksqlDB's JSON deserializer
 * (`JsonSerdeUtils.toInteger` / `toLong`): whole literals are Int/Long/BigIntegerNodes
 * and keep their low 32/64 bits; literals with a fraction or exponent are
 * `DecimalNode`s (ksqlDB enables USE_BIG_DECIMAL_FOR_FLOATS), and
 * `BigDecimal.intValue()/longValue()` drops the fraction, then keeps the low bits.
 * So 2147483648 → -2147483648, 1.5e10 → 2115098112 and 1e300 → 0 (not a saturating
 * double cast). Exact in every digit; undefined for text that is not a number.
 */
export function narrowNumberText(text: string, bits: 32 | 64): Narrowed | undefined {
  const m = NUMBER_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  let digits = (m[2] ?? '') + frac;
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  digits = digits.slice(i);
  if (digits === '') return { value: 0n, exact: true };
  // value = digits × 10^-scale
  const scale = frac.length - Number(m[4] ?? 0);
  let whole: string;
  let dropped = false;
  if (scale > 0) {
    whole = digits.length > scale ? digits.slice(0, digits.length - scale) : '';
    const rest = digits.length > scale ? digits.slice(digits.length - scale) : digits;
    dropped = /[1-9]/.test(rest);
  } else {
    // 10^64 = 2^64·5^64: from 64 trailing zeros on the low 64 bits are all 0 (and the value is out of range).
    if (-scale >= 64) return { value: 0n, exact: false };
    whole = digits + '0'.repeat(-scale);
  }
  let n = whole === '' ? 0n : BigInt(whole);
  if (m[1] === '-') n = -n;
  const value = bits === 32 ? BigInt.asIntN(32, n) : BigInt.asIntN(64, n);
  return { value, exact: !dropped && value === n };
}

/**
 * Whether reading a number literal as a DOUBLE loses information beyond the
 * binary rounding every decimal fraction needs: a finite literal that overflows
 * to ±Infinity, or a whole literal that the double does not hold exactly
 * (e.g. 9007199254740993). `d` is the double read from `text`.
 */
export function doubleLosesInformation(text: string, d: number): boolean {
  if (!Number.isFinite(d)) return !/(?:Infinity|NaN)/.test(text);
  if (d >= -Number.MAX_SAFE_INTEGER && d <= Number.MAX_SAFE_INTEGER) return false;
  const m = NUMBER_RE.exec(javaTrim(text).replace(/[fFdD]$/, ''));
  if (!m || m[3] !== undefined || m[4] !== undefined) return false;
  return BigInt((m[1] === '-' ? '-' : '') + m[2]) !== BigInt(d);
}

/**
 * The text Jackson's `asText()` gives for a JSON number literal as ksqlDB parses
 * it: a whole literal as its integer, a literal with a fraction or exponent as
 * `BigDecimal.toString()` of the exact value (`1.50` → `1.50`, `1.5e3` → `1.5E+3`).
 */
export function javaBigDecimalToString(text: string): string {
  const m = NUMBER_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  if (m[3] === undefined && m[4] === undefined) return BigInt(text).toString();
  const frac = m[3] ?? '';
  const scale = frac.length - Number(m[4] ?? 0);
  const digits = ((m[2] ?? '') + frac).replace(/^0+(?=\d)/, '');
  const sign = m[1] === '-' && /[1-9]/.test(digits) ? '-' : '';
  const adjusted = -scale + (digits.length - 1);
  if (scale === 0) return sign + digits;
  if (scale > 0 && adjusted >= -6) {
    const padded = digits.padStart(scale + 1, '0');
    const cut = padded.length - scale;
    return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }
  const coeff = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${coeff}${adjusted === 0 ? '' : `E${adjusted > 0 ? '+' : ''}${adjusted}`}`;
}

// ---------------------------------------------------------------- dates and times

const DAY_MS = 86_400_000;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** `yyyy-MM-dd` of a DATE (days since epoch). */
export function formatDate(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `HH:mm[:ss[.SSS]]` of a TIME (ms of day), as java.time.LocalTime.toString(). */
export function formatTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const milli = ms % 1000;
  let out = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s !== 0 || milli !== 0) out += `:${pad(s, 2)}`;
  if (milli !== 0) out += `.${pad(milli, 3)}`;
  return out;
}

/** `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, as ksqlDB prints TIMESTAMP values cast to STRING. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/** Parses `yyyy-MM-dd['T'HH:mm[:ss[.fff]]][zone]` as ksqlDB does for STRING → TIMESTAMP. */
export function parseTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new RangeError(`Cannot parse '${text}' as TIMESTAMP (expected yyyy-MM-ddTHH:mm:ss.SSS)`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** Parses `yyyy-MM-dd`, or a prefix of it (`yyyy-MM`, `yyyy`) meaning the first day, as ksqlDB does. */
export function parseDate(text: string): number {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`Cannot parse '${text}' as DATE (expected yyyy-MM-dd)`);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1)) / DAY_MS);
}

export function parseTime(text: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`Cannot parse '${text}' as TIME (expected HH:mm:ss)`);
  return Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3] ?? 0) * 1000 + Number((m[4] ?? '0').padEnd(3, '0').slice(0, 3));
}
