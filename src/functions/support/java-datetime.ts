import { type Zone, ZONE_ABBREVIATIONS, instantOfLocal, offsetAt, parseOffset, zoneName, zoneOf } from './time-zones.js';

/**
 * Formatting and parsing with Java DateTimeFormatter patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSX`,
 * `dd-MMM-yyyy`, `hh:mm a`, `zzz`…) over epoch milliseconds in a Java zone id.
 * Parsing is case-insensitive and defaults missing fields to 1970-01-01T00:00, as
 * ksqlDB's parsers do.
 */

type Token =
  | { readonly k: 'lit'; readonly text: string }
  | { readonly k: 'field'; readonly letter: string; readonly count: number }
  | { readonly k: 'opt'; readonly tokens: readonly Token[] };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const NUMERIC = new Set(['y', 'u', 'M', 'L', 'd', 'D', 'H', 'k', 'K', 'h', 'm', 's', 'S', 'n', 'A', 'Y', 'Q', 'w', 'W', 'e', 'c', 'F', 'N']);
const DAY_MS = 86_400_000;

const compiled = new Map<string, readonly Token[]>();

/** Tokenises a pattern (cached); throws on unbalanced quotes or brackets. */
export function compilePattern(pattern: string): readonly Token[] {
  let t = compiled.get(pattern);
  if (t) return t;
  const stack: Token[][] = [[]];
  const top = () => stack[stack.length - 1]!;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        top().push({ k: 'lit', text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        const e = pattern.indexOf("'", j);
        if (e < 0) throw new Error(`Pattern ends with an incomplete string literal: ${pattern}`);
        text += pattern.slice(j, e);
        if (pattern[e + 1] === "'") {
          text += "'";
          j = e + 2;
        } else {
          i = e + 1;
          break;
        }
      }
      top().push({ k: 'lit', text });
    } else if (c === '[') {
      stack.push([]);
      i++;
    } else if (c === ']') {
      if (stack.length < 2) throw new Error(`Pattern invalid as it contains ] without previous [: ${pattern}`);
      const inner = stack.pop()!;
      top().push({ k: 'opt', tokens: inner });
      i++;
    } else if (c === '{' || c === '}' || c === '#') {
      throw new Error(`Pattern includes reserved character: '${c}'`);
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      top().push({ k: 'field', letter: c, count: j - i });
      i = j;
    } else {
      top().push({ k: 'lit', text: c });
      i++;
    }
  }
  while (stack.length > 1) {
    const inner = stack.pop()!;
    top().push({ k: 'opt', tokens: inner });
  }
  t = stack[0]!;
  if (compiled.size > 512) compiled.clear();
  compiled.set(pattern, t);
  return t;
}

const pad = (n: number, w: number) => (n < 0 ? `-${String(-n).padStart(w, '0')}` : String(n).padStart(w, '0'));

function formatOffset(off: number, style: 'HH' | 'HHMM' | 'HH:MM', zeroZ: boolean): string {
  if (off === 0 && zeroZ) return 'Z';
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off) / 60_000;
  const h = pad(Math.floor(a / 60), 2);
  const m = pad(a % 60, 2);
  if (style === 'HH') return m === '00' ? `${sign}${h}` : `${sign}${h}${m}`;
  return style === 'HHMM' ? `${sign}${h}${m}` : `${sign}${h}:${m}`;
}

/**
 * What a formatted value holds: a zoned instant (TIMESTAMP), a LocalDate (DATE) or
 * a LocalTime (TIME). Java rejects pattern letters the value has no field for.
 */
type Temporal = 'instant' | 'date' | 'time';

/** Letters a LocalDate cannot format, with the field name Java reports. */
const TIME_FIELDS: Readonly<Record<string, string>> = {
  a: 'AmPmOfDay',
  h: 'ClockHourOfAmPm',
  K: 'HourOfAmPm',
  k: 'ClockHourOfDay',
  H: 'HourOfDay',
  m: 'MinuteOfHour',
  s: 'SecondOfMinute',
  S: 'NanoOfSecond',
  A: 'MilliOfDay',
  n: 'NanoOfSecond',
  N: 'NanoOfDay',
  X: 'OffsetSeconds',
  x: 'OffsetSeconds',
  Z: 'OffsetSeconds',
  O: 'OffsetSeconds',
};

/** Letters a LocalTime cannot format, with the field name Java reports. */
const DATE_FIELDS: Readonly<Record<string, string>> = {
  G: 'Era',
  y: 'YearOfEra',
  u: 'Year',
  Y: 'WeekBasedYear[WeekFields[SUNDAY,1]]',
  M: 'MonthOfYear',
  L: 'MonthOfYear',
  Q: 'QuarterOfYear',
  q: 'QuarterOfYear',
  d: 'DayOfMonth',
  D: 'DayOfYear',
  E: 'DayOfWeek',
  e: 'DayOfWeek[WeekFields[SUNDAY,1]]',
  c: 'DayOfWeek[WeekFields[SUNDAY,1]]',
  F: 'AlignedDayOfWeekInMonth',
  w: 'WeekOfWeekBasedYear[WeekFields[SUNDAY,1]]',
  W: 'WeekOfMonth[WeekFields[SUNDAY,1]]',
  X: 'OffsetSeconds',
  x: 'OffsetSeconds',
  Z: 'OffsetSeconds',
  O: 'OffsetSeconds',
};

/** Formats epoch ms in `zone` with a Java pattern. */
export function formatInstant(ms: number, pattern: string, zone: Zone, temporal: Temporal = 'instant'): string {
  const off = offsetAt(zone, ms);
  const d = new Date(ms + off);
  return formatTokens(compilePattern(pattern), d, ms, off, zone, temporal);
}

function formatTokens(tokens: readonly Token[], d: Date, ms: number, off: number, zone: Zone, temporal: Temporal): string {
  let out = '';
  for (const t of tokens) {
    if (t.k === 'lit') out += t.text;
    else if (t.k === 'opt') out += formatTokens(t.tokens, d, ms, off, zone, temporal);
    else {
      const unsupported = temporal === 'date' ? TIME_FIELDS[t.letter] : temporal === 'time' ? DATE_FIELDS[t.letter] : undefined;
      if (unsupported !== undefined) throw new Error(`Unsupported field: ${unsupported}`);
      if (temporal !== 'instant' && (t.letter === 'z' || t.letter === 'v' || t.letter === 'V'))
        throw new Error(`Unable to extract ZoneId from temporal ${temporal === 'date' ? 'LocalDate' : 'LocalTime'}`);
      out += formatField(t.letter, t.count, d, ms, off, zone);
    }
  }
  return out;
}

/**
 * Week fields of the US locale ksqlDB's JVM formats with (weeks start on Sunday;
 * week 1 is the week holding January 1st): the week-based year, the week of that
 * year and the localized day of week (Sunday = 1).
 */
export function usWeekFields(d: Date): { readonly weekYear: number; readonly week: number; readonly dow: number } {
  const dow = d.getUTCDay() + 1;
  const day = Math.floor(d.getTime() / DAY_MS);
  const weekStart = day - (dow - 1);
  const weekYear = new Date((weekStart + 6) * DAY_MS).getUTCFullYear();
  const week = Math.floor((weekStart - firstWeekStart(weekYear)) / 7) + 1;
  return { weekYear, week, dow };
}

/** The epoch day of the Sunday that starts week 1 of a US week-based year. */
function firstWeekStart(weekYear: number): number {
  const jan1 = Math.floor(utc(weekYear, 0, 1) / DAY_MS);
  const jan1Dow = new Date(jan1 * DAY_MS).getUTCDay();
  return jan1 - jan1Dow;
}

function formatField(letter: string, n: number, d: Date, ms: number, off: number, zone: Zone): string {
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const hour = d.getUTCHours();
  const milli = d.getUTCMilliseconds();
  switch (letter) {
    case 'G':
      return n === 4 ? (year > 0 ? 'Anno Domini' : 'Before Christ') : year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'u':
    case 'Y': {
      const y = letter === 'Y' ? usWeekFields(d).weekYear : letter === 'y' && year <= 0 ? 1 - year : year;
      return n === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, n);
    }
    case 'w':
      if (n > 2) throw new Error(`Too many pattern letters: ${letter}`);
      return pad(usWeekFields(d).week, n);
    case 'W': {
      if (n > 1) throw new Error(`Too many pattern letters: ${letter}`);
      const firstDow = new Date(Date.UTC(year, month, 1)).getUTCDay();
      return String(Math.floor((d.getUTCDate() - 1 + firstDow) / 7) + 1);
    }
    case 'F':
      // Java 11/17 map F to ALIGNED_DAY_OF_WEEK_IN_MONTH.
      if (n > 1) throw new Error(`Too many pattern letters: ${letter}`);
      return String(((d.getUTCDate() - 1) % 7) + 1);
    case 'M':
    case 'L':
      return n === 1 ? String(month + 1) : n === 2 ? pad(month + 1, 2) : n === 3 ? MONTHS[month]!.slice(0, 3) : n === 4 ? MONTHS[month]! : MONTHS[month]![0]!;
    case 'Q':
    case 'q':
      return n <= 2 ? pad(Math.floor(month / 3) + 1, n) : `Q${Math.floor(month / 3) + 1}`;
    case 'd':
      return pad(d.getUTCDate(), n);
    case 'D': {
      const doy = Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
      return pad(doy, n);
    }
    case 'E': {
      const name = DAYS[(d.getUTCDay() + 6) % 7]!;
      return n <= 3 ? name.slice(0, 3) : n === 4 ? name : name[0]!;
    }
    case 'e':
    case 'c': {
      if (n >= 3) {
        const name = DAYS[(d.getUTCDay() + 6) % 7]!;
        return n === 3 ? name.slice(0, 3) : n === 4 ? name : name[0]!;
      }
      if (letter === 'c' && n === 2) throw new Error('Invalid pattern "cc"');
      return pad(d.getUTCDay() + 1, n);
    }
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(hour, n);
    case 'k':
      return pad(hour === 0 ? 24 : hour, n);
    case 'K':
      return pad(hour % 12, n);
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, n);
    case 'm':
      return pad(d.getUTCMinutes(), n);
    case 's':
      return pad(d.getUTCSeconds(), n);
    case 'S':
      return pad(milli, 3).padEnd(9, '0').slice(0, n).padEnd(n, '0');
    case 'n':
      return pad(milli * 1_000_000, n);
    case 'N':
      return pad((d.getTime() % DAY_MS) * 1_000_000, n);
    case 'A':
      return pad(d.getTime() % DAY_MS, n);
    case 'z':
      return zoneName(zone, ms, n >= 4);
    case 'v':
      if (n !== 1 && n !== 4) throw new Error(`Wrong number of pattern letters: ${letter}`);
      return zoneName(zone, ms, n === 4, true);
    case 'V':
      return zone.id;
    case 'O': {
      if (off === 0) return 'GMT';
      const a = Math.abs(off) / 60_000;
      const sign = off < 0 ? '-' : '+';
      return n === 1 ? `GMT${sign}${Math.floor(a / 60)}${a % 60 ? `:${pad(a % 60, 2)}` : ''}` : `GMT${sign}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
    }
    case 'Z':
      return n <= 3
        ? formatOffset(off, 'HHMM', false)
        : n === 4
          ? off === 0
            ? 'GMT'
            : `GMT${formatOffset(off, 'HH:MM', false)}`
          : formatOffset(off, 'HH:MM', true);
    case 'X':
    case 'x': {
      const z = letter === 'X';
      return n === 1 ? formatOffset(off, 'HH', z) : n === 2 || n === 4 ? formatOffset(off, 'HHMM', z) : formatOffset(off, 'HH:MM', z);
    }
    default:
      throw new Error(`Unknown pattern letter: ${letter}`);
  }
}

/** Fields found while parsing. */
interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  milli?: number;
  offset?: number;
  zone?: Zone;
  bc?: boolean;
  /** Week-based year (Y). */
  weekYear?: number;
  /** Week of the week-based year (w). */
  week?: number;
  /** Localized day of week, Sunday = 1 (e, c, E). */
  dow?: number;
}

class ParseFailure extends Error {}

/**
 * Parses text with a Java pattern to epoch ms; a zone or offset in the text wins
 * over `zone`. Throws when the text does not match. `smart` applies
 * DateTimeFormatter's default SMART resolver (ksqlDB's PARSE_TIMESTAMP,
 * STRINGTOTIMESTAMP, PARSE_TIME, STRINGTODATE): out-of-range fields fail with
 * java.time's message, a day past the month's end becomes its last day
 * (2021-02-30 → 2021-02-28) and 24:00 is the next midnight. Without it a date
 * that does not exist fails.
 */
export function parseInstant(text: string, pattern: string, zone: Zone, allowTrailing = false, smart = true): number {
  const p: Parsed = {};
  let pos: number;
  try {
    pos = parseTokens(compilePattern(pattern), text, 0, p);
  } catch (e) {
    if (e instanceof ParseFailure) throw new Error(`Text '${text}' could not be parsed at index ${e.message}`);
    throw e;
  }
  if (pos !== text.length && !allowTrailing) throw new Error(`Text '${text}' could not be parsed, unparsed text found at index ${pos}`);
  if (smart) resolveSmart(text, p);
  // Without a week field, a week-based year (a common stand-in for yyyy) reads as the year.
  let year = p.year ?? (p.week === undefined ? p.weekYear : undefined) ?? 1970;
  if (p.bc) year = 1 - year;
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) hour = (p.hour12 % 12) + (p.pm ? 12 : 0);
  else if (p.pm !== undefined && p.hour !== undefined && p.hour < 12 && p.pm) hour = p.hour + 12;
  let local: number;
  if (p.week !== undefined && p.month === undefined && p.day === undefined && p.dayOfYear === undefined) {
    const weekYear = p.weekYear ?? year;
    local = (firstWeekStart(weekYear) + (p.week - 1) * 7 + ((p.dow ?? 1) - 1)) * DAY_MS;
    if (usWeekFields(new Date(local)).weekYear !== weekYear) throw new Error(`Text '${text}' could not be parsed: Invalid week`);
  } else if (p.dayOfYear !== undefined && p.month === undefined) {
    local = utc(year, 0, 1) + (p.dayOfYear - 1) * DAY_MS;
  } else {
    const month = p.month ?? 1;
    const day = p.day ?? 1;
    local = utc(year, month - 1, day);
    const check = new Date(local);
    if (check.getUTCMonth() !== month - 1) throw new Error(`Text '${text}' could not be parsed: Invalid date`);
  }
  local += hour * 3_600_000 + (p.minute ?? 0) * 60_000 + (p.second ?? 0) * 1000 + (p.milli ?? 0);
  if (p.offset !== undefined) return local - p.offset;
  const z = p.zone ?? zone;
  return instantOfLocal(z, local, offsetOn1970Day(z, local));
}

/**
 * ksqlDB's StringToTimestampParser starts from 1970-01-01 in the zone and sets the
 * parsed fields one by one, the whole date last; so on an overlap the offset kept
 * is the one the zone had at that time of day and day of the year in 1970.
 */
function offsetOn1970Day(zone: Zone, local: number): number {
  const d = new Date(local);
  const dayOfYear = Math.floor((local - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
  const timeOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  const local1970 = Math.min(dayOfYear, 364) * DAY_MS + timeOfDay;
  return offsetAt(zone, local1970 - offsetAt(zone, local1970));
}

/** Checks a parsed field against its ChronoField range, with java.time's message. */
function checkField(text: string, name: string, range: string, v: number | undefined, min: number, max: number): void {
  if (v !== undefined && (v < min || v > max)) {
    throw new Error(`Text '${text}' could not be parsed: Invalid value for ${name} (valid values ${range}): ${v}`);
  }
}

/** java.time's SMART resolution of the parsed fields (see {@link parseInstant}); adjusts `p` in place. */
function resolveSmart(text: string, p: Parsed): void {
  checkField(text, 'MonthOfYear', '1 - 12', p.month, 1, 12);
  checkField(text, 'DayOfMonth', '1 - 28/31', p.day, 1, 31);
  checkField(text, 'DayOfYear', '1 - 365/366', p.dayOfYear, 1, 366);
  checkField(text, 'MinuteOfHour', '0 - 59', p.minute, 0, 59);
  checkField(text, 'SecondOfMinute', '0 - 59', p.second, 0, 59);
  checkField(text, 'ClockHourOfAmPm', '1 - 12', p.hour12, 0, 12);
  const midnightAfter = p.hour === 24 && !p.minute && !p.second && !p.milli;
  if (!midnightAfter) checkField(text, 'HourOfDay', '0 - 23', p.hour, 0, 23);
  if (p.day !== undefined && p.day > 28 && p.month !== undefined && p.year !== undefined) {
    const y = p.bc ? 1 - p.year : p.year;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const last = p.month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(p.month) ? 30 : 31;
    if (p.day > last) p.day = last;
  }
}

function utc(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(2000, month, day));
  d.setUTCFullYear(year);
  return d.getTime();
}

function isAdjacentNumeric(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  return next !== undefined && next.k === 'field' && NUMERIC.has(next.letter);
}

function parseTokens(tokens: readonly Token[], s: string, pos: number, p: Parsed): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.k === 'lit') {
      if (s.slice(pos, pos + t.text.length).toLowerCase() !== t.text.toLowerCase()) throw new ParseFailure(String(pos));
      pos += t.text.length;
    } else if (t.k === 'opt') {
      const copy = { ...p };
      try {
        pos = parseTokens(t.tokens, s, pos, copy);
        Object.assign(p, copy);
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
      }
    } else {
      pos = parseField(t.letter, t.count, s, pos, p, isAdjacentNumeric(tokens, i));
    }
  }
  return pos;
}

function digits(s: string, pos: number, min: number, max: number): [number, number] {
  let j = pos;
  if (s[j] === '-' || s[j] === '+') j++;
  const start = j;
  while (j < s.length && j - start < max && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  if (j - start < min) throw new ParseFailure(String(pos));
  return [Number(s.slice(pos, j)), j];
}

function matchName(names: readonly string[], s: string, pos: number, len: number | undefined): [number, number] {
  const rest = s.slice(pos).toLowerCase();
  for (let i = 0; i < names.length; i++) {
    const n = (len ? names[i]!.slice(0, len) : names[i]!).toLowerCase();
    if (rest.startsWith(n)) return [i, pos + n.length];
  }
  throw new ParseFailure(String(pos));
}

function parseField(letter: string, n: number, s: string, pos: number, p: Parsed, adjacent: boolean): number {
  const num = (min: number, max: number): number => {
    const [v, next] = digits(s, pos, adjacent ? n : min, adjacent ? n : max);
    pos = next;
    return v;
  };
  switch (letter) {
    case 'y':
    case 'u':
    case 'Y': {
      const v = n === 2 ? 2000 + num(2, 2) : num(n, 19);
      if (letter === 'Y') p.weekYear = v;
      else p.year = v;
      return pos;
    }
    case 'w':
      p.week = num(n, 2);
      return pos;
    case 'W':
    case 'F':
      num(n, 1);
      return pos;
    case 'e':
    case 'c': {
      if (n >= 3) {
        const [i, next] = matchName(DAYS, s, pos, n === 3 ? 3 : undefined);
        p.dow = ((i + 1) % 7) + 1;
        return next;
      }
      p.dow = num(n, 1);
      return pos;
    }
    case 'M':
    case 'L':
      if (n >= 3) {
        const [i, next] = matchName(MONTHS, s, pos, n === 3 ? 3 : undefined);
        p.month = i + 1;
        return next;
      }
      p.month = num(n, 2);
      return pos;
    case 'd':
      p.day = num(n, 2);
      return pos;
    case 'D':
      p.dayOfYear = num(n, 3);
      return pos;
    case 'E': {
      const [i, next] = matchName(DAYS, s, pos, n <= 3 ? 3 : undefined);
      p.dow = ((i + 1) % 7) + 1;
      return next;
    }
    case 'a': {
      const [i, next] = matchName(['AM', 'PM'], s, pos, undefined);
      p.pm = i === 1;
      return next;
    }
    case 'G': {
      const [i, next] = matchName(['BC', 'AD'], s, pos, undefined);
      p.bc = i === 0;
      return next;
    }
    case 'H':
      p.hour = num(n, 2);
      return pos;
    case 'k':
      p.hour = num(n, 2) % 24;
      return pos;
    case 'K':
    case 'h':
      p.hour12 = num(n, 2);
      return pos;
    case 'm':
      p.minute = num(n, 2);
      return pos;
    case 's':
      p.second = num(n, 2);
      return pos;
    case 'S': {
      const start = pos;
      const [, next] = digits(s, pos, adjacent ? n : 1, adjacent ? n : Math.max(n, 9));
      const frac = s.slice(start, next);
      p.milli = Number(frac.padEnd(3, '0').slice(0, 3));
      return next;
    }
    case 'n':
      p.milli = Math.floor(num(1, 9) / 1_000_000);
      return pos;
    case 'A': {
      const v = num(1, 8);
      p.hour = Math.floor(v / 3_600_000);
      p.minute = Math.floor((v % 3_600_000) / 60_000);
      p.second = Math.floor((v % 60_000) / 1000);
      p.milli = v % 1000;
      return pos;
    }
    case 'X':
    case 'x':
    case 'Z':
    case 'O': {
      if (letter !== 'x' && /^z/i.test(s.slice(pos, pos + 1)) && !/^zulu/i.test(s.slice(pos))) {
        p.offset = 0;
        return pos + 1;
      }
      let j = pos;
      if (s.slice(j, j + 3).toUpperCase() === 'GMT') {
        j += 3;
        if (!/[+-]/.test(s[j] ?? '')) {
          p.offset = 0;
          return j;
        }
      }
      const m = /^[+-]\d{1,2}(?::?\d{2})?(?::?\d{2})?/.exec(s.slice(j));
      if (!m) throw new ParseFailure(String(pos));
      p.offset = parseOffset(m[0]);
      return j + m[0].length;
    }
    case 'z':
    case 'v':
    case 'V': {
      const m = /^[A-Za-z][A-Za-z0-9_/+\-:]*/.exec(s.slice(pos));
      if (!m) throw new ParseFailure(String(pos));
      const id = m[0];
      const abbr = letter !== 'V' ? ZONE_ABBREVIATIONS[id.toUpperCase()] : undefined;
      try {
        p.zone = zoneOf(abbr ?? id);
      } catch {
        throw new ParseFailure(String(pos));
      }
      return pos + id.length;
    }
    default:
      throw new Error(`Unknown pattern letter: ${letter}`);
  }
}

/** Formats a DATE (days since epoch) with a Java pattern. */
export function formatDays(days: number, pattern: string): string {
  return formatInstant(days * DAY_MS, pattern, zoneOf('UTC'), 'date');
}

/** Formats a TIME (ms of day) with a Java pattern. */
export function formatTimeOfDay(ms: number, pattern: string): string {
  return formatInstant(ms, pattern, zoneOf('UTC'), 'time');
}

/**
 * Parses a date to days since epoch. Like SimpleDateFormat.parse (which ksqlDB's
 * PARSE_DATE uses), text after the pattern is ignored, and a time of day other
 * than midnight is an error.
 */
export function parseDays(text: string, pattern: string): number {
  const ms = parseInstant(text, pattern, zoneOf('UTC'), true, false);
  if (ms % DAY_MS !== 0) throw new Error('Date format contains time field.');
  return Math.floor(ms / DAY_MS);
}

/** Parses a date to days since epoch, dropping any time of day (STRINGTODATE). */
export function parseDaysIgnoringTime(text: string, pattern: string): number {
  return Math.floor(parseInstant(text, pattern, zoneOf('UTC'), true) / DAY_MS);
}

/** Parses a time of day to ms of day. */
export function parseTimeOfDay(text: string, pattern: string): number {
  const ms = parseInstant(text, pattern, zoneOf('UTC'));
  return ((ms % DAY_MS) + DAY_MS) % DAY_MS;
}
