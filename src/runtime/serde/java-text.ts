/**
 * Text conversions that reproduce what the JVM does, so bytes written by Sluice
 * match ksqlDB's byte for byte: `Double.toString`, `Integer.parseInt`,
 * `Long.parseLong`, `Double.parseDouble`, strict Base64 and ksqlDB's
 * `DecimalUtil.ensureFit`.
 */
import { Decimal } from '../../common/decimal.js';

/** Java's `Double.toString(d)`: `1.0`, `1.0E10`, `1.234E-5`, `NaN`, `Infinity`. */
export function javaDoubleToString(d: number): string {
  if (d !== d) return 'NaN';
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

/** Java's `Long.parseLong`, or undefined when Java would throw. */
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
  const overflow = limitExp < 0 ? abs > 0n : abs >= 10n ** BigInt(limitExp);
  if (overflow) {
    throw new Error(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
        `must round to an absolute value less than 10^${digits}. Got ${value.toString()}`,
    );
  }
  if (value.scale <= scale) return value.setScale(scale);
  const div = 10n ** BigInt(value.scale - scale);
  if (value.unscaled % div !== 0n) {
    throw new Error(
      `Cannot fit decimal '${value.toString()}' into DECIMAL(${precision}, ${scale}) without rounding. ` +
        `(Requires ${value.precision},${value.scale})`,
    );
  }
  return new Decimal(value.unscaled / div, scale);
}
