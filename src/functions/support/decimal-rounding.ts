import { Decimal } from '../../common/decimal.js';

/** BigDecimal rounding modes used by ksqlDB's numeric functions. */
export type RoundingMode = 'HALF_UP' | 'HALF_DOWN' | 'DOWN' | 'CEILING' | 'FLOOR';

/**
 * Rounds `d` to `places` fractional digits (negative: tens, hundreds…) with `mode`,
 * returning a Decimal whose scale is `places` (or 0 when `places` is negative, with
 * the value already rounded).
 */
export function roundTo(d: Decimal, places: number, mode: RoundingMode): Decimal {
  if (places >= d.scale) return d.setScale(places);
  const div = 10n ** BigInt(d.scale - places);
  const u = d.unscaled;
  let q = u / div;
  const r = u % div;
  if (r !== 0n) {
    const neg = u < 0n;
    const twice = (r < 0n ? -r : r) * 2n;
    let away: boolean;
    switch (mode) {
      case 'HALF_UP':
        away = twice >= div;
        break;
      case 'HALF_DOWN':
        away = twice > div;
        break;
      case 'DOWN':
        away = false;
        break;
      case 'CEILING':
        away = !neg;
        break;
      case 'FLOOR':
        away = neg;
        break;
    }
    if (away) q += neg ? -1n : 1n;
  }
  if (places >= 0) return new Decimal(q, places);
  return new Decimal(q * 10n ** BigInt(-places), 0);
}

/** ksqlDB ROUND: half up for positive values, half down for negative ones (Math.round style). */
export function roundHalfPositive(d: Decimal, places: number): Decimal {
  return roundTo(d, places, d.unscaled > 0n ? 'HALF_UP' : 'HALF_DOWN');
}

/** Java BigDecimal.valueOf(double): the decimal of the double's shortest repr. */
export function decimalOfDouble(x: number): Decimal {
  return Decimal.parse(String(x));
}
