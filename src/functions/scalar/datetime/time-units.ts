/** Milliseconds per unit for the interval keywords of DATEADD, TIMEADD and TIMESTAMPADD. */
const UNIT_MS: Readonly<Record<string, number>> = {
  NANOSECOND: 1e-6,
  NANOSECONDS: 1e-6,
  MICROSECOND: 1e-3,
  MICROSECONDS: 1e-3,
  MILLISECOND: 1,
  MILLISECONDS: 1,
  SECOND: 1000,
  SECONDS: 1000,
  MINUTE: 60_000,
  MINUTES: 60_000,
  HOUR: 3_600_000,
  HOURS: 3_600_000,
  DAY: 86_400_000,
  DAYS: 86_400_000,
};

function unitMs(unit: string): number {
  const f = UNIT_MS[unit.toUpperCase()];
  if (f === undefined) throw new Error(`Unknown time unit: ${unit}`);
  return f;
}

/** Java TimeUnit.toMillis(n) for a unit keyword (truncating sub-millisecond units). */
export function toMillis(unit: string, n: number): number {
  return Math.trunc(n * unitMs(unit));
}

const LONG_MAX = 2n ** 63n - 1n;

/** Java TimeUnit.toNanos(n): exact, saturating at Long.MIN_VALUE / Long.MAX_VALUE as Java does. */
export function toNanos(unit: string, n: number): bigint {
  const nanos = BigInt(Math.trunc(n)) * BigInt(Math.round(unitMs(unit) * 1e6));
  return nanos > LONG_MAX ? LONG_MAX : nanos < -LONG_MAX - 1n ? -LONG_MAX - 1n : nanos;
}

export const MS_PER_DAY = 86_400_000;
