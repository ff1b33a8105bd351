/**
 * Time-zone offsets for Java ZoneId strings: fixed offsets (`Z`, `+05:30`,
 * `UTC+2`, `GMT-08:00`) are parsed here, region ids (`America/New_York`) go
 * through Intl.DateTimeFormat.
 */

const MINUTE = 60_000;

/** A resolved zone: a fixed offset in ms or an IANA region. */
export type Zone = { readonly fixed: number; readonly id: string } | { readonly region: string; readonly id: string };

const zoneCache = new Map<string, Zone>();
const partsCache = new Map<string, Intl.DateTimeFormat>();

/** Parses `+05:30`, `-0800`, `+5`, returning ms, or undefined. */
export function parseOffset(s: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
  return (m[1] === '-' ? -v : v) * MINUTE;
}

/**
 * Zone abbreviations Java resolves to region ids when parsing `z` (so daylight time
 * applies by date: "PST" in May means UTC-7 as in ksqlDB).
 */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  UTC: 'UTC', GMT: 'UTC', UT: 'UTC', Z: 'UTC',
  PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles', PT: 'America/Los_Angeles',
  MST: 'America/Denver', MDT: 'America/Denver', MT: 'America/Denver',
  CST: 'America/Chicago', CDT: 'America/Chicago', CT: 'America/Chicago',
  EST: 'America/New_York', EDT: 'America/New_York', ET: 'America/New_York',
  AKST: 'America/Anchorage', AKDT: 'America/Anchorage', HST: 'Pacific/Honolulu',
  CET: 'Europe/Paris', CEST: 'Europe/Paris', EET: 'Europe/Athens', EEST: 'Europe/Athens',
  WET: 'Europe/Lisbon', WEST: 'Europe/Lisbon', BST: 'Europe/London', IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo', KST: 'Asia/Seoul', AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney',
  ACST: 'Australia/Adelaide', AWST: 'Australia/Perth', NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
  MSK: 'Europe/Moscow',
};

/** Resolves a Java zone id; throws for unknown zones. */
export function zoneOf(id: string): Zone {
  let z = zoneCache.get(id);
  if (z) return z;
  const up = id.toUpperCase();
  let fixed: number | undefined;
  if (up === 'Z' || up === 'UTC' || up === 'GMT' || up === 'UT') fixed = 0;
  else if (/^[+-]/.test(id)) fixed = parseOffset(id);
  else {
    const m = /^(UTC|GMT|UT)([+-].*)$/i.exec(id);
    if (m) fixed = parseOffset(m[2]!);
  }
  if (fixed !== undefined) z = { fixed, id };
  else {
    try {
      const f = new Intl.DateTimeFormat('en-US', {
        timeZone: id,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
      partsCache.set(id, f);
      z = { region: f.resolvedOptions().timeZone, id };
    } catch {
      throw new Error(`Unknown time-zone ID: ${id}`);
    }
  }
  zoneCache.set(id, z);
  return z;
}

/** The zone's offset from UTC (ms) at instant `ms`. */
export function offsetAt(zone: Zone, ms: number): number {
  if ('fixed' in zone) return zone.fixed;
  const f = partsCache.get(zone.id)!;
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(Math.floor(ms / 1000) * 1000))) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === 'BC' || p.era === 'B') year = 1 - year;
  const local = Date.UTC(year, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const d = new Date(local);
  if (year >= 0 && year < 100) d.setUTCFullYear(year);
  return d.getTime() - Math.floor(ms / 1000) * 1000;
}

/** The instant of a local wall-clock time (ms as if UTC) in `zone` (earlier offset on overlaps). */
export function instantOfLocal(zone: Zone, localMs: number): number {
  if ('fixed' in zone) return localMs - zone.fixed;
  const o1 = offsetAt(zone, localMs - offsetAt(zone, localMs));
  const guess = localMs - o1;
  const o2 = offsetAt(zone, guess);
  return o1 === o2 ? guess : localMs - Math.max(o1, o2);
}

const nameCache = new Map<string, Intl.DateTimeFormat>();

/** Short (`PDT`) or long (`Pacific Daylight Time`) zone name at an instant. */
export function zoneName(zone: Zone, ms: number, long: boolean): string {
  if ('fixed' in zone) {
    if (zone.fixed === 0) return long ? 'Coordinated Universal Time' : 'UTC';
    return zone.id;
  }
  const key = `${zone.id}|${long}`;
  let f = nameCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' });
    nameCache.set(key, f);
  }
  return f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? zone.id;
}
