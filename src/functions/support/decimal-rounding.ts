import { assertNever } from '../../common/assert.js';
import { FunctionArgumentError } from './bounds.js';
import { Decimal } from '../../common/decimal.js';

/** BigDecimal rounding modes used by ksqlDB's numeric functions. */
export type RoundingMode = 'HALF_UP' | 'HALF_DOWN' | 'DOWN' | 'CEILING' | 'FLOOR';

/**
 * Rounds `d` to `places` fractional digits (negative: tens, hundreds…) with `mode`,
 * as BigDecimal.setScale(places, mode) does, but never builds a power of ten larger
 * than the value needs: `d` itself when it already has no more than `places`
 * fractional digits (the same value, so callers rescale it to the type they
 * return), else a Decimal of scale max(places, 0). So ROUND(x, 100000000) and
 * ROUND(x, -100000000) cost what ROUND(x, 2) does.
 */
export function roundTo(d: Decimal, places: number, mode: RoundingMode): Decimal {
  if (places >= d.scale) return d;
  const u = d.unscaled;
  const neg = u < 0n;
  const shift = d.scale - places;
  const digits = (neg ? -u : u).toString().length;
  let q: bigint;
  if (u === 0n) q = 0n;
  else if (digits < shift) {
    // |d| < 10^-places / 10: below half a unit, so only CEILING/FLOOR move away from 0.
    q = (mode === 'CEILING' && !neg) || (mode === 'FLOOR' && neg) ? (neg ? -1n : 1n) : 0n;
  } else {
    const div = 10n ** BigInt(shift);
    q = u / div;
    const r = u % div;
    if (r !== 0n && awayFromZero(mode, neg, (r < 0n ? -r : r) * 2n, div)) q += neg ? -1n : 1n;
  }
  if (places >= 0) return new Decimal(q, places);
  return q === 0n ? new Decimal(0n, 0) : new Decimal(q * 10n ** BigInt(-places), 0);
}

/** Whether a non-zero remainder (`twice` its magnitude, over `div`) rounds away from zero. */
function awayFromZero(mode: RoundingMode, neg: boolean, twice: bigint, div: bigint): boolean {
  switch (mode) {
    case 'HALF_UP':
      return twice >= div;
    case 'HALF_DOWN':
      return twice > div;
    case 'DOWN':
      return false;
    case 'CEILING':
      return !neg;
    case 'FLOOR':
      return neg;
    default:
      return assertNever(mode, 'rounding mode');
  }
}

/** ksqlDB ROUND: half up for positive values, half down for negative ones (Math.round style). */
export function roundHalfPositive(d: Decimal, places: number): Decimal {
  return roundTo(d, places, d.unscaled > 0n ? 'HALF_UP' : 'HALF_DOWN');
}

/**
 * Java BigDecimal.valueOf(double): the decimal of the double's shortest repr.
 * NaN and the infinities have none: ksqlDB's ROUND/TRUNC(DOUBLE, INT) fail on
 * them (a null result), as BigDecimal does.
 */
export function decimalOfDouble(x: number): Decimal {
  if (!Number.isFinite(x)) throw new FunctionArgumentError('Infinite or NaN');
  return Decimal.parse(String(x));
}
