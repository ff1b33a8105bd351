/**
 * An exact decimal number: `unscaled × 10^-scale`. Immutable. DECIMAL values are
 * never held as JS doubles, so arithmetic matches ksqlDB's BigDecimal results.
 */
export class Decimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static parse(text: string): Decimal {
    const s = text.trim();
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal: '${text}'`);
    const frac = m[3] ?? '';
    let scale = frac.length - Number(m[4] ?? 0);
    let digits = BigInt((m[2] || '0') + frac);
    if (scale < 0) {
      digits *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(m[1] === '-' ? -digits : digits, scale);
  }

  static fromNumber(n: number, scale?: number): Decimal {
    const d = Decimal.parse(Number.isInteger(n) ? n.toFixed(0) : String(n));
    return scale === undefined ? d : d.setScale(scale);
  }

  /** Number of significant digits (at least 1), as BigDecimal.precision(). */
  get precision(): number {
    const a = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return a === 0n ? 1 : a.toString().length;
  }

  /** Rescales with HALF_UP rounding (ksqlDB's default). */
  setScale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const div = 10n ** BigInt(this.scale - scale);
    return new Decimal(roundDiv(this.unscaled, div), scale);
  }

  add(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled + o.setScale(s).unscaled, s);
  }
  subtract(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled - o.setScale(s).unscaled, s);
  }
  multiply(o: Decimal): Decimal {
    return new Decimal(this.unscaled * o.unscaled, this.scale + o.scale);
  }
  /** Division rounded HALF_UP to `scale` digits; throws RangeError on division by zero. */
  divide(o: Decimal, scale: number): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    // this/o = (a·10^-sa)/(b·10^-sb); result unscaled at `scale` = a·10^(scale - sa + sb) / b
    const shift = scale - this.scale + o.scale;
    let num = this.unscaled;
    let den = o.unscaled;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    return new Decimal(roundDiv(num, den), scale);
  }
  remainder(o: Decimal): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled % o.setScale(s).unscaled, s);
  }
  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }
  compareTo(o: Decimal): number {
    const s = Math.max(this.scale, o.scale);
    const a = this.setScale(s).unscaled;
    const b = o.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  toNumber(): number {
    return Number(this.toString());
  }
  /** Plain notation with exactly `scale` fractional digits, as BigDecimal.toPlainString(). */
  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(-this.scale);
    digits = digits.padStart(this.scale + 1, '0');
    const cut = digits.length - this.scale;
    return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

function roundDiv(num: bigint, den: bigint): bigint {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}
