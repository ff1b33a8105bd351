/**
 * Time-zone offsets for Java ZoneId strings: fixed offsets (`Z`, `+05:30`,
 * `UTC+2`, `GMT-08:00`) are parsed here, region ids (`America/New_York`) go
 * through Intl.DateTimeFormat.
 */

const MINUTE = 60_000;

/**
 * A resolved zone: a fixed offset in ms or an IANA region. `id` is what Java's
 * ZoneId.getId() returns (fixed offsets normalised: `GMT+5` → `GMT+05:00`, `+01` →
 * `+01:00`, `+00:00` → `Z`; region ids as given).
 */
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
  UTC: 'UTC',
  GMT: 'UTC',
  UT: 'UTC',
  Z: 'UTC',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PT: 'America/Los_Angeles',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MT: 'America/Denver',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CT: 'America/Chicago',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  ET: 'America/New_York',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  EET: 'Europe/Athens',
  EEST: 'Europe/Athens',
  WET: 'Europe/Lisbon',
  WEST: 'Europe/Lisbon',
  BST: 'Europe/London',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  ACST: 'Australia/Adelaide',
  AWST: 'Australia/Perth',
  NZST: 'Pacific/Auckland',
  NZDT: 'Pacific/Auckland',
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
  if (fixed !== undefined) z = { fixed, id: fixedZoneId(id, fixed) };
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

/** Java's id for a fixed-offset zone: the prefix (if any) then ZoneOffset's id. */
function fixedZoneId(id: string, fixed: number): string {
  const prefix = /^(UTC|GMT|UT)/i.exec(id)?.[1]?.toUpperCase();
  if (id.toUpperCase() === 'Z') return 'Z';
  if (fixed === 0) return prefix ?? 'Z';
  const a = Math.round(Math.abs(fixed) / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const secs = a % 60;
  const offsetId = `${fixed < 0 ? '-' : '+'}${two(Math.floor(a / 3600))}:${two(Math.floor(a / 60) % 60)}${secs ? `:${two(secs)}` : ''}`;
  return (prefix ?? '') + offsetId;
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

/**
 * The instant of a local wall-clock time (ms as if UTC) in `zone`, as
 * java.time's ZonedDateTime resolves it: in a gap (a spring-forward hour) the
 * offset from before the gap, which moves the time later by the gap's length
 * (02:30 on a 02:00→03:00 night is 03:30); on an overlap `preferred` when it is
 * one of the two offsets, else the earlier offset.
 */
export function instantOfLocal(zone: Zone, localMs: number, preferred?: number): number {
  if ('fixed' in zone) return localMs - zone.fixed;
  // The offsets either side of any transition near this wall-clock time.
  const before = offsetAt(zone, localMs - DAY);
  const after = offsetAt(zone, localMs + DAY);
  if (before === after) return localMs - before;
  const beforeValid = offsetAt(zone, localMs - before) === before;
  const afterValid = offsetAt(zone, localMs - after) === after;
  if (beforeValid && afterValid) return localMs - (preferred === after ? after : before);
  if (afterValid) return localMs - after;
  return localMs - before; // valid before the transition, or in the gap
}

const DAY = 86_400_000;

const nameCache = new Map<string, Intl.DateTimeFormat>();

/**
 * Short names Java (its CLDR provider, falling back to the JRE's own names) prints
 * for `z` where Intl's en-US data only has `GMT+1`-style names: [standard, daylight].
 */
const SHORT_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  'Europe/London': ['GMT', 'BST'],
  'Europe/Dublin': ['GMT', 'IST'],
  'Europe/Lisbon': ['WET', 'WEST'],
  'Atlantic/Canary': ['WET', 'WEST'],
  'Atlantic/Reykjavik': ['GMT', 'GMT'],
  CET: ['CET', 'CEST'],
  'Europe/Paris': ['CET', 'CEST'],
  'Europe/Berlin': ['CET', 'CEST'],
  'Europe/Brussels': ['CET', 'CEST'],
  'Europe/Amsterdam': ['CET', 'CEST'],
  'Europe/Madrid': ['CET', 'CEST'],
  'Europe/Rome': ['CET', 'CEST'],
  'Europe/Vienna': ['CET', 'CEST'],
  'Europe/Zurich': ['CET', 'CEST'],
  'Europe/Stockholm': ['CET', 'CEST'],
  'Europe/Oslo': ['CET', 'CEST'],
  'Europe/Copenhagen': ['CET', 'CEST'],
  'Europe/Prague': ['CET', 'CEST'],
  'Europe/Warsaw': ['CET', 'CEST'],
  'Europe/Budapest': ['CET', 'CEST'],
  'Europe/Belgrade': ['CET', 'CEST'],
  'Europe/Luxembourg': ['CET', 'CEST'],
  'Europe/Monaco': ['CET', 'CEST'],
  'Europe/Malta': ['CET', 'CEST'],
  'Africa/Lagos': ['WAT', 'WAT'],
  EET: ['EET', 'EEST'],
  'Europe/Athens': ['EET', 'EEST'],
  'Europe/Helsinki': ['EET', 'EEST'],
  'Europe/Kiev': ['EET', 'EEST'],
  'Europe/Kyiv': ['EET', 'EEST'],
  'Europe/Bucharest': ['EET', 'EEST'],
  'Europe/Sofia': ['EET', 'EEST'],
  'Europe/Riga': ['EET', 'EEST'],
  'Europe/Tallinn': ['EET', 'EEST'],
  'Europe/Vilnius': ['EET', 'EEST'],
  'Africa/Cairo': ['EET', 'EEST'],
  'Europe/Istanbul': ['TRT', 'TRT'],
  'Europe/Moscow': ['MSK', 'MSK'],
  'Africa/Johannesburg': ['SAST', 'SAST'],
  'Africa/Nairobi': ['EAT', 'EAT'],
  'Asia/Jerusalem': ['IST', 'IDT'],
  'Asia/Dubai': ['GST', 'GST'],
  'Asia/Karachi': ['PKT', 'PKT'],
  'Asia/Kolkata': ['IST', 'IST'],
  'Asia/Calcutta': ['IST', 'IST'],
  'Asia/Kathmandu': ['NPT', 'NPT'],
  'Asia/Dhaka': ['BDT', 'BDT'],
  'Asia/Bangkok': ['ICT', 'ICT'],
  'Asia/Jakarta': ['WIB', 'WIB'],
  'Asia/Shanghai': ['CST', 'CDT'],
  'Asia/Hong_Kong': ['HKT', 'HKST'],
  'Asia/Taipei': ['CST', 'CDT'],
  'Asia/Singapore': ['SGT', 'SGT'],
  'Asia/Manila': ['PST', 'PDT'],
  'Asia/Tokyo': ['JST', 'JDT'],
  'Asia/Seoul': ['KST', 'KDT'],
  'Australia/Perth': ['AWST', 'AWDT'],
  'Australia/Adelaide': ['ACST', 'ACDT'],
  'Australia/Darwin': ['ACST', 'ACDT'],
  'Australia/Brisbane': ['AEST', 'AEDT'],
  'Australia/Sydney': ['AEST', 'AEDT'],
  'Australia/Melbourne': ['AEST', 'AEDT'],
  'Australia/Hobart': ['AEST', 'AEDT'],
  'Pacific/Auckland': ['NZST', 'NZDT'],
  'America/Sao_Paulo': ['BRT', 'BRST'],
  'America/Argentina/Buenos_Aires': ['ART', 'ARST'],
  'America/Buenos_Aires': ['ART', 'ARST'],
  'America/Bogota': ['COT', 'COST'],
  'America/Lima': ['PET', 'PEST'],
  'America/Santiago': ['CLT', 'CLST'],
  'America/Caracas': ['VET', 'VET'],
  'America/Mexico_City': ['CST', 'CDT'],
};

/**
 * Short (`PDT`) or long (`Pacific Daylight Time`) zone name at an instant; with
 * `generic`, the names without daylight time that Java's `v` prints (`PT`,
 * `Pacific Time`).
 */
export function zoneName(zone: Zone, ms: number, long: boolean, generic = false): string {
  if ('fixed' in zone) {
    if (zone.id === 'UTC') return long ? 'Coordinated Universal Time' : 'UTC';
    if (zone.id === 'GMT') return long ? 'Greenwich Mean Time' : 'GMT';
    return zone.id;
  }
  const known = long || generic ? undefined : (SHORT_NAMES[zone.id] ?? SHORT_NAMES[zone.region]);
  if (known) {
    const year = new Date(ms).getUTCFullYear();
    const standard = Math.min(offsetAt(zone, Date.UTC(year, 0, 1)), offsetAt(zone, Date.UTC(year, 6, 1)));
    return offsetAt(zone, ms) > standard ? known[1] : known[0];
  }
  const style = generic ? (long ? 'longGeneric' : 'shortGeneric') : long ? 'long' : 'short';
  const key = `${zone.id}|${style}`;
  let f = nameCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: style });
    nameCache.set(key, f);
  }
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? zone.id;
  // Java's localized GMT format pads the hours and always shows minutes: GMT+02:00.
  if (name === 'GMT+0' || name === 'GMT+00:00') return 'GMT';
  const gmt = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  return gmt ? `GMT${gmt[1]}${gmt[2]!.padStart(2, '0')}:${gmt[3] ?? '00'}` : name;
}
