/** Long.MAX_VALUE as the nearest double (2^63), the bound of Java's double → long conversion. */
/** Long.MAX_VALUE as a double: 2^63, the nearest double (so the bound is exclusive). */
const LONG_BOUND = 2 ** 63;

/**
 * Java's `(long) d` / Double.longValue(): towards zero, NaN is 0, values beyond
 * the long range clamp to Long.MIN_VALUE / Long.MAX_VALUE (as BIGINT numbers).
 */
export function javaLongOfDouble(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= LONG_BOUND) return LONG_BOUND;
  if (d <= -LONG_BOUND) return -LONG_BOUND;
  return Math.trunc(d) + 0;
}

/**
 * Java Math.round(double): nearest, halves towards positive infinity (JS
 * Math.round has the same rule, and unlike floor(x + 0.5) gets
 * 0.49999999999999994 right); NaN is 0 and the result clamps to the long range.
 */
export function javaRound(d: number): number {
  return javaLongOfDouble(Math.round(d));
}

/** Java 9+ Math.toDegrees: one multiplication by 180/π (not x * 180 / π, which differs in the last bit). */
export function javaToDegrees(rad: number): number {
  return rad * 57.29577951308232;
}

/** Java 9+ Math.toRadians: one multiplication by π/180. */
export function javaToRadians(deg: number): number {
  return deg * 0.017453292519943295;
}
